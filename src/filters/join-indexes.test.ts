/**
 * The vault's join indexes (src/vault/join-indexes.ts) as filters use them: made by the step on
 * both databases, named deterministically, not made twice, dropped when the project stops joining
 * on a column; a filter gives the same rows with and without them, and the database plans its join
 * through one. Never a time.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Row } from '../core/index.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../test/support/vaults.ts'
import { ensureJoinIndexes, ensureJoinIndexesOnce, joinIndexName, type SqlExecutor } from '../vault/index.ts'
import { compileFilter, runFilter } from './index.ts'
import { CONTEXT, HR, collectFixtures, filterConfig } from './test-fixtures.ts'
import type { FilterContext } from './join-paths.ts'

async function joinIndexes(db: SqlExecutor): Promise<string[]> {
  const rows =
    db.dialect.name === 'sqlite'
      ? await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'")
      : await db.query<{ name: string }>('SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()')
  return rows
    .map((r) => r.name)
    .filter((n) => n.includes('__join_'))
    .sort()
}

/** Every row of a filter (a three-table join, a none join and an optional self join), in its order. */
async function rowsOf(db: SqlExecutor, filter: ReturnType<typeof filterConfig>): Promise<Row[]> {
  const all: Row[] = []
  for await (const page of runFilter(db, compileFilter(filter, CONTEXT, db.dialect.name))) all.push(...page)
  return all
}

const FILTERS = [
  filterConfig({
    name: 'assignments',
    start: 'hr.employees AS e',
    joins: [
      { table: 'hr.contracts AS c', mode: 'any', joins: [{ table: 'hr.departments AS d', mode: 'any' }] },
      { table: 'hr.employees AS m', mode: 'optional' },
    ],
  }),
  filterConfig({
    name: 'no_contract',
    start: 'hr.employees AS e',
    joins: [{ table: 'hr.contracts AS c', mode: 'none' }],
  }),
  filterConfig({
    name: 'no_account',
    start: 'hr.employees AS e',
    joins: [{ table: 'dir.users AS u', mode: 'none', via: 'employee_login' }],
  }),
]

/** The join the index serves: one employee's contracts, as a filter compiles it. */
const ONE_EMPLOYEE = filterConfig({
  name: 'one_employee',
  start: 'hr.employees AS e',
  where: "e.employee_id = 'E001'",
  joins: [{ table: 'hr.contracts AS c', mode: 'any' }],
})

async function plan(db: TestVault['driver'], sql: string, params: readonly unknown[]): Promise<string> {
  const values = params as Parameters<SqlExecutor['query']>[1]
  if (db.dialect.name === 'sqlite') {
    const rows = await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, values)
    return rows.map((r) => r.detail).join('\n')
  }
  // Tables of a few rows are read whole by PostgreSQL whatever the indexes: forbid that to see
  // whether the index can serve the join at all.
  return db.transaction(async (tx) => {
    await tx.exec('SET LOCAL enable_seqscan = off')
    const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values)
    return rows.map((r) => r['QUERY PLAN']).join('\n')
  })
}

for (const kind of VAULT_KINDS) {
  describe(`join indexes (${kind})`, () => {
    let vault: TestVault
    before(async () => {
      vault = await createTestVault(kind)
      await collectFixtures(vault.driver)
    })
    after(() => vault.close())

    it('indexes the columns relations and plain links join on, once, and gives the same rows', async () => {
      const db = vault.driver
      const without = await Promise.all(FILTERS.map((f) => rowsOf(db, f)))
      assert.deepEqual(await joinIndexes(db), [])

      const first = await ensureJoinIndexes(db, CONTEXT)
      const expected = [
        'dir__users__join_samaccou_', // a hashed suffix: the column is not all lower case
        'hr__contracts__join_employee_id',
        'hr__contracts__join_unit',
        'hr__departments__join_manager_id',
        'hr__employees__join_manager_id',
      ]
      const made = await joinIndexes(db)
      assert.equal(made.length, expected.length, made.join(', '))
      expected.forEach((prefix, i) => assert.ok(made[i]!.startsWith(prefix), `${made[i]} starts with ${prefix}`))
      assert.deepEqual([...first.created].sort(), made)
      assert.deepEqual(first.dropped, [])
      // Key columns (employees.employee_id, departments.unit) have unique indexes of their own; the
      // case-insensitive link (lower() of users.employeeID) and a normalised side (employees.last_name)
      // compare expressions, which no column index serves.
      assert.ok(!made.some((n) => n.startsWith('hr__departments__join_unit') || n.includes('last_name')))
      assert.equal(joinIndexName('hr__contracts', 'employee_id'), 'hr__contracts__join_employee_id')
      assert.equal(joinIndexName('dir__users', 'sAMAccountName'), made[0])

      const again = await ensureJoinIndexes(db, CONTEXT)
      assert.deepEqual(again.created, [])
      assert.deepEqual([...again.kept].sort(), made)

      const withIndexes = await Promise.all(FILTERS.map((f) => rowsOf(db, f)))
      assert.deepEqual(withIndexes, without)
      assert.ok(without[0]!.length > 0 && without[1]!.length > 0)
    })

    it('serves a join through the index (EXPLAIN)', async () => {
      const db = vault.driver
      await ensureJoinIndexes(db, CONTEXT)
      const compiled = compileFilter(ONE_EMPLOYEE, CONTEXT, db.dialect.name)
      const explained = await plan(db, compiled.sql, compiled.params)
      assert.match(explained, /hr__contracts__join_employee_id/, explained)
    })

    it('drops the index of a relation the project no longer has, and only then', async () => {
      const db = vault.driver
      await ensureJoinIndexes(db, CONTEXT)
      const fewer: FilterContext = {
        systems: [{ ...HR, relations: HR.relations.filter((r) => r.fromColumn !== 'employee_id') }],
        links: [],
      }
      const kept = await ensureJoinIndexes(db, fewer, { drop: false })
      assert.deepEqual(kept.dropped, [])
      const changed = await ensureJoinIndexes(db, fewer)
      assert.ok(changed.dropped.includes('hr__contracts__join_employee_id'), changed.dropped.join(', '))
      assert.ok(!(await joinIndexes(db)).includes('hr__contracts__join_employee_id'))
      // Back to the whole project: made again, and the memoised step runs once per project object.
      const project = { ...CONTEXT }
      const back = await ensureJoinIndexesOnce(db, project)
      assert.ok(back.created.includes('hr__contracts__join_employee_id'))
      assert.equal(await ensureJoinIndexesOnce(db, project), await ensureJoinIndexesOnce(db, project))
      assert.equal(await ensureJoinIndexesOnce(db, project), back)
    })
  })
}
