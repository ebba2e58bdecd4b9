/**
 * The configuration files routes (config-files.ts) as an attacker or a hurried administrator uses
 * them: encoded and odd paths, a cookie without its CSRF token, secrets in what a reader is shown,
 * bodies over the limits.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerConfigFileRoutes } from './config-files.ts'
import { checkProjectFile, readCheckedFile } from './config-files-path.ts'
import { registerConfigRoutes } from './config.ts'

const content = (file: string) => `/api/files/content?path=${encodeURIComponent(file)}`
const raw = (query: string) => `/api/files/content?path=${query}`

for (const kind of VAULT_KINDS) {
  describe(`configuration files under attack (${kind} vault)`, () => {
    let server: TestServer
    const file = (relative: string) => path.join(server.dir, ...relative.split('/'))

    before(async () => {
      server = await createTestServer(kind, { register: [registerConfigRoutes, registerConfigFileRoutes] })
    })
    after(() => server.close())

    test('encoded, odd and very long paths are refused with 400 or 404, never read', async () => {
      const cases: [string, number][] = [
        [raw('%2e%2e%2fetc%2fpasswd.yaml'), 400],
        [raw('filters%2f..%2f..%2foutside.yaml'), 400],
        [raw('%252e%252e%2foutside.yaml'), 404], // decoded once: a folder named `%2e%2e`
        [raw('filters%2faccounts.yaml%00.txt'), 400],
        [content('filters/accounts.yaml\0'), 400],
        [content('filters/\u2025/accounts.yaml'), 404], // ‥ is not `..`
        [content('filters\\..\\..\\x.yaml'), 400],
        [content(`${'a/'.repeat(499)}x.yaml`), 400], // over 1,000 characters
        [content(`${'a'.repeat(300)}/x.yaml`), 404], // a name longer than the file system allows
        [content(`filters/${'b'.repeat(300)}.yaml`), 404],
        [content('filters/accounts.yaml/'), 400],
        [content('/etc/hostname.yaml'), 400],
      ]
      for (const [url, status] of cases) {
        const answer = await server.as('auditor').get(url)
        assert.equal(answer.status, status, `${url}: ${answer.body.slice(0, 300)}`)
        assert.ok(answer.json?.error?.code, url)
        assert.doesNotMatch(answer.body, /root:/)
      }
    })

    test('a PUT with the session cookie but without its CSRF token is refused, and nothing is written', async () => {
      const { cookie } = server.session('admin')
      const before = readFileSync(file('filters/accounts.yaml'), 'utf8')
      const opened = await server.as('admin').get(content('filters/accounts.yaml'))
      const answer = await server
        .as({ session: cookie })
        .put(content('filters/accounts.yaml'), { text: `${before}# changed\n`, revision: opened.json.revision })
      assert.equal(answer.status, 403, answer.body)
      assert.equal(answer.json.error.code, 'SRV_CSRF')
      assert.equal(readFileSync(file('filters/accounts.yaml'), 'utf8'), before)
    })

    test('a text over the limit is refused cleanly, before any check', async () => {
      const opened = await server.as('admin').get(content('filters/accounts.yaml'))
      for (const text of ['#'.repeat(1_000_001), `# ${'é'.repeat(600_000)}\n`]) {
        const answer = await server.as('admin').put(content('filters/accounts.yaml'), {
          text,
          revision: opened.json.revision,
        })
        assert.ok([400, 413].includes(answer.status), `${answer.status}: ${answer.body.slice(0, 300)}`)
        const check = await server.as('auditor').post('/api/files/check', { path: 'filters/accounts.yaml', text })
        assert.ok([400, 413].includes(check.status), `${check.status}: ${check.body.slice(0, 300)}`)
      }
    })

    test('a plain password on a line that does not parse is not shown in the list of files', async () => {
      writeFileSync(
        file('systems/leaky.yaml'),
        ['kind: System', 'name: leaky', 'type: sql', 'connection:', '  password: "hunter2-plain', ''].join('\n'),
      )
      const answer = await server.as('auditor').get('/api/files')
      assert.equal(answer.status, 200, answer.body)
      const listed = (answer.json.files as { path: string; issues: unknown[] }[]).find(
        (f) => f.path === 'systems/leaky.yaml',
      )
      assert.ok(listed !== undefined && listed.issues.length > 0, JSON.stringify(listed))
      assert.doesNotMatch(JSON.stringify(listed), /hunter2/)
      const check = await server.as('auditor').post('/api/files/check', {
        path: 'systems/leaky.yaml',
        text: ['kind: System', 'name: leaky', 'password: [hunter2-plain', ''].join('\n'),
      })
      assert.equal(check.status, 200, check.body)
      assert.doesNotMatch(check.body, /hunter2/)
    })
  })
}

describe('configuration files: a hidden file the loader reads', () => {
  let server: TestServer
  before(async () => {
    server = await createTestServer('sqlite', { register: [registerConfigRoutes, registerConfigFileRoutes] })
  })
  after(() => server.close())

  test('is listed, opened and repaired like any other; a hidden folder stays refused', async () => {
    const broken = 'kind: Filter\nname: draft\nstart: hr500.employees AS e\noutput: [e.employee_id\n'
    writeFileSync(path.join(server.dir, 'filters', '.draft.yaml'), broken)
    const listed = await server.as('auditor').get('/api/files')
    assert.ok(listed.json.files.some((f: { path: string }) => f.path === 'filters/.draft.yaml'))
    const opened = await server.as('admin').get(content('filters/.draft.yaml'))
    assert.equal(opened.status, 200, opened.body)
    const saved = await server.as('admin').put(content('filters/.draft.yaml'), {
      text: broken.replace('employee_id\n', 'employee_id]\n'),
      revision: opened.json.revision,
    })
    assert.equal(saved.status, 200, saved.body)
    assert.deepEqual(saved.json.documents, [{ kind: 'Filter', name: 'draft', index: 0 }])
    for (const hidden of ['.git/config.yaml', 'filters/.hidden/x.yaml', '.yaml/../x.yaml']) {
      const answer = await server.as('admin').get(content(hidden))
      assert.equal(answer.status, 400, `${hidden}: ${answer.body}`)
    }
  })
})

describe('reading a checked file', () => {
  test('does not follow a symbolic link put in its place after the check', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'provisio-files-race-'))
    try {
      writeFileSync(path.join(dir, 'outside.txt'), 'password: not for you\n')
      mkdirSync(path.join(dir, 'project'))
      writeFileSync(path.join(dir, 'project', 'a.yaml'), 'kind: Filter\n')
      const checked = await checkProjectFile(path.join(dir, 'project'), 'a.yaml')
      // The swap an attacker with write access to the project would make between check and read.
      rmSync(path.join(dir, 'project', 'a.yaml'))
      symlinkSync(path.join(dir, 'outside.txt'), path.join(dir, 'project', 'a.yaml'))
      await assert.rejects(readCheckedFile(path.join(dir, 'project'), checked), { code: 'SRV_INVALID_FILE_PATH' })
      rmSync(path.join(dir, 'project', 'a.yaml'))
      await assert.rejects(readCheckedFile(path.join(dir, 'project'), checked), { code: 'SRV_FILE_NOT_FOUND' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
