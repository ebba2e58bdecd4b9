import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerConfigFileRoutes } from './config-files.ts'
import { registerConfigRoutes } from './config.ts'

/** A Filter whose flow list is never closed: the file does not parse. */
const BROKEN = [
  '# Made by hand on the server, with a typo.',
  'kind: Filter',
  'name: born_in',
  'start: hr500.employees AS e',
  'output: [e.employee_id, e.last_name',
  '',
].join('\n')
const REPAIRED = BROKEN.replace('e.last_name\n', 'e.last_name]\n')

/** Two documents: the first does not parse, the second has no name. */
const TWO_BROKEN = [
  'kind: Filter',
  'name: first_broken',
  'start: hr500.employees AS e',
  'output: [e.employee_id',
  '---',
  'kind: Filter',
  'start: hr500.employees AS e',
  'output: [e.employee_id]',
  '',
].join('\n')

interface Listed {
  readonly path: string
  readonly revision: string
  readonly documents: number
  readonly valid: boolean
  readonly loaded: readonly { kind: string; name: string }[]
  readonly issues: readonly { code: string; line?: number; column?: number; file?: string }[]
}
interface Issue {
  readonly code: string
  readonly new: boolean
  readonly inFile: boolean
  readonly line?: number
  readonly severity?: string
  readonly kind?: string
  readonly name?: string
}
interface AuditEvent {
  readonly actor: string
  readonly action: string
  readonly subject: string | null
  readonly details: Record<string, unknown> | null
}

const content = (file: string) => `/api/files/content?path=${encodeURIComponent(file)}`

