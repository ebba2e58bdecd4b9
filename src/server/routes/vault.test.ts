import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerSystemRoutes } from './systems.ts'
import { registerVaultRoutes } from './vault.ts'

const ROWS = '/api/vault/tables/hr500.employees/rows'

for (const kind of VAULT_KINDS) {
  describe(`vault routes (${kind} vault)`, () => {
    let server: TestServer
    const get = (url: string) => server.as('auditor').get(url)
    before(async () => {
      server = await createTestServer(kind, {
        register: [(app, ctx) => registerSystemRoutes(app, ctx), (app, ctx) => registerVaultRoutes(app, ctx)],
      })
      const collected = await server.as('operator').post('/api/systems/hr500/collect')
      assert.equal(collected.status, 200, collected.body)
    })
    after(() => server.close())

    test('the tables, with row counts and their last collection', async () => {
      const answer = await get('/api/vault/tables')
      assert.equal(answer.status, 200, answer.body)
      const employees = answer.json.tables.find((t: { table: string }) => t.table === 'employees')
      assert.equal(employees.system, 'hr500')
      assert.equal(employees.rows, 585)
      assert.equal(employees.columns, 13)
      assert.equal(typeof employees.lastCollectionId, 'number')
    })

    test('rows a page at a time, sorted by the primary key or a column either way', async () => {
      const first = await get(`${ROWS}?limit=10&total=true`)
      assert.equal(first.status, 200, first.body)
      assert.equal(first.json.table, 'hr500.employees')
      assert.equal(first.json.primaryKey, 'employee_id')
      assert.equal(first.json.total, 585)
      assert.equal(first.json.rows.length, 10)
      assert.ok(
        first.json.columns.some((c: { name: string; type: string }) => c.name === 'birth_date' && c.type === 'date'),
      )
      const ids = first.json.rows.map((r: { employee_id: string }) => r.employee_id)
      assert.deepEqual(ids, [...ids].sort())
      const second = await get(`${ROWS}?limit=5&offset=5`)
      assert.deepEqual(
        second.json.rows.map((r: { employee_id: string }) => r.employee_id),
        ids.slice(5),
      )
      assert.equal(second.json.total, undefined, 'no total unless asked')
      // Keyset paging: `after` the cursor of a page gives the next one, whatever the sort; the last has none.
      const half = await get(`${ROWS}?limit=5`)
      const next = await get(`${ROWS}?limit=5&after=${half.json.next}`)
      assert.deepEqual(
        next.json.rows.map((r: { employee_id: string }) => r.employee_id),
        ids.slice(5),
      )
      // A key column (its index), a column with equal values, and one with NULLs (middle_name), both ways.
      for (const sort of ['employee_id', 'last_name', 'middle_name'])
        for (const order of ['asc', 'desc']) {
          const whole = (await get(`${ROWS}?limit=1000&sort=${sort}&order=${order}`)).json.rows
          const paged: unknown[] = []
          let after = ''
          for (;;) {
            const page = await get(`${ROWS}?limit=50&sort=${sort}&order=${order}${after}`)
            assert.equal(page.status, 200, page.body)
            paged.push(...page.json.rows)
            if (page.json.next === null) break
            after = `&after=${page.json.next}`
          }
          assert.deepEqual(paged, whole, `sorted by ${sort} ${order}, paged by cursor`)
          const offset = (await get(`${ROWS}?limit=50&offset=100&sort=${sort}&order=${order}`)).json.rows
          assert.deepEqual(offset, whole.slice(100, 150), `sorted by ${sort} ${order}, with an offset`)
        }
      assert.ok(
        (await get(`${ROWS}?limit=1000&where=${encodeURIComponent('middle_name is null')}`)).json.rows.length > 0,
        'middle_name has NULLs',
      )
      const forged = await get(`${ROWS}?after=not-a-cursor`)
      assert.deepEqual([forged.status, forged.json.error.code], [400, 'VLT_INVALID_CURSOR'])
      const desc = await get(`${ROWS}?limit=20&sort=last_name&order=desc`)
      const names = desc.json.rows.map((r: { last_name: string }) => r.last_name)
      assert.deepEqual(names, [...names].sort().reverse())
      const unknown = await get(`${ROWS}?sort=surname`)
      assert.equal(unknown.status, 404)
      assert.match(unknown.json.error.hint, /last_name/)
      const bad = await get(`${ROWS}?limit=-1&order=up`)
      assert.equal(bad.status, 400)
      assert.equal(bad.json.error.code, 'SRV_INVALID_REQUEST')
      assert.deepEqual(bad.json.error.details.issues.map((i: { path: string }) => i.path).sort(), ['limit', 'order'])
    })

    test('a where expression filters with its values bound', async () => {
      const where = encodeURIComponent("last_name like 'B%' and birth_date < date '1980-01-01'")
      const answer = await get(`${ROWS}?where=${where}&limit=1000&total=true`)
      assert.equal(answer.status, 200, answer.body)
      assert.ok(answer.json.total > 0 && answer.json.total < 585)
      assert.equal(answer.json.rows.length, answer.json.total)
      for (const row of answer.json.rows) {
        assert.match(row.last_name, /^B/)
        assert.ok(row.birth_date < '1980-01-01')
      }
      // A quote inside a string literal is a value, not SQL: it matches nothing and breaks nothing.
      const injection = await get(`${ROWS}?where=${encodeURIComponent("last_name = 'x'' or ''1''=''1'")}&total=true`)
      assert.equal(injection.status, 200, injection.body)
      assert.equal(injection.json.total, 0)
      assert.equal((await get(`${ROWS}?limit=0&total=true`)).json.total, 585)
    })

    test('a hostile or broken where is a positioned expression error, as data', async () => {
      for (const text of [
        "last_name = 'x'; DROP TABLE vault_tables; --",
        "last_name = '' or 1=1 --",
        'last_name = ',
        'lastname = 1',
      ]) {
        const answer = await get(`${ROWS}?where=${encodeURIComponent(text)}`)
        assert.ok([400, 422].includes(answer.status), `${text}: ${answer.body}`)
        assert.equal(answer.json.error.code, 'VLT_INVALID_CONDITION', text)
        const [issue] = answer.json.error.details.issues
        assert.ok(issue.code.length > 0 && issue.message.length > 0, text)
        assert.equal(typeof issue.column, 'number', `${text}: ${JSON.stringify(issue)}`)
        assert.equal(typeof issue.line, 'number', text)
      }
      assert.equal((await get('/api/vault/tables')).json.tables.length, 3)
    })

    test('the history of one row, newest first', async () => {
      const file = path.join(server.dir, 'files', 'hr500', 'employees.csv')
      const original = readFileSync(file, 'utf8')
      writeFileSync(
        file,
        original.replace('10075491;750-62-3938;Pieter;;Kuipers;', '10075491;750-62-3938;Pieter;;Kuiper;'),
      )
      try {
        const again = await server.as('operator').post('/api/systems/hr500/collect')
        assert.equal(again.status, 200, again.body)
        const answer = await get(`${ROWS}/10075491/history`)
        assert.equal(answer.status, 200, answer.body)
        assert.equal(answer.json.key, '10075491')
        assert.deepEqual(
          answer.json.changes.map((c: { kind: string }) => c.kind),
          ['changed', 'added'],
        )
        assert.equal(answer.json.changes[0].collectionId, again.json.id)
        assert.deepEqual(answer.json.changes[0].changes, [{ column: 'last_name', old: 'Kuipers', new: 'Kuiper' }])
        assert.deepEqual((await get(`${ROWS}/10075491/history?limit=1`)).json.changes.length, 1)
        assert.deepEqual((await get(`${ROWS}/nobody/history`)).json.changes, [])
      } finally {
        writeFileSync(file, original)
      }
    })

    test('an unknown table is a 404 that lists the tables; anonymous requests get nothing', async () => {
      const answer = await get('/api/vault/tables/hr500.employes/rows')
      assert.equal(answer.status, 404, answer.body)
      assert.equal(answer.json.error.code, 'VLT_UNKNOWN_TABLE')
      assert.match(answer.json.error.hint, /hr500\.employees/)
      assert.equal((await get('/api/vault/tables/employees/rows')).status, 404)
      for (const url of ['/api/vault/tables', ROWS, `${ROWS}/10075491/history`])
        assert.equal((await server.as('anonymous').get(url)).status, 401)
    })
  })
}
