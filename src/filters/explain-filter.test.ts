import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { explainFilter } from './index.ts'
import { CONTEXT, collectFixtures, filterConfig } from './test-fixtures.ts'

const narrowing = filterConfig({
  name: 'narrowing',
  where: 'c.fte >= 0.8',
  joins: [
    {
      table: 'hr.contracts AS c',
      mode: 'any',
      joins: [{ table: 'hr.departments AS d', mode: 'any', where: 'd.manager_id is not null' }],
    },
    { table: 'dir.users AS u', mode: 'optional', via: 'employee_account' },
  ],
  lookups: [{ name: 'no_group', mode: 'exclude', value: 'd.name', in: 'dir.groups.cn' }],
})

for (const kind of VAULT_KINDS) {
  describe(`explainFilter (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
      await collectFixtures(vault.driver)
    })
    after(async () => vault.close())

    it('counts the rows left after each item, cumulatively in document order', async () => {
      const explanation = await explainFilter(vault.driver, narrowing, CONTEXT)
      assert.deepEqual(
        explanation.steps.map((s) => [s.kind, s.label, s.rows]),
        [
          ['Start', 'hr.employees AS e', 5],
          [
            'Join',
            'any hr.contracts AS c (relation contracts_employee_id (hr.contracts.employee_id → hr.employees.employee_id))',
            6,
          ],
          ['Join', 'any hr.departments AS d (relation contracts_unit (hr.contracts.unit → hr.departments.unit))', 5],
          [
            'Join',
            'optional dir.users AS u (link employee_account (hr.employees.employee_id ↔ dir.users.employeeID))',
            5,
          ],
          ['Where', 'where', 3],
          ['Lookup', 'lookup no_group (exclude)', 1],
        ],
      )
      assert.equal(explanation.rows, 1)
      assert.equal(explanation.startRows, 5)
      assert.equal(explanation.maxRowsPerStartRow, 1)
      assert.deepEqual(explanation.warnings, [])
    })

    it('warns when the joins give more rows per start row than maxMultiplication', async () => {
      const multiplying = filterConfig({
        name: 'multiplying',
        joins: [{ table: 'hr.contracts AS c', mode: 'any' }],
        maxMultiplication: 1,
      })
      const explanation = await explainFilter(vault.driver, multiplying, CONTEXT)
      assert.equal(explanation.maxRowsPerStartRow, 2)
      assert.deepEqual(explanation.warnings, [
        {
          code: 'FLT_MULTIPLICATION',
          message:
            'Filter multiplying gives up to 2 rows for one row of hr.employees, more than its maxMultiplication (1).',
          hint: 'Check that the joins use the right relations or links and narrow them with where conditions, or raise maxMultiplication.',
          severity: 'warning',
          file: 'filters/multiplying.yaml',
        },
      ])
    })

    it("uses the run's parameter values", async () => {
      const byUnit = filterConfig({
        parameters: { unit: { type: 'string' } },
        joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'unit = :unit' }],
      })
      const explanation = await explainFilter(vault.driver, byUnit, CONTEXT, { unit: 'IT' })
      assert.deepEqual(
        explanation.steps.map((s) => s.rows),
        [5, 3],
      )
    })
  })
}
