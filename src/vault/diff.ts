/**
 * The difference between a staged table and the vault's current rows, counted and applied with
 * set-based statements. A row is changed when any column differs (null-safe); the comparison is
 * exact, because a collection records what the system says, case included.
 */
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { SqlExecutor } from './driver/sql-driver.ts'
import type { TableCounts } from './guards.ts'
import type { VaultTable } from './vault-table.ts'

/** The temporary table holding the keys of added ('a') and changed ('c') rows. */
export function differencesName(table: VaultTable): string {
  return q(`_diff_${table.sqlName}`)
}

function count(rows: { n: number | string }[]): number {
  return Number(rows[0]?.n ?? 0)
}

/** Counts the differences in one pass over the staged rows and remembers added and changed keys. */
export async function countDifferences(executor: SqlExecutor, table: VaultTable, staging: string): Promise<TableCounts> {
  const d = executor.dialect
  const diff = differencesName(table)
  const differs = table.columns.map((c) => d.distinct(`s.${q(c.name)}`, `v.${q(c.name)}`)).join(' OR ')
  await executor.exec(`DROP TABLE IF EXISTS ${diff}`)
  await executor.exec(
    `CREATE TEMPORARY TABLE ${diff} AS
     SELECT s._key AS _key, CASE WHEN v._key IS NULL THEN 'a' ELSE 'c' END AS kind
       FROM ${staging} s LEFT JOIN ${table.versions} v ON v._key = s._key AND v._to IS NULL
      WHERE v._key IS NULL OR ${differs === '' ? '1 = 0' : `(${differs})`}`,
  )
  const kinds = await executor.query<{ kind: string; n: number }>(`SELECT kind, COUNT(*) AS n FROM ${diff} GROUP BY kind`)
  const added = Number(kinds.find((k) => k.kind === 'a')?.n ?? 0)
  const changed = Number(kinds.find((k) => k.kind === 'c')?.n ?? 0)
  const rowsBefore = count(await executor.query(`SELECT COUNT(*) AS n FROM ${table.versions} WHERE _to IS NULL`))
  const rowsAfter = count(await executor.query(`SELECT COUNT(*) AS n FROM ${staging}`))
  // Every current row is either kept (possibly changed) or removed: removed = before - (after - added).
  return { rowsBefore, rowsAfter, added, changed, removed: rowsBefore - (rowsAfter - added) }
}

/** Applies the counted differences as collection `collectionId`: end old versions, start new ones. */
export async function applyDifferences(executor: SqlExecutor, table: VaultTable, staging: string, collectionId: number, counts: TableCounts): Promise<void> {
  const diff = differencesName(table)
  if (counts.changed > 0) {
    await executor.run(`UPDATE ${table.versions} SET _to = ? WHERE _to IS NULL AND _key IN (SELECT _key FROM ${diff} WHERE kind = 'c')`, [collectionId])
  }
  if (counts.removed > 0) {
    await executor.run(
      `UPDATE ${table.versions} SET _to = ? WHERE _to IS NULL AND NOT EXISTS (SELECT 1 FROM ${staging} s WHERE s._key = ${table.versions}._key)`,
      [collectionId],
    )
  }
  if (counts.added + counts.changed > 0) {
    const columns = table.columns.map((c) => q(c.name))
    await executor.run(
      `INSERT INTO ${table.versions} (_key, _from, ${columns.join(', ')})
       SELECT s._key, ?, ${columns.map((c) => `s.${c}`).join(', ')} FROM ${staging} s WHERE s._key IN (SELECT _key FROM ${diff})`,
      [collectionId],
    )
    await fillSideTables(executor, table, collectionId)
  }
}

/** Indexes the values of multi-valued columns of the versions that collection `collectionId` started. */
export async function fillSideTables(executor: SqlExecutor, table: VaultTable, collectionId: number): Promise<void> {
  for (const [column, side] of table.sideTables) {
    await executor.run(
      `INSERT INTO ${side} (_rid, value) SELECT v._rid, j.value FROM ${table.versions} v CROSS JOIN ${executor.dialect.jsonArrayElements(`v.${q(column)}`, 'j')}
       WHERE v._from = ? AND v.${q(column)} IS NOT NULL`,
      [collectionId],
    )
  }
}
