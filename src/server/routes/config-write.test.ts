import assert from 'node:assert/strict'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerConfigRoutes } from './config.ts'
import { createdDuring } from '../../../test/support/created-during.ts'

const FILTER = [
  '# Employees born in one year: made through the API.',
  'kind: Filter',
  'name: born_in',
  'start: hr500.employees AS e',
  'output: [e.employee_id, e.last_name]',
  '',
].join('\n')

/** A value that looks like an LDAP filter and like SQL: it must stay data. */
const TRICKY = `(&(cn=*)(objectClass=user))'; DROP TABLE config_revisions; --`

for (const kind of VAULT_KINDS) {
  describe(`document edits (${kind} vault)`, () => {
    let server: TestServer
    const file = (relative: string) => path.join(server.dir, ...relative.split('/'))
    const read = (relative: string) => readFileSync(file(relative), 'utf8')

    before(async () => {
      server = await createTestServer(kind, { register: (app, ctx) => registerConfigRoutes(app, ctx) })
    })
    after(() => server.close())

    test('a new Filter is created in its default file, listed and valid; the read answers see it at once', async () => {
      const created = await server.as('admin').post('/api/documents', { source: FILTER })
      assert.equal(created.status, 201, created.body)
      assert.equal(created.json.document.file, 'filters/born_in.yaml')
      assert.equal(created.json.document.valid, true)
      assert.match(created.json.revision, /^[0-9a-f]{64}$/)
      assert.ok(created.json.revisionId > 0)
      assert.equal(read('filters/born_in.yaml'), FILTER)
      const list = await server.as('auditor').get('/api/documents')
      assert.equal(list.json.revision, created.json.revision)
      const listed = list.json.documents.find((d: { name: string }) => d.name === 'born_in')
      assert.equal(listed.valid, true)
      assert.ok((await server.ctx.project()).filters.some((f) => f.name === 'born_in'))
      const again = await server.as('admin').post('/api/documents', { source: FILTER })
      assert.equal(again.status, 409, again.body)
      assert.equal(again.json.error.code, 'SRV_DOCUMENT_EXISTS')
    })

    test('a document appended to an existing file keeps the other documents byte for byte', async () => {
      const before = read('filters/groups.yaml')
      const source = FILTER.replace('born_in', 'born_in_groups')
      const created = await server.as('admin').post('/api/documents', { source, file: 'filters/groups.yaml' })
      assert.equal(created.status, 201, created.body)
      assert.equal(created.json.document.index, 3)
      assert.equal(read('filters/groups.yaml'), `${before}---\n${source}`)
    })

    test('a change is written back; the other documents of the file stay byte for byte', async () => {
      const original = read('filters/accounts.yaml')
      const read1 = await server.as('admin').get('/api/documents/Filter/surname_changed')
      assert.equal(read1.status, 200, read1.body)
      const source = read1.json.source.replace(/description: .*\n/, 'description: Changed through the API.\n')
      assert.notEqual(source, read1.json.source)
      const changed = await server.as('admin').put('/api/documents/Filter/surname_changed', {
        source,
        revision: read1.json.revision,
      })
      assert.equal(changed.status, 200, changed.body)
      assert.equal(changed.json.document.source, source)
      assert.equal(read('filters/accounts.yaml'), original.replace(read1.json.source, source))
      const read2 = await server.as('admin').get('/api/documents/Filter/surname_changed')
      assert.equal(read2.json.value.description, 'Changed through the API.')
      assert.equal(read2.json.revision, changed.json.revision)
    })

    test('an invalid change is 422 with issues positioned in the sent text, and nothing is written', async () => {
      const original = read('filters/accounts.yaml')
      const current = await server.as('admin').get('/api/documents/Filter/surname_changed')
      const lines = current.json.source.split('\n')
      const at = lines.findIndex((l: string) => l.startsWith('start:'))
      lines.splice(at + 1, 0, 'where: e.no_such_column = 1')
      const source = lines.join('\n')
      const check = await server.as('auditor').post('/api/documents/check', {
        source,
        kind: 'Filter',
        name: 'surname_changed',
      })
      assert.equal(check.status, 200, check.body)
      assert.equal(check.json.valid, false)
      const issue = check.json.issues.find((i: { inSource: boolean }) => i.inSource)
      assert.equal(issue.line, at + 2)
      assert.equal(issue.file, undefined)
      const answer = await server.as('admin').put('/api/documents/Filter/surname_changed', { source })
      assert.equal(answer.status, 422, answer.body)
      assert.equal(answer.json.error.code, 'SRV_DOCUMENT_INVALID')
      assert.deepEqual(answer.json.error.details.issues, check.json.issues)
      assert.equal(read('filters/accounts.yaml'), original)
    })

    test('a check names the issues an edit causes in other documents', async () => {
      const current = await server.as('admin').get('/api/documents/Filter/needs_account')
      const source = current.json.source.replace('name: needs_account', 'name: needs_an_account')
      const check = await server.as('operator').post('/api/documents/check', {
        source,
        kind: 'Filter',
        name: 'needs_account',
      })
      assert.equal(check.json.valid, false)
      const other = check.json.issues.filter((i: { inSource: boolean }) => !i.inSource)
      assert.ok(other.some((i: { kind: string; name: string }) => i.kind === 'Mapping' && i.name === 'create_accounts'))
      assert.ok(other.every((i: { file: string }) => typeof i.file === 'string'))
      const renamed = await server.as('admin').put('/api/documents/Filter/needs_account', { source })
      assert.equal(renamed.status, 409, renamed.body)
      assert.equal(renamed.json.error.code, 'SRV_DOCUMENT_REFERENCED')
      assert.ok(renamed.json.error.details.referencedBy.some((d: { name: string }) => d.name === 'create_accounts'))
    })

    test('a stale revision is refused with 409', async () => {
      const first = await server.as('admin').get('/api/documents/Filter/born_in')
      const changed = await server.as('admin').put('/api/documents/Filter/born_in', {
        source: `${first.json.source}description: one\n`,
        revision: first.json.revision,
      })
      assert.equal(changed.status, 200, changed.body)
      const stale = await server.as('admin').put('/api/documents/Filter/born_in', {
        source: `${first.json.source}description: two\n`,
        revision: first.json.revision,
      })
      assert.equal(stale.status, 409, stale.body)
      assert.equal(stale.json.error.code, 'SRV_STALE_REVISION')
      assert.match(read('filters/born_in.yaml'), /description: one/)
    })

    test('a referenced document cannot be deleted; an unreferenced one is removed, with its file', async () => {
      const before = read('filters/accounts.yaml')
      const refused = await server.as('admin').delete('/api/documents/Filter/needs_account')
      assert.equal(refused.status, 409, refused.body)
      assert.equal(refused.json.error.code, 'SRV_DOCUMENT_REFERENCED')
      assert.ok(refused.json.error.details.referencedBy.some((d: { kind: string }) => d.kind === 'Mapping'))
      assert.equal(read('filters/accounts.yaml'), before)

      const groups = read('filters/groups.yaml')
      const inFile = await server.as('admin').delete('/api/documents/Filter/born_in_groups')
      assert.equal(inFile.status, 200, inFile.body)
      assert.equal(inFile.json.fileRemoved, false)
      assert.equal(read('filters/groups.yaml'), groups.slice(0, groups.indexOf('---\n# Employees born')))

      const alone = await server.as('admin').delete('/api/documents/Filter/born_in')
      assert.equal(alone.status, 200, alone.body)
      assert.equal(alone.json.fileRemoved, true)
      assert.equal(existsSync(file('filters/born_in.yaml')), false)
      assert.equal((await server.as('admin').get('/api/documents/Filter/born_in')).status, 404)
    })

    test('a file outside the project, absolute, with .. or not .yaml is refused', async () => {
      for (const bad of [
        '../escape.yaml',
        '/tmp/escape.yaml',
        'filters/../../x.yaml',
        'filters/x.txt',
        '.hidden/x.yaml',
      ]) {
        const answer = await server.as('admin').post('/api/documents', { source: FILTER, file: bad })
        assert.equal(answer.status, 400, `${bad}: ${answer.body}`)
        assert.equal(answer.json.error.code, 'SRV_INVALID_DOCUMENT_FILE')
      }
      assert.equal(existsSync(path.join(server.dir, '..', 'escape.yaml')), false)
    })

    test('operator and auditor may check but not write', async () => {
      for (const role of ['operator', 'auditor'] as const) {
        const client = server.as(role)
        const answers = [
          await client.post('/api/documents', { source: FILTER }),
          await client.put('/api/documents/Filter/current_employees', { source: FILTER }),
          await client.delete('/api/documents/Filter/current_employees'),
        ]
        for (const answer of answers) assert.equal(answer.status, 403, answer.body)
      }
    })

    test('a plain secret is refused and its value never echoed', async () => {
      const system = read('systems/directory.yaml')
      const current = await server.as('admin').get('/api/documents/System/directory')
      const source = `${current.json.source.replace(/\n$/, '')}\n`.replace(
        /config:\n/,
        'config:\n  bindPassword: hunter2-very-secret\n',
      )
      assert.notEqual(source, current.json.source)
      const answer = await server.as('admin').put('/api/documents/System/directory', { source })
      assert.equal(answer.status, 422, answer.body)
      assert.ok(answer.json.error.details.issues.some((i: { code: string }) => i.code === 'CFG_PLAIN_SECRET'))
      assert.doesNotMatch(answer.body, /hunter2/)
      assert.equal(read('systems/directory.yaml'), system)
    })

    test('an LDAP-filter/SQL-looking value round-trips as data', async () => {
      const source = [
        'kind: Filter',
        'name: tricky_value',
        `description: "${TRICKY}"`,
        'start: hr500.employees AS e',
        'output: [e.employee_id]',
        '',
      ].join('\n')
      const created = await server.as('admin').post('/api/documents', { source })
      assert.equal(created.status, 201, created.body)
      const back = await server.as('auditor').get('/api/documents/Filter/tricky_value')
      assert.equal(back.json.value.description, TRICKY)
      assert.equal(back.json.source, source)
      const revisions = await server.ctx.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM config_revisions')
      assert.ok(Number(revisions[0]!.n) >= 1)
    })

    test('each write leaves an admin audit record with the user, file and revision, never the source', async () => {
      const audit = await server.as('auditor').get('/api/admin-audit?limit=1000')
      assert.equal(audit.status, 200, audit.body)
      const events = audit.json.events.filter((e: { action: string }) => e.action.startsWith('document.'))
      const of = (action: string, subject: string) =>
        events.find((e: { action: string; subject: string }) => e.action === action && e.subject === subject)
      for (const [action, subject] of [
        ['document.create', 'Filter/born_in'],
        ['document.change', 'Filter/surname_changed'],
        ['document.delete', 'Filter/born_in'],
      ] as const) {
        const event = of(action, subject)
        assert.ok(event, `${action} ${subject}`)
        assert.equal(event.actor, 'admin')
        assert.equal(typeof event.details.file, 'string')
        assert.match(event.details.revision, /^[0-9a-f]{64}$/)
      }
      assert.doesNotMatch(audit.body, /DROP TABLE|hunter2|Employees born in one year/)
      // Refused writes and checks leave no record.
      assert.equal(events.length, 7)
    })

    test('an edit of a file changed on disk meanwhile is refused by the revision', async () => {
      const first = await server.as('admin').get('/api/documents/Filter/tricky_value')
      writeFileSync(file('filters/tricky_value.yaml'), `${read('filters/tricky_value.yaml')}# edited by hand\n`)
      const stale = await server.as('admin').put('/api/documents/Filter/tricky_value', {
        source: first.json.source,
        revision: first.json.revision,
      })
      assert.equal(stale.status, 409, stale.body)
    })

    test('two changes sent at once on the same revision: exactly one is written, the other is 409', async () => {
      const first = await server.as('admin').get('/api/documents/Filter/surname_changed')
      const answers = await Promise.all(
        ['three', 'four'].map((word) =>
          server.as('admin').put('/api/documents/Filter/surname_changed', {
            source: first.json.source.replace(/description: .*\n/, `description: ${word}\n`),
            revision: first.json.revision,
          }),
        ),
      )
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], answers.map((a) => a.body).join('\n'))
      const winner = answers.find((a) => a.status === 200)!
      assert.equal(read('filters/accounts.yaml').includes(winner.json.document.source), true)
      assert.equal(answers.find((a) => a.status === 409)!.json.error.code, 'SRV_STALE_REVISION')
    })

    test('a folder that is a symbolic link is refused, and a check never writes through it', async () => {
      // A link to a folder of the project itself: an edit written through it would land in the real folder.
      symlinkSync(file('filters'), file('linked'))
      try {
        const source = FILTER.replace('born_in', 'through_link')
        for (const role of ['auditor', 'admin'] as const) {
          const checked = await server
            .as(role)
            .post('/api/documents/check', { source, file: 'linked/through_link.yaml' })
          assert.equal(checked.status, 400, checked.body)
          assert.equal(checked.json.error.code, 'SRV_INVALID_DOCUMENT_FILE')
        }
        const created = await server.as('admin').post('/api/documents', { source, file: 'linked/through_link.yaml' })
        assert.equal(created.status, 400, created.body)
        assert.equal(existsSync(file('filters/through_link.yaml')), false)
      } finally {
        rmSync(file('linked'))
      }
    })

    test('a check writes nothing: no file in the project, none in the temporary folder', async () => {
      const listing = () => readdirSync(server.dir, { recursive: true }).map(String).sort()
      const before = listing()
      const accounts = read('filters/accounts.yaml')
      // Whatever asks os.tmpdir() while the checks run gets this empty folder.
      const temporary = mkdtempSync(path.join(tmpdir(), 'provisio-check-tmp-'))
      const saved = process.env['TMPDIR']
      process.env['TMPDIR'] = temporary
      try {
        const created = await createdDuring(temporary, async () => {
          const added = await server.as('auditor').post('/api/documents/check', { source: FILTER })
          assert.equal(added.status, 200, added.body)
          assert.equal(added.json.valid, true)
          const changed = await server.as('auditor').post('/api/documents/check', {
            kind: 'Filter',
            name: 'current_employees',
            source: 'kind: Filter\nname: current_employees\nstart: hr500.nowhere AS e\n',
          })
          assert.equal(changed.status, 200, changed.body)
          assert.equal(changed.json.valid, false)
        })
        assert.deepEqual(created, [])
      } finally {
        if (saved === undefined) delete process.env['TMPDIR']
        else process.env['TMPDIR'] = saved
        rmSync(temporary, { recursive: true, force: true })
      }
      assert.deepEqual(listing(), before)
      assert.equal(read('filters/accounts.yaml'), accounts)
    })

    test("a kind's default folder linked out of the project is refused, by a check and by a create", async () => {
      const own = await createTestServer(kind, { register: (app, ctx) => registerConfigRoutes(app, ctx) })
      const outside = mkdtempSync(path.join(tmpdir(), 'provisio-outside-'))
      try {
        renameSync(path.join(own.dir, 'filters'), path.join(outside, 'filters'))
        symlinkSync(path.join(outside, 'filters'), path.join(own.dir, 'filters'))
        const source = FILTER.replace('born_in', 'outside_one')
        const checked = await own.as('auditor').post('/api/documents/check', { source })
        assert.equal(checked.status, 400, checked.body)
        assert.equal(checked.json.error.code, 'SRV_INVALID_DOCUMENT_FILE')
        const created = await own.as('admin').post('/api/documents', { source })
        assert.equal(created.status, 400, created.body)
        assert.equal(existsSync(path.join(outside, 'filters', 'outside_one.yaml')), false)
      } finally {
        await own.close()
        rmSync(outside, { recursive: true, force: true })
      }
    })
  })
}
