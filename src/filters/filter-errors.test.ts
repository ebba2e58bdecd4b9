import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ProvisioError } from '../core/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { writeCollection } from '../vault/index.ts'
import { compileFilter, countFilter, explainFilter, matchLink, runFilter } from './index.ts'
import { CONTEXT, EMPLOYEE_ACCOUNT, EMPLOYEES, type FilterSpec, TABLE_ROWS, filterConfig } from './test-fixtures.ts'

function thrown(fn: () => unknown, code: string): ProvisioError {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof ProvisioError, String(error))
    assert.equal(error.code, code, error.message)
    return error
  }
  assert.fail(`expected ${code}`)
}

async function rejected(promise: Promise<unknown>, code: string): Promise<ProvisioError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof ProvisioError, String(error))
    assert.equal(error.code, code, error.message)
    return error
  }
  assert.fail(`expected ${code}`)
}

const compile =
  (spec: FilterSpec, params = {}) =>
  () =>
    compileFilter(filterConfig(spec), CONTEXT, 'sqlite', params)

describe('filter errors', () => {
  it('reports a join that no relation or link reaches, at the join', () => {
    const error = thrown(
      compile({ start: 'dir.groups AS g', joins: [{ table: 'hr.contracts AS c', mode: 'any' }] }),
      'FLT_NO_PATH',
    )
    assert.equal(
      error.message,
      'Filter test_filter is not valid: No relation or link connects dir.groups and hr.contracts.',
    )
    assert.deepEqual(error.issues[0]!.path, ['joins', 0, 'table'])
  })

  it('lists the candidates when several relations or links connect the tables', () => {
    const error = thrown(compile({ joins: [{ table: 'dir.users AS u', mode: 'none' }] }), 'FLT_AMBIGUOUS_PATH')
    assert.equal(
      error.hint,
      'Say which with via: one of link employee_account (hr.employees.employee_id ↔ dir.users.employeeID); link employee_login (hr.employees.last_name ↔ dir.users.sAMAccountName).',
    )
  })

  it('reports a via that names nothing, with a suggestion and what connects the tables', () => {
    const error = thrown(
      compile({ joins: [{ table: 'dir.users AS u', mode: 'none', via: 'employee_acount' }] }),
      'FLT_UNKNOWN_VIA',
    )
    assert.equal(
      error.message,
      "Filter test_filter is not valid: There is no relation or link named 'employee_acount'.",
    )
    assert.match(error.hint!, /^Did you mean 'employee_account'\? .*these connect them: link employee_account/)
    assert.deepEqual(error.issues[0]!.path, ['joins', 0, 'via'])
  })

  it('reports a via that connects other tables', () => {
    const error = thrown(
      compile({ joins: [{ table: 'hr.contracts AS c', mode: 'any', via: 'contracts_unit' }] }),
      'FLT_NO_PATH',
    )
    assert.match(
      error.message,
      /The relation contracts_unit connects hr.contracts and hr.departments, not hr.employees and hr.contracts\./,
    )
  })

  it('accepts a via in another case, as validation does', () => {
    compileFilter(
      filterConfig({ joins: [{ table: 'dir.users AS u', mode: 'none', via: 'Employee_Account' }] }),
      CONTEXT,
      'sqlite',
    )
  })

  const withParameter: FilterSpec = {
    parameters: { since: { type: 'date' } },
    joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'start_date >= :since' }],
  }

  it('names a parameter that has neither a default nor a value', () => {
    const error = thrown(compile(withParameter), 'FLT_MISSING_PARAMETER')
    assert.equal(error.message, "The filter test_filter needs a value for its parameter 'since' (date).")
    assert.equal(error.hint, 'Run it with --param since=VALUE, or give the parameter a default.')
  })

  it('refuses a value that is not of the parameter type', () => {
    const error = thrown(compile(withParameter, { since: '2026-13-01' }), 'FLT_INVALID_PARAMETER')
    assert.equal(
      error.message,
      'The value "2026-13-01" of parameter \'since\' of filter test_filter is not a valid date.',
    )
  })

  it('refuses a value for a parameter the filter does not declare', () => {
    const error = thrown(compile(withParameter, { since: '2026-01-01', sinec: '2026-01-01' }), 'FLT_UNKNOWN_PARAMETER')
    assert.equal(error.message, "The filter test_filter has no parameter 'sinec'.")
  })

  it('carries the expression issues of an invalid expression', () => {
    const error = thrown(compile({ where: "e.frist_name = 'Ann'" }), 'FLT_INVALID_EXPRESSION')
    assert.equal(error.issues[0]!.code, 'EXPR_UNKNOWN_COLUMN')
    assert.equal(error.issues[0]!.message, "In the where: 'e' has no column 'frist_name'.")
    assert.equal(error.issues[0]!.excerpt, "e.frist_name = 'Ann'\n^^^^^^^^^^^^")
  })

  it('reports output columns that are not attached', () => {
    const error = thrown(
      compile({
        joins: [{ table: 'hr.contracts AS c', mode: 'none' }],
        output: ['e.employee_id', 'c.contract_id', 'x.y'],
      }),
      'FLT_INVALID_OUTPUT',
    )
    assert.equal(error.issues[1]!.message, "'x' is not an attached alias (e). Did you mean 'e'?")
    assert.equal(error.issues[0]!.message, "'c' is joined with none, which attaches no columns.")
    assert.deepEqual(error.issues[0]!.path, ['output', 1])
  })

  it('reports a repeated alias', () => {
    thrown(compile({ joins: [{ table: 'hr.contracts AS e', mode: 'any' }] }), 'FLT_DUPLICATE_NAME')
  })

  it('reports a lookup whose value cannot be compared with its column', () => {
    const error = thrown(
      compile({ lookups: [{ name: 'l', mode: 'include', value: 'grade', in: 'dir.groups.cn' }] }),
      'FLT_TYPE_MISMATCH',
    )
    assert.equal(error.issues[0]!.message, "Lookup 'l' compares a integer value with dir.groups.cn (string).")
  })

  it('reports unknown tables with a suggestion', () => {
    const error = thrown(compile({ start: 'hr.employes AS e' }), 'FLT_UNKNOWN_TABLE')
    assert.equal(error.hint, "Did you mean 'employees'?")
  })
})

