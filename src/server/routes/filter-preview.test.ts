import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS } from '../../../test/support/vaults.ts'
import { registerFilterPreviewRoutes } from './filter-preview.ts'
import { registerFilterRoutes } from './filters.ts'
import { registerSystemRoutes } from './systems.ts'

const byDepartment = (where: string) =>
  [
    'kind: Filter',
    'name: in_department',
    'start: hr500.employees AS e',
    'parameters:',
    "  unit: { type: string, default: 'none' }",
    'joins:',
    '  - table: hr500.contracts AS c',
    '    mode: any',
    `    where: ${where}`,
    'output: [e.employee_id, e.last_name, c.organizational_unit]',
    '',
  ].join('\n')

for (const kind of VAULT_KINDS) {
  describe(`filter preview route (${kind} vault)`, () => {
    let server: TestServer
    let unit: string
    before(async () => {
      server = await createTestServer(kind, {
        register: [
          (app, ctx) => registerSystemRoutes(app, ctx),
          (app, ctx) => registerFilterRoutes(app, ctx),
          (app, ctx) => registerFilterPreviewRoutes(app, ctx),
        ],
      })
      for (const system of ['hr500', 'directory']) {
        const collected = await server.as('operator').post(`/api/systems/${system}/collect`)
        assert.equal(collected.status, 200, collected.body)
      }
      const contracts = await server.as('auditor').post('/api/filters/current_employees/run', { limit: 1 })
      unit = String(contracts.json.rows[0]['d.organizational_unit'])
    })
    after(() => server.close())

    test('an unsaved filter: its first rows and its count, a parameter bound', async () => {
      const answer = await server.as('auditor').post('/api/filters/preview', {
        source: byDepartment('c.organizational_unit = :unit'),
        parameters: { unit },
        limit: 3,
      })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.valid, true, answer.body)
      assert.ok(answer.json.count >= 1)
      assert.equal(answer.json.rows.length, Math.min(3, answer.json.count))
      for (const row of answer.json.rows) assert.equal(row['c.organizational_unit'], unit)
      assert.deepEqual(
        answer.json.columns.map((c: { name: string }) => c.name),
        ['e.employee_id', 'e.last_name', 'c.organizational_unit'],
      )
      // The default parameter selects nobody; nothing was saved.
      const none = await server.as('auditor').post('/api/filters/preview', {
        source: byDepartment('c.organizational_unit = :unit'),
      })
      assert.equal(none.json.count, 0)
      assert.deepEqual(none.json.rows, [])
      const listed = await server.as('auditor').get('/api/filters')
      assert.ok(!listed.json.filters.some((f: { name: string }) => f.name === 'in_department'))
    })

    test('a value that looks like SQL is bound, never part of the statement', async () => {
      const answer = await server.as('auditor').post('/api/filters/preview', {
        source: byDepartment('c.organizational_unit = :unit'),
        parameters: { unit: "x' OR '1'='1" },
      })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.count, 0)
    })

    test('a typo in a column: not valid, the issue positioned in the text sent', async () => {
      const answer = await server.as('auditor').post('/api/filters/preview', {
        source: byDepartment('c.organisational_unit = :unit'),
      })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.valid, false)
      assert.equal(answer.json.count, null)
      assert.deepEqual(answer.json.rows, [])
      const issue = answer.json.issues.find((i: { inSource: boolean }) => i.inSource)
      assert.ok(issue, answer.body)
      assert.equal(issue.line, 9, answer.body)
    })

    test('a saved filter previewed with a changed text replaces it, and the file is untouched', async () => {
      const file = path.join(server.ctx.projectDir, 'filters', 'accounts.yaml')
      const before = await readFile(file, 'utf8')
      const answer = await server.as('auditor').post('/api/filters/preview', {
        source: [
          'kind: Filter',
          'name: surname_changed',
          'start: hr500.employees AS e',
          'output: [e.employee_id]',
        ].join('\n'),
        limit: 200,
      })
      assert.equal(answer.status, 200, answer.body)
      assert.equal(answer.json.valid, true, answer.body)
      assert.ok(answer.json.count > 100)
      assert.equal(answer.json.rows.length, 200)
      assert.equal(await readFile(file, 'utf8'), before)
    })

    test('limits and kinds: more than 200 rows or another kind is refused', async () => {
      const many = await server.as('auditor').post('/api/filters/preview', { source: byDepartment('true'), limit: 201 })
      assert.equal(many.status, 400)
      assert.equal(many.json.error.code, 'SRV_INVALID_REQUEST')
      const other = await server
        .as('auditor')
        .post('/api/filters/preview', { source: 'kind: Link\nname: x\nleft: a.b\nright: c.d\n' })
      assert.equal(other.status, 400, other.body)
      const anonymous = await server.as('anonymous').post('/api/filters/preview', { source: byDepartment('true') })
      assert.equal(anonymous.status, 401)
    })
  })
}
