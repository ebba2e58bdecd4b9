import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerLinkRoutes } from './links.ts'
import { registerSystemRoutes } from './systems.ts'

for (const kind of VAULT_KINDS) {
  describe(`link routes (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, {
        register: [(app, ctx) => registerSystemRoutes(app, ctx), (app, ctx) => registerLinkRoutes(app, ctx)],
      })
      for (const system of ['hr500', 'directory']) {
        const collected = await server.as('operator').post(`/api/systems/${system}/collect`)
        assert.equal(collected.status, 200, collected.body)
      }
    })
    after(() => server.close())

    test("the project's links", async () => {
      const answer = await server.as('auditor').get('/api/links')
      assert.equal(answer.status, 200, answer.body)
      const link = answer.json.links.find((l: { name: string }) => l.name === 'employee_account')
      assert.equal(link.leftColumn, 'hr500.employees.employee_id')
      assert.equal(link.rightColumn, 'directory.users.employeeID')
      assert.equal(link.file, 'filters/employee-account.yaml')
    })

    test('the match report: only left, common and only right, with as many samples as asked', async () => {
      const answer = await server.as('auditor').get('/api/links/Employee_Account/match?samples=2')
      assert.equal(answer.status, 200, answer.body)
      const m = answer.json
      assert.equal(m.link, 'employee_account')
      assert.ok(m.common.count > 0 && m.left.only > 0 && m.right.only > 0, answer.body)
      assert.equal(m.left.samples.length, 2)
      assert.equal(m.right.samples.length, 2)
      assert.equal(m.common.samples.length, 2)
      assert.ok('employee_id' in m.left.samples[0])
      assert.equal(m.common.samples[0].left.employee_id, m.common.samples[0].right.employeeID)
      const none = await server.as('auditor').get('/api/links/employee_account/match?samples=0')
      assert.equal(none.json.common.count, m.common.count)
      assert.deepEqual(none.json.left.samples, [])
      assert.equal((await server.as('auditor').get('/api/links/employee_account/match?samples=x')).status, 400)
    })

    test('an unknown link is an error answer with a did-you-mean hint; anonymous requests get nothing', async () => {
      const answer = await server.as('auditor').get('/api/links/employee_acount/match')
      assert.ok(answer.status >= 400 && answer.status < 500, answer.body)
      assert.equal(answer.json.error.code, 'FLT_UNKNOWN_LINK')
      assert.match(answer.json.error.hint, /Did you mean 'employee_account'\?/)
      assert.equal((await server.as('anonymous').get('/api/links')).status, 401)
      assert.equal((await server.as('anonymous').get('/api/links/employee_account/match')).status, 401)
    })
  })
}
