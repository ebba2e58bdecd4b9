import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Row } from '../core/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { FEATURE_CASES } from './feature-cases.ts'
import { JOIN_CASES } from './filter-cases.ts'
import { NESTING_CASES } from './nesting-cases.ts'
import { type CompiledFilter, compileFilter, countFilter, runFilter } from './index.ts'
import { CONTEXT, collectFixtures, filterConfig } from './test-fixtures.ts'
import type { SqlExecutor } from '../vault/index.ts'

const CASES = [...JOIN_CASES, ...NESTING_CASES, ...FEATURE_CASES]

async function allRows(db: SqlExecutor, compiled: CompiledFilter, limit?: number): Promise<Row[]> {
  const rows: Row[] = []
  for await (const page of runFilter(db, compiled, { limit, pageSize: 2 })) rows.push(...page)
  return rows
}

describe('compileFilter', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const filter = filterConfig(c.filter)
      for (const dialect of ['sqlite', 'postgres'] as const) {
        const compiled = compileFilter(filter, CONTEXT, dialect, c.params)
        assert.deepEqual([compiled.sql, compiled.params], c[dialect], dialect)
      }
    })
  }

  it('names the result columns alias.column and computed columns by name, with their types', () => {
    const compiled = compileFilter(
      filterConfig({ start: 'hr.departments AS d', columns: { n: 'length(name)' }, output: ['d.unit', 'n'] }),
      CONTEXT,
      'sqlite',
    )
    assert.deepEqual(compiled.columns, [
      { name: 'd.unit', type: 'string' },
      { name: 'n', type: 'integer' },
    ])
  })

  it('joins through the relation or link validation resolved (JoinItem.through)', () => {
    const filter = filterConfig({ joins: [{ table: 'dir.users AS u', mode: 'none' }] })
    const join = { ...filter.joins[0]!, through: { kind: 'link' as const, name: 'employee_login' } }
    const compiled = compileFilter({ ...filter, joins: [join] }, CONTEXT, 'postgres')
    assert.match(compiled.sql, /= "u"\."sAMAccountName"/)
  })

  it('lists the tables and columns the statement reads', () => {
    const compiled = compileFilter(
      filterConfig({
        joins: [{ table: 'dir.users AS u', mode: 'none', via: 'employee_login' }],
        output: ['e.employee_id'],
      }),
      CONTEXT,
      'postgres',
    )
    assert.deepEqual(compiled.tables, [
      { system: 'hr', table: 'employees', columns: ['employee_id', 'first_name', 'last_name'] },
      { system: 'dir', table: 'users', columns: ['sAMAccountName'] },
    ])
  })
})

for (const kind of VAULT_KINDS) {
  describe(`runFilter (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
      await collectFixtures(vault.driver)
    })
    after(async () => vault.close())

    for (const c of CASES) {
      it(c.name, async () => {
        const compiled = compileFilter(filterConfig(c.filter), CONTEXT, kind, c.params)
        const rows = await allRows(vault.driver, compiled)
        assert.deepEqual(
          rows.map((r) => compiled.columns.map((col) => r[col.name])),
          c.rows,
        )
        assert.equal(await countFilter(vault.driver, compiled), c.rows.length)
      })
    }

    it("decodes values to the data model's shapes", async () => {
      const compiled = compileFilter(
        filterConfig({
          joins: [{ table: 'dir.users AS u', mode: 'optional', via: 'employee_account' }],
          columns: { born_in_leap_year: "format_date(birth_date, 'MM-DD') = '02-29'" },
          output: ['e.*', 'u.enabled', 'u.memberOf', 'born_in_leap_year'],
          where: "e.employee_id in ('E001', 'E005')",
        }),
        CONTEXT,
        kind,
      )
      assert.deepEqual(await allRows(vault.driver, compiled), [
        {
          'e.employee_id': 'E001',
          'e.first_name': 'Ann',
          'e.last_name': 'Smith',
          'e.birth_date': '1980-01-15',
          'e.grade': 7,
          'e.active': true,
          'e.manager_id': null,
          'u.enabled': true,
          'u.memberOf': ['All Staff', 'Finance'],
          born_in_leap_year: false,
        },
        {
          'e.employee_id': 'E005',
          'e.first_name': 'Eve',
          'e.last_name': 'Zoë',
          'e.birth_date': '1988-02-29',
          'e.grade': 5,
          'e.active': true,
          'e.manager_id': null,
          'u.enabled': null,
          'u.memberOf': null,
          born_in_leap_year: true,
        },
      ])
    })

    it('attaches a row of an optional join only when its nested multiple join has two matches', async () => {
      const compiled = compileFilter(
        filterConfig({
          start: 'hr.departments AS d',
          joins: [
            {
              table: 'hr.employees AS m',
              mode: 'optional',
              joins: [{ table: 'hr.contracts AS c', mode: 'multiple' }],
            },
          ],
          output: ['d.unit', 'm.employee_id', 'c.contract_id'],
        }),
        CONTEXT,
        kind,
      )
      assert.deepEqual(
        (await allRows(vault.driver, compiled)).map((r) => Object.values(r)),
        [
          ['FIN', null, null],
          ['IT', 'E002', 'C2'],
          ['IT', 'E002', 'C3'],
          ['HR', null, null],
          ['OPS', null, null],
        ],
      )
    })

    it('stops after limit rows and streams them in pages', async () => {
      const compiled = compileFilter(
        filterConfig({ joins: [{ table: 'hr.contracts AS c', mode: 'any' }], output: ['c.contract_id'] }),
        CONTEXT,
        kind,
      )
      assert.deepEqual(await allRows(vault.driver, compiled, 3), [
        { 'c.contract_id': 'C1' },
        { 'c.contract_id': 'C2' },
        { 'c.contract_id': 'C3' },
      ])
      const pages: number[] = []
      for await (const page of runFilter(vault.driver, compiled, { pageSize: 4 })) pages.push(page.length)
      assert.deepEqual(pages, [4, 2])
    })
  })
}