for (const kind of VAULT_KINDS) {
  describe(`whole-file edits (${kind} vault)`, () => {
    let server: TestServer
    const file = (relative: string) => path.join(server.dir, ...relative.split('/'))
    const read = (relative: string) => readFileSync(file(relative), 'utf8')
    const listed = async (relative: string): Promise<Listed | undefined> => {
      const answer = await server.as('auditor').get('/api/files')
      assert.equal(answer.status, 200, answer.body)
      return (answer.json.files as Listed[]).find((f) => f.path === relative)
    }

    before(async () => {
      server = await createTestServer(kind, { register: [registerConfigRoutes, registerConfigFileRoutes] })
      writeFileSync(file('filters/broken.yaml'), BROKEN)
    })
    after(() => server.close())

    test('the list shows every YAML file, a broken one with its positioned issue', async () => {
      const answer = await server.as('auditor').get('/api/files')
      const files = answer.json.files as Listed[]
      assert.ok(files.some((f) => f.path === 'systems/hr500.yaml' && f.valid && f.loaded.length === 1))
      const accounts = files.find((f) => f.path === 'filters/accounts.yaml')!
      assert.ok(accounts.documents >= 2 && accounts.loaded.length === accounts.documents)
      const broken = files.find((f) => f.path === 'filters/broken.yaml')!
      assert.equal(broken.valid, false)
      assert.equal(broken.documents, 1)
      assert.deepEqual(broken.loaded, [])
      assert.match(broken.revision, /^[0-9a-f]{64}$/)
      const [issue] = broken.issues
      assert.equal(issue?.code, 'CFG_YAML_SYNTAX')
      assert.equal(issue.file, 'filters/broken.yaml')
      assert.ok(issue.line !== undefined && issue.line >= 5, `line ${issue.line}`)
      assert.ok(issue.column !== undefined && issue.column >= 1)
      // The document routes cannot reach it: it has no kind and name they can read.
      assert.equal((await server.as('admin').get('/api/documents/Filter/born_in')).status, 404)
    })

    test('a file is read with its text and the revision of its bytes', async () => {
      const answer = await server.as('auditor').get(content('filters/broken.yaml'))
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.text, BROKEN)
      assert.equal(answer.json.utf8, true)
      assert.equal(answer.json.revision, (await listed('filters/broken.yaml'))!.revision)
    })

    test('a check of the repaired text answers it valid, with its document; nothing is written', async () => {
      const answer = await server
        .as('auditor')
        .post('/api/files/check', { path: 'filters/broken.yaml', text: REPAIRED })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.valid, true, answer.body)
      assert.equal(answer.json.writable, true)
      assert.deepEqual(answer.json.documents, [{ kind: 'Filter', name: 'born_in', index: 0 }])
      assert.equal(read('filters/broken.yaml'), BROKEN)
      const still = await server.as('auditor').post('/api/files/check', { path: 'filters/broken.yaml', text: BROKEN })
      assert.equal(still.json.valid, false)
      assert.equal(still.json.writable, true, 'an error the file already has does not block')
      assert.ok(still.json.issues.every((i: Issue) => i.inFile && !i.new))
    })

    test('a stale revision is refused with 409 and nothing is written', async () => {
      const answer = await server.as('admin').put(content('filters/broken.yaml'), {
        text: REPAIRED,
        revision: 'f'.repeat(64),
      })
      assert.equal(answer.status, 409, answer.body)
      assert.equal(answer.json.error.code, 'SRV_STALE_REVISION')
      assert.ok(answer.json.error.hint.length > 10)
      assert.equal(read('filters/broken.yaml'), BROKEN)
    })

    test('a PUT that repairs the file writes it, audited with the user, as a new configuration revision', async () => {
      const opened = await server.as('admin').get(content('filters/broken.yaml'))
      const documents = await server.as('admin').get('/api/documents')
      const answer = await server.as('admin').put(content('filters/broken.yaml'), {
        text: REPAIRED,
        revision: opened.json.revision,
      })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(read('filters/broken.yaml'), REPAIRED)
      assert.deepEqual(answer.json.documents, [{ kind: 'Filter', name: 'born_in', index: 0 }])
      assert.notEqual(answer.json.revision, opened.json.revision)
      assert.match(answer.json.configRevision, /^[0-9a-f]{64}$/)
      assert.notEqual(answer.json.configRevision, documents.json.revision)
      assert.ok(answer.json.configRevisionId > 0)
      // The document routes see it at once, at the new configuration revision.
      const document = await server.as('auditor').get('/api/documents/Filter/born_in')
      assert.equal(document.status, 200, document.body)
      assert.equal(document.json.valid, true)
      assert.equal(document.json.revision, answer.json.configRevision)
      assert.equal((await listed('filters/broken.yaml'))!.revision, answer.json.revision)
      const audit = await server.as('auditor').get('/api/admin-audit?action=file.change')
      assert.equal(audit.status, 200, audit.body)
      const [event] = audit.json.events as AuditEvent[]
      assert.deepEqual(
        { actor: event?.actor, subject: event?.subject, revision: event?.details?.['revision'] },
        { actor: 'admin', subject: 'filters/broken.yaml', revision: answer.json.revision },
      )
      assert.doesNotMatch(JSON.stringify(event), /employee_id/, 'the audit holds no text')
    })

    test('a half repair is accepted: an old error may stay, a new one may not', async () => {
      writeFileSync(file('filters/two.yaml'), TWO_BROKEN)
      const opened = await server.as('admin').get(content('filters/two.yaml'))
      // The second document gets its name; the first still does not parse.
      const half = TWO_BROKEN.replace('---\nkind: Filter\n', '---\nkind: Filter\nname: second_fixed\n')
      const answer = await server.as('admin').put(content('filters/two.yaml'), {
        text: half,
        revision: opened.json.revision,
      })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(read('filters/two.yaml'), half)
      assert.deepEqual(
        answer.json.issues.map((i: Issue) => [i.code, i.new]),
        [['CFG_YAML_SYNTAX', false]],
      )
      assert.deepEqual(answer.json.documents, [{ kind: 'Filter', name: 'second_fixed', index: 1 }])
      // A third, broken document is a new error.
      const worse = `${half}---\nkind: Filter\nname: third\nstart: [\n`
      const refused = await server.as('admin').put(content('filters/two.yaml'), {
        text: worse,
        revision: answer.json.revision,
      })
      assert.equal(refused.status, 422, refused.body)
      assert.equal(refused.json.error.code, 'SRV_FILE_INVALID')
      assert.ok(refused.json.error.details.issues.some((i: Issue) => i.new && i.code === 'CFG_YAML_SYNTAX'))
      assert.equal(read('filters/two.yaml'), half)
      rmSync(file('filters/two.yaml'))
    })

    test('a PUT that breaks another document is 422 and the file stays byte for byte', async () => {
      const before = readFileSync(file('filters/accounts.yaml'))
      const opened = await server.as('admin').get(content('filters/accounts.yaml'))
      // needs_account goes: the Mapping create_accounts refers to it.
      const text = opened.json.text.replace(/name: needs_account\n/, 'name: needs_an_account\n')
      assert.notEqual(text, opened.json.text)
      const check = await server.as('operator').post('/api/files/check', { path: 'filters/accounts.yaml', text })
      assert.equal(check.json.writable, false)
      const answer = await server.as('admin').put(content('filters/accounts.yaml'), {
        text,
        revision: opened.json.revision,
      })
      assert.equal(answer.status, 422, answer.body)
      assert.equal(answer.json.error.code, 'SRV_FILE_INVALID')
      const issues = answer.json.error.details.issues as Issue[]
      assert.ok(issues.some((i) => !i.inFile && i.new && i.kind === 'Mapping' && i.name === 'create_accounts'))
      assert.deepEqual(issues, check.json.issues)
      assert.ok(readFileSync(file('filters/accounts.yaml')).equals(before))
    })

    test('paths outside the project, absolute, through links, hidden or not YAML are refused', async () => {
      const outside = mkdtempSync(path.join(tmpdir(), 'provisio-outside-'))
      writeFileSync(path.join(outside, 'secret.yaml'), '# outside the project\n')
      symlinkSync(path.join(outside, 'secret.yaml'), file('filters/linked.yaml'))
      symlinkSync(outside, file('linked-folder'))
      mkdirSync(file('.hidden'))
      writeFileSync(file('.hidden/x.yaml'), '# hidden\n')
      writeFileSync(file('filters/notes.txt'), 'not yaml\n')
      try {
        const cases: readonly [string, string][] = [
          ['../escape.yaml', 'SRV_INVALID_FILE_PATH'],
          ['filters/../../escape.yaml', 'SRV_INVALID_FILE_PATH'],
          [path.join(outside, 'secret.yaml'), 'SRV_INVALID_FILE_PATH'],
          ['filters/linked.yaml', 'SRV_INVALID_FILE_PATH'],
          ['linked-folder/secret.yaml', 'SRV_INVALID_FILE_PATH'],
          ['.hidden/x.yaml', 'SRV_INVALID_FILE_PATH'],
          ['filters/notes.txt', 'SRV_INVALID_FILE_PATH'],
          ['filters\\accounts.yaml', 'SRV_INVALID_FILE_PATH'],
          ['filters/none.yaml', 'SRV_FILE_NOT_FOUND'],
        ]
        for (const [bad, code] of cases) {
          const where = `${bad}: `
          const got = await server.as('admin').get(content(bad))
          assert.equal(got.json?.error?.code, code, where + got.body)
          const checked = await server.as('admin').post('/api/files/check', { path: bad, text: 'kind: Filter\n' })
          assert.equal(checked.json?.error?.code, code, where + checked.body)
          const put = await server.as('admin').put(content(bad), { text: 'kind: Filter\n', revision: '0'.repeat(64) })
          assert.equal(put.status, code === 'SRV_FILE_NOT_FOUND' ? 404 : 400, where + put.body)
          assert.equal(put.json.error.code, code, where + put.body)
        }
        assert.equal(readFileSync(path.join(outside, 'secret.yaml'), 'utf8'), '# outside the project\n')
        assert.equal(read('.hidden/x.yaml'), '# hidden\n')
      } finally {
        for (const made of ['filters/linked.yaml', 'linked-folder', '.hidden', 'filters/notes.txt'])
          rmSync(file(made), { recursive: true, force: true })
        rmSync(outside, { recursive: true, force: true })
      }
    })

    test('operator and auditor may read and check but not write; anonymous may do nothing', async () => {
      const opened = await server.as('admin').get(content('filters/broken.yaml'))
      const before = read('filters/broken.yaml')
      for (const role of ['operator', 'auditor'] as const) {
        const answer = await server.as(role).put(content('filters/broken.yaml'), {
          text: BROKEN,
          revision: opened.json.revision,
        })
        assert.equal(answer.status, 403, answer.body)
        assert.equal(answer.json.error.code, 'SRV_FORBIDDEN')
        assert.equal((await server.as(role).get(content('filters/broken.yaml'))).status, 200)
      }
      const anonymous = server.as('anonymous')
      for (const answer of [
        await anonymous.get('/api/files'),
        await anonymous.get(content('filters/broken.yaml')),
        await anonymous.post('/api/files/check', { path: 'filters/broken.yaml', text: BROKEN }),
        await anonymous.put(content('filters/broken.yaml'), { text: BROKEN, revision: opened.json.revision }),
      ])
        assert.equal(answer.status, 401, answer.body)
      assert.equal(read('filters/broken.yaml'), before)
    })

    test('a file that is not UTF-8 is read with its bad bytes shown, and repaired by a save', async () => {
      writeFileSync(file('filters/latin1.yaml'), Buffer.from('kind: Filter\nname: caf\xe9\n', 'latin1'))
      const entry = await listed('filters/latin1.yaml')
      assert.equal(entry?.issues[0]?.code, 'CFG_INVALID_ENCODING')
      const opened = await server.as('admin').get(content('filters/latin1.yaml'))
      assert.equal(opened.json.utf8, false)
      assert.match(opened.json.text, /\uFFFD/)
      const answer = await server.as('admin').put(content('filters/latin1.yaml'), {
        text: '# Emptied: its filter was never used.\n',
        revision: opened.json.revision,
      })
      assert.equal(answer.status, 200, answer.body)
      assert.equal((await listed('filters/latin1.yaml'))?.valid, true)
      rmSync(file('filters/latin1.yaml'))
    })
  })
}
