/**
 * Values never become SQL text. For hostile strings (quotes, comments, semicolons, backslashes, NUL,
 * Unicode look-alikes of quotes, classic injections) used as parameter values and as data values:
 * the compiled SQL is identical to the SQL for a harmless value, the value travels only as a bound
 * parameter, and running returns exactly the rows that hold the value literally.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Row, TableSchema } from '../core/index.ts'
import type { SystemConfig } from '../config/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { writeCollection } from '../vault/index.ts'
import { compileFilter, runFilter } from './index.ts'
import { CONTEXT, TABLE_ROWS, collectFixtures, filterConfig, HR } from './test-fixtures.ts'

const HOSTILE: readonly string[] = [
  "'",
  "''",
  "' OR '1'='1",
  "x' OR '1'='1' --",
  '); DROP TABLE x; --',
  "'); DROP TABLE hr__employees__versions; --",
  '-- comment',
  '/* comment */',
  '*/ SELECT 1 /*',
  ';',
  'a\\',
  "\\'; SELECT 1; --",
  '?',
  '$1',
  '$$ dollar $$',
  '"quoted"',
  '"e"."last_name"',
  'line\nbreak\r\n',
  '\uff07 fullwidth apostrophe',
  '\u02bc modifier apostrophe',
  '\u2019 right quote',
  'nul\u0000byte',
]

/** PostgreSQL text cannot hold U+0000, so the NUL value is SQLite-only. */
const valuesFor = (kind: 'sqlite' | 'postgres') => HOSTILE.filter((v) => kind === 'sqlite' || !v.includes('\u0000'))

const byName = filterConfig({
  parameters: { name: { type: 'string' } },
  where: 'last_name = :name or lower(last_name) = lower(:name)',
  output: ['e.employee_id', 'e.last_name'],
})

const groupLookup = filterConfig({
  start: 'hr.departments AS d',
  lookups: [{ name: 'group', mode: 'include', value: 'd.name', in: 'dir.groups.cn', caseInsensitive: true }],
  output: ['d.unit'],
})

describe('filter SQL with hostile parameter values', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const harmless = compileFilter(byName, CONTEXT, dialect, { name: 'harmless' })
    for (const value of HOSTILE) {
      it(`binds ${JSON.stringify(value)} on ${dialect} and leaves the SQL unchanged`, () => {
        const compiled = compileFilter(byName, CONTEXT, dialect, { name: value })
        assert.equal(compiled.sql, harmless.sql)
        assert.deepEqual(compiled.params, [value, value])
        if (!harmless.sql.includes(value)) assert.ok(!compiled.sql.includes(value))
      })
    }
  }
})

/** An identifier with a double quote in it, to prove names pass the quoting hook. */
const ODD: TableSchema = {
  system: 'hr',
  name: 'odd "table"',
  primaryKey: 'id',
  referenceKeys: [],
  options: {},
  columns: [
    { name: 'id', type: 'string', source: 'id' },
    { name: 'we"ird', type: 'string', source: 'we"ird' },
  ],
}
const ODD_CONTEXT = {
  ...CONTEXT,
  systems: [{ ...HR, tables: [...HR.tables, ODD] } as SystemConfig, ...CONTEXT.systems.slice(1)],
}

describe('filter SQL identifiers', () => {
  it('quotes table, alias and column names with doubled double quotes', () => {
    const compiled = compileFilter(
      filterConfig({ start: 'hr.odd "table" AS o', where: `"we""ird" = 'x'` }),
      ODD_CONTEXT,
      'sqlite',
    )
    assert.equal(
      compiled.sql,
      [
        'SELECT "o"."id" AS "o.id", "o"."we""ird" AS "o.we""ird"',
        'FROM "hr__odd ""table""" AS "o"',
        'WHERE ("o"."we""ird" = ?)',
        'ORDER BY "o"."_rid"',
      ].join('\n'),
    )
  })
})

for (const kind of VAULT_KINDS) {
  describe(`filters on hostile data (${kind})`, () => {
    let vault: TestVault
    const values = valuesFor(kind)
    const employees: Row[] = values.map((v, i) => ({
      ...TABLE_ROWS['hr.employees']![0]!,
      employee_id: `H${i}`,
      last_name: v,
    }))
    before(async () => {
      vault = await createTestVault(kind)
      await collectFixtures(vault.driver, {
        'hr.employees': employees,
        'hr.departments': values.map((v, i) => ({ unit: `U${i}`, name: v, manager_id: null })),
        'dir.groups': values.map((v, i) => ({ dn: `cn=g${i}`, cn: v.toUpperCase(), members: [] })),
      })
      await writeCollection(vault.driver, {
        system: 'hr',
        tables: [
          {
            schema: ODD,
            read: async function* () {
              yield {
                rows: [
                  { id: '1', 'we"ird': 'x' },
                  { id: '2', 'we"ird': "x'" },
                ],
              }
            },
          },
        ],
      })
    })
    after(async () => vault.close())

    for (const [i, value] of values.entries()) {
      it(`finds exactly the row holding ${JSON.stringify(value)}`, async () => {
        const rows: Row[] = []
        const compiled = compileFilter(byName, CONTEXT, kind, { name: value })
        for await (const page of runFilter(vault.driver, compiled)) rows.push(...page)
        const expected = employees.filter(
          (e) => e['last_name'] === value || (e['last_name'] as string).toLowerCase() === value.toLowerCase(),
        )
        assert.deepEqual(
          rows,
          expected.map((e) => ({ 'e.employee_id': e['employee_id'], 'e.last_name': e['last_name'] })),
        )
        assert.ok(rows.some((r) => r['e.employee_id'] === `H${i}`))
      })
    }

    it('looks up hostile data values literally, and the tables are still there', async () => {
      const rows: Row[] = []
      for await (const page of runFilter(vault.driver, compileFilter(groupLookup, CONTEXT, kind))) rows.push(...page)
      // Upper-cased group names match every department case-insensitively, and nothing else.
      assert.deepEqual(
        rows.map((r) => r['d.unit']),
        values.map((_v, i) => `U${i}`),
      )
      const odd: Row[] = []
      const compiled = compileFilter(
        filterConfig({ start: 'hr.odd "table" AS o', where: `"we""ird" = 'x'` }),
        ODD_CONTEXT,
        kind,
      )
      for await (const page of runFilter(vault.driver, compiled)) odd.push(...page)
      assert.deepEqual(odd, [{ 'o.id': '1', 'o.we"ird': 'x' }])
    })
  })
}
