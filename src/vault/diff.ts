/**
 * The difference between a staged table and the vault's current rows, counted and applied with
 * set-based statements. A row is changed when any column differs (null-safe); the comparison is
 * exact, because a collection records what the system says, case included.
 */
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { SqlExecutor } from './driver/sql-driver.ts'
import type { TableCounts } from './guards.ts'
import type { VaultTable } from './vault-table.ts'

export function changedName(table: VaultTable): string {
  return q(`_changed_${table.sqlName}`)
}

function count(rows: { n: number | string }[]): number {
  return Number(rows[0]?.n ?? 0)
}

/** Counts the differences and remembers the keys of changed rows in a temporary table. */
export async function countDifferences(executor: SqlExecutor, table: VaultTable, staging: string): Promise<TableCounts> {
  const d = executor.dialect
  const changed = changedName(table)
  const differs = table.columns.map((c) => d.distinct(`s.${q(c.name)}`, `v.${q(c.name)}`)).join(' OR ')
  await executor.exec(`DROP TABLE IF EXISTS ${changed}`)
  await executor.exec(
    `CREATE TEMPORARY TABLE ${changed} AS SELECT s._key FROM ${staging} s JOIN ${table.versions} v ON v._key = s._key AND v._to IS NULL WHERE ${differs === '' ? '1 = 0' : differs}`,
  )
  const rowsBefore = count(await executor.query(`SELECT COUNT(*) AS n FROM ${table.versions} WHERE _to IS NULL`))
  const rowsAfter = count(await executor.query(`SELECT COUNT(*) AS n FROM ${staging}`))
  const added = count(
    await executor.query(`SELECT COUNT(*) AS n FROM ${staging} s WHERE NOT EXISTS (SELECT 1 FROM ${table.versions} v WHERE v._key = s._key AND v._to IS NULL)`),
  )
  const changedCount = count(await executor.query(`SELECT COUNT(*) AS n FROM ${changed}`))
  // Every current row is either kept (possibly changed) or removed: removed = before - (after - added).
  const removed = rowsBefore - (rowsAfter - added)
  return { rowsBefore, rowsAfter, added, changed: changedCount, removed }
}

/** Applies the counted differences as collection `collectionId`: end old versions, start new ones. */
export async function applyDifferences(executor: SqlExecutor, table: VaultTable, staging: string, collectionId: number, counts: TableCounts): Promise<void> {
  if (counts.added + counts.changed + counts.removed === 0) return
  const columns = table.columns.map((c) => q(c.name)).join(', ')
  const changed = changedName(table)
  await executor.run(
    `UPDATE ${table.versions} SET _to = ? WHERE _to IS NULL AND (_key IN (SELECT _key FROM ${changed}) OR NOT EXISTS (SELECT 1 FROM ${staging} s WHERE s._key = ${table.versions}._key))`,
    [collectionId],
  )
  await executor.run(
    `INSERT INTO ${table.versions} (_key, _from, ${columns}) SELECT s._key, ?, ${table.columns.map((c) => `s.${q(c.name)}`).join(', ')} FROM ${staging} s
     WHERE NOT EXISTS (SELECT 1 FROM ${table.versions} v WHERE v._key = s._key AND v._to IS NULL)`,
    [collectionId],
  )
  for (const [column, side] of table.sideTables) {
    await executor.run(
      `INSERT INTO ${side} (_rid, value) SELECT v._rid, j.value FROM ${table.versions} v CROSS JOIN ${executor.dialect.jsonArrayElements(`v.${q(column)}`, 'j')}
       WHERE v._from = ? AND v.${q(column)} IS NOT NULL`,
      [collectionId],
    )
  }
}
