import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerFilterRoutes } from './filters.ts'
import { registerSystemRoutes } from './systems.ts'

for (const kind of VAULT_KINDS) {
  describe(`filter routes (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, {
        register: [(app, ctx) => registerSystemRoutes(app, ctx), (app, ctx) => registerFilterRoutes(app, ctx)],
      })
      for (const system of ['hr500', 'directory']) {
        const collected = await server.as('operator').post(`/api/systems/${system}/collect`)
        assert.equal(collected.status, 200, collected.body)
      }
    })
    after(() => server.close())

    test("the project's filters with their parameters", async () => {
      const answer = await server.as('auditor').get('/api/filters')
      assert.equal(answer.status, 200, answer.body)
      const filter = answer.json.filters.find((f: { name: string }) => f.name === 'needs_account')
      assert.equal(filter.start, 'hr500.employees')
      assert.deepEqual(filter.parameters, [{ name: 'today', type: 'date', default: '2026-12-01' }])
    })

    test('running a filter: a page of rows and the total, with parameters', async () => {
      const all = await server.as('auditor').post('/api/filters/current_employees/run', { limit: 10000, total: true })
      assert.equal(all.status, 200, all.body)
      assert.ok(all.json.total > 10)
      assert.equal(all.json.rows.length, all.json.total)
      assert.ok(all.json.columns.some((c: { name: string }) => c.name.startsWith('e.')))
      const page = await server.as('auditor').post('/api/filters/current_employees/run', { limit: 4, offset: 3 })
      assert.equal(page.json.total, undefined, 'no total unless asked')
      assert.equal(page.json.more, true)
      assert.equal(all.json.more, false)
      assert.deepEqual(page.json.rows, all.json.rows.slice(3, 7))
      const defaults = await server.as('auditor').post('/api/filters/current_employees/run')
      assert.equal(defaults.json.rows.length, Math.min(100, all.json.total))
      // Long ago, fewer contracts ran.
      const past = await server.as('auditor').post('/api/filters/current_employees/run', {
        parameters: { today: '2000-01-01' },
        limit: 0,
        total: true,
      })
      assert.equal(past.status, 200, past.body)
      assert.ok(past.json.total < all.json.total)
      assert.deepEqual(past.json.rows, [])
      const bad = await server
        .as('auditor')
        .post('/api/filters/current_employees/run', { parameters: { today: 'soon' } })
      assert.ok(bad.status >= 400 && bad.status < 500, bad.body)
      const extra = await server.as('auditor').post('/api/filters/current_employees/run', { limits: 3 })
      assert.equal(extra.status, 400)
      assert.equal(extra.json.error.code, 'SRV_INVALID_REQUEST')
    })

    test('the SQL of a filter, for the vault or another dialect, with its parameters bound', async () => {
      const answer = await server.as('auditor').get('/api/filters/current_employees/sql?param=today=2025-06-30')
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.dialect, kind)
      assert.ok(answer.json.params.includes('2025-06-30'), answer.body)
      assert.ok(!answer.json.sql.includes('2025-06-30'))
      const other = kind === 'sqlite' ? 'postgres' : 'sqlite'
      const sql = await server.as('auditor').get(`/api/filters/current_employees/sql?dialect=${other}`)
      assert.equal(sql.json.dialect, other)
      assert.notEqual(sql.json.sql, answer.json.sql)
      const bad = await server.as('auditor').get('/api/filters/current_employees/sql?param=today')
      assert.equal(bad.status, 400)
      assert.equal(bad.json.error.code, 'SRV_INVALID_REQUEST')
    })

    test('explain: the rows after each item of a filter', async () => {
      const answer = await server.as('auditor').get('/api/filters/current_employees/explain')
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.filter, 'current_employees')
      assert.equal(answer.json.steps[0].kind, 'Start')
      assert.equal(answer.json.steps[0].rows, 585)
      assert.equal(answer.json.startRows, 585)
      const total = (await server.as('auditor').post('/api/filters/current_employees/run', { limit: 0, total: true }))
        .json.total
      assert.equal(answer.json.rows, total)
      const past = await server.as('auditor').get('/api/filters/current_employees/explain?param=today=2000-01-01')
      assert.ok(past.json.rows < answer.json.rows)
    })

    test('an unknown filter is a 404 with a did-you-mean hint; anonymous requests get nothing', async () => {
      for (const answer of [
        await server.as('auditor').post('/api/filters/needs_acount/run'),
        await server.as('auditor').get('/api/filters/needs_acount/sql'),
        await server.as('auditor').get('/api/filters/needs_acount/explain'),
      ]) {
        assert.equal(answer.status, 404, answer.body)
        assert.equal(answer.json.error.code, 'FLT_UNKNOWN_FILTER')
        assert.match(answer.json.error.hint, /Did you mean 'needs_account'\?/)
      }
      assert.equal((await server.as('anonymous').get('/api/filters')).status, 401)
      assert.equal((await server.as('anonymous').post('/api/filters/needs_account/run')).status, 401)
    })
  })
}
