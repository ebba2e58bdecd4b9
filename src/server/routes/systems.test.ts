import assert from 'node:assert/strict'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { copyHr500 } from '../../../test/support/cli.ts'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { PG_URL, VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerConfigRoutes } from './config.ts'
import { registerSystemRoutes } from './systems.ts'

for (const kind of VAULT_KINDS) {
  describe(`system routes (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, { register: (app, ctx) => registerSystemRoutes(app, ctx) })
    })
    after(() => server.close())

    test('an operator collects a system; the answer is the collection result, listed afterwards', async () => {
      const collected = await server.as('operator').post('/api/systems/hr500/collect')
      assert.equal(collected.status, 200, collected.body)
      assert.equal(collected.json.system, 'hr500')
      assert.equal(collected.json.kind, 'collect')
      assert.equal(collected.json.forced, false)
      const employees = collected.json.tables.find((t: { table: string }) => t.table === 'employees')
      assert.equal(employees.rowsBefore, 0)
      assert.equal(employees.added, 585)

      const systems = await server.as('auditor').get('/api/systems')
      assert.equal(systems.status, 200, systems.body)
      const hr500 = systems.json.systems.find((s: { name: string }) => s.name === 'hr500')
      assert.equal(hr500.connector, 'csv')
      assert.deepEqual(hr500.tables, ['employees', 'departments', 'contracts'])
      assert.equal(hr500.lastCollection.id, collected.json.id)
      assert.equal(hr500.lastCollection.status, 'succeeded')
      const directory = systems.json.systems.find((s: { name: string }) => s.name === 'directory')
      assert.equal(directory.lastCollection, null)

      const list = await server.as('auditor').get('/api/collections?limit=5')
      assert.equal(list.status, 200, list.body)
      assert.equal(list.json.collections[0].id, collected.json.id)
      assert.equal((await server.as('auditor').get('/api/collections?system=directory')).json.collections.length, 0)
    })

    test('collecting, checking and discovering need the run access; reading needs a user', async () => {
      const denied = await server.as('auditor').post('/api/systems/hr500/collect', { force: true })
      assert.equal(denied.status, 403)
      assert.equal(denied.json.error.code, 'SRV_FORBIDDEN')
      assert.equal((await server.as('auditor').post('/api/systems/hr500/check')).status, 403)
      assert.equal((await server.as('auditor').post('/api/systems/hr500/discover')).status, 403)
      assert.equal((await server.as('anonymous').get('/api/systems')).status, 401)
      assert.equal((await server.as('anonymous').get('/api/collections')).status, 401)
    })

    test('an unknown system is a 404 with its code and a did-you-mean hint', async () => {
      for (const url of ['/api/systems/hr5000/collect', '/api/systems/hr5000/check', '/api/systems/hr5000/discover']) {
        const answer = await server.as('admin').post(url)
        assert.equal(answer.status, 404, answer.body)
        assert.equal(answer.json.error.code, 'CON_UNKNOWN_SYSTEM')
        assert.match(answer.json.error.hint, /Did you mean 'hr500'\?/)
      }
    })

    test('check and discover answer what the connector says', async () => {
      const check = await server.as('operator').post('/api/systems/HR500/check')
      assert.deepEqual(check.json, { system: 'hr500', ok: true })
      const discover = await server.as('operator').post('/api/systems/hr500/discover')
      assert.equal(discover.status, 200, discover.body)
      const employees = discover.json.tables.find((t: { name: string }) => t.name === 'employees')
      assert.ok(employees.columns.some((c: { name: string }) => c.name === 'last_name'))
    })

    test('a collection a guard rejects is an error answer with its code; force applies it', async () => {
      const file = path.join(server.dir, 'files', 'hr500', 'employees.csv')
      const original = readFileSync(file, 'utf8')
      // Keep the header and 100 of 585 employees: far more removed than the 10% guard allows.
      writeFileSync(file, original.split('\n').slice(0, 101).join('\n') + '\n')
      try {
        const rejected = await server.as('operator').post('/api/systems/hr500/collect', {})
        assert.ok(rejected.status >= 400 && rejected.status < 500, rejected.body)
        assert.equal(rejected.json.error.code, 'VLT_GUARD_REJECTED')
        const invalid = await server.as('operator').post('/api/systems/hr500/collect', { force: 'yes' })
        assert.equal(invalid.status, 400)
        assert.equal(invalid.json.error.code, 'SRV_INVALID_REQUEST')
        const forced = await server.as('operator').post('/api/systems/hr500/collect', { force: true })
        assert.equal(forced.status, 200, forced.body)
        assert.equal(forced.json.forced, true)
        assert.ok(forced.json.overriddenGuards.length > 0)
        const [last, rejectedRecord] = (await server.as('auditor').get('/api/collections?system=hr500')).json
          .collections
        assert.equal(last.id, forced.json.id)
        assert.equal(rejectedRecord.status, 'rejected')
        assert.equal(rejectedRecord.errorCode, 'VLT_GUARD_REJECTED')
      } finally {
        writeFileSync(file, original)
      }
    })
  })
}

describe('system routes never answer a secret', () => {
  const SECRET = 'S3cret-api-password-7731'
  const VARIABLE = 'PROVISIO_API_TEST_SECRET_DB_URL'
  let server: TestServer
  let remove: () => void
  before(async () => {
    const copy = copyHr500()
    remove = copy.remove
    // A PostgreSQL system whose URL (with its password) comes from the environment.
    appendFileSync(
      path.join(copy.dir, 'systems', 'secretdb.yaml'),
      [
        'kind: System',
        'name: secretdb',
        'connector: sql',
        'config:',
        `  url: \${env:${VARIABLE}}`,
        'tables:',
        '  people:',
        '    primaryKey: id',
        '    columns:',
        '      id: integer',
        '',
      ].join('\n'),
    )
    server = await createTestServer('sqlite', {
      project: copy.dir,
      register: [(app, ctx) => registerSystemRoutes(app, ctx), (app, ctx) => registerConfigRoutes(app, ctx)],
    })
  })
  after(async () => {
    delete process.env[VARIABLE]
    await server.close()
    remove()
  })

  test('not in documents, validation, system lists, nor in a failed or a working connection check', async () => {
    const answers = []
    // Nothing listens on port 1: the check fails, and says why without the URL's password.
    process.env[VARIABLE] = `postgres://provisio:${SECRET}@127.0.0.1:1/none`
    const failed = await server.as('operator').post('/api/systems/secretdb/check')
    assert.equal(failed.status, 200, failed.body)
    assert.equal(failed.json.ok, false)
    assert.ok(failed.json.error.code.length > 0)
    answers.push(failed, await server.as('operator').post('/api/systems/secretdb/discover'))
    if (PG_URL !== undefined) {
      const url = new URL(PG_URL)
      url.password = SECRET
      process.env[VARIABLE] = url.toString()
      const ok = await server.as('operator').post('/api/systems/secretdb/check')
      assert.equal(ok.json.ok, true, ok.body)
      answers.push(ok, await server.as('operator').post('/api/systems/secretdb/discover'))
    }
    const document = await server.as('auditor').get('/api/documents/System/secretdb')
    assert.equal(document.status, 200, document.body)
    assert.match(document.json.source, new RegExp(`\\$\\{env:${VARIABLE}\\}`))
    answers.push(
      document,
      await server.as('auditor').get('/api/documents'),
      await server.as('auditor').get('/api/validate'),
      await server.as('auditor').get('/api/systems'),
      await server.as('auditor').get('/api/collections'),
    )
    for (const answer of answers) assert.ok(!answer.body.includes(SECRET), answer.body)
  })
})