for (const kind of VAULT_KINDS) {
  describe(`filter errors in the vault (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    const anyContract = filterConfig({ joins: [{ table: 'hr.contracts AS c', mode: 'any' }] })

    it('says which system to collect when a table was never collected', async () => {
      const compiled = compileFilter(anyContract, CONTEXT, kind)
      const error = await rejected(countFilter(vault.driver, compiled), 'FLT_NOT_COLLECTED')
      assert.equal(error.message, 'Filter test_filter reads hr.employees, which has never been collected.')
      assert.equal(error.hint, 'Run `provisio collect hr`, then try again.')
      await rejected(runFilter(vault.driver, compiled).next(), 'FLT_NOT_COLLECTED')
      await rejected(explainFilter(vault.driver, anyContract, CONTEXT), 'FLT_NOT_COLLECTED')
      await rejected(matchLink(vault.driver, EMPLOYEE_ACCOUNT, CONTEXT), 'FLT_NOT_COLLECTED')
    })

    it('says when a table was collected before a column the filter reads was declared', async () => {
      const older = { ...EMPLOYEES, columns: EMPLOYEES.columns.filter((c) => c.name !== 'grade') }
      await writeCollection(vault.driver, {
        system: 'hr',
        tables: [
          {
            schema: older,
            read: async function* () {
              yield { rows: TABLE_ROWS['hr.employees']! }
            },
          },
        ],
      })
      const compiled = compileFilter(filterConfig({ where: 'grade > 3' }), CONTEXT, kind)
      const error = await rejected(countFilter(vault.driver, compiled), 'FLT_NOT_COLLECTED')
      assert.equal(error.message, 'hr.employees was collected before its column grade was declared.')
    })
  })
}
