import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { collectSystem, findSystem } from '../../connectors/index.ts'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerGeneratorRoutes } from './generators.ts'

for (const kind of VAULT_KINDS) {
  describe(`generator routes (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, { register: registerGeneratorRoutes })
      const project = await server.ctx.project()
      for (const name of ['hr500', 'directory'])
        await collectSystem({ driver: server.ctx.db, system: findSystem(project, name), projectDir: server.dir })
    })
    after(() => server.close())

    test('lists the name and password generators', async () => {
      const answer = await server.as('auditor').get('/api/generators')
      assert.equal(answer.status, 200, answer.body)
      const byName = new Map(answer.json.generators.map((g: { name: string }) => [g.name, g]))
      const names = byName.get('account_names') as { kind: string; filter: string; names: { name: string }[] }
      assert.equal(names.kind, 'NameGenerator')
      assert.equal(names.filter, 'needs_account')
      assert.ok(names.names.length > 0)
      assert.equal((byName.get('initial_password') as { kind: string }).kind, 'PasswordGenerator')
    })

    test('previews names for the first rows, and one row by key', async () => {
      const first = await server.as('auditor').post('/api/generators/ACCOUNT_NAMES/preview', { count: 3 })
      assert.equal(first.status, 200, first.body)
      assert.equal(first.json.generator, 'account_names')
      assert.equal(first.json.rows.length, 3)
      const one = first.json.rows[1]
      for (const name of first.json.names) assert.ok(name in one.values || one.error !== undefined, first.body)

      const byKey = await server.as('auditor').post('/api/generators/account_names/preview', { key: one.row })
      assert.equal(byKey.status, 200, byKey.body)
      assert.deepEqual(
        byKey.json.rows.map((r: { row: string }) => r.row),
        [one.row],
      )
      // A preview changes nothing: no admin audit record.
      const audit = await server.as('auditor').get('/api/admin-audit?limit=1000')
      assert.ok(!audit.json.events.some((e: { action: string }) => e.action.startsWith('generator')))
    })

    test('a password preview is a sample, and an unknown generator is a did-you-mean', async () => {
      const passwords = await server
        .as('auditor')
        .post('/api/generators/initial_password/preview', { filter: 'needs_account', count: 2 })
      assert.equal(passwords.status, 200, passwords.body)
      assert.equal(passwords.json.rows.length, 2)
      assert.equal(typeof passwords.json.rows[0].password, 'string')
      const noFilter = await server.as('auditor').post('/api/generators/initial_password/preview', {})
      assert.equal(noFilter.status, 400, noFilter.body)
      const unknown = await server.as('auditor').post('/api/generators/acount_names/preview', {})
      assert.equal(unknown.json.error.code, 'ENG_UNKNOWN_GENERATOR')
      assert.match(unknown.json.error.hint, /Did you mean 'account_names'/)
      assert.equal((await server.as('anonymous').get('/api/generators')).status, 401)
    })
  })
}
