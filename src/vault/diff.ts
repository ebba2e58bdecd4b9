/**
 * The difference between the new state of a table and the vault's current rows, as a temporary
 * table of keys with their kind — 'a' added, 'c' changed, 'r' removed — and the statements that
 * apply it: close the versions of changed and removed rows, open versions for added and changed
 * ones. A row is changed when its fingerprint differs (row-hash.ts).
 */
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { ColumnSpec, SqlExecutor } from './driver/sql-driver.ts'
import type { TableCounts } from './guards.ts'
import type { VaultTable } from './vault-table.ts'

export function differencesName(table: VaultTable): string {
  return q(`_diff_${table.sqlName}`)
}

export const DIFFERENCE_COLUMNS: readonly ColumnSpec[] = [
  { name: '_key', sqlType: 'TEXT' },
  { name: 'kind', sqlType: 'TEXT' },
]

export async function createDifferencesTable(executor: SqlExecutor, table: VaultTable): Promise<string> {
  const diff = differencesName(table)
  await executor.exec(`DROP TABLE IF EXISTS ${diff}`)
  await executor.exec(`CREATE TEMPORARY TABLE ${diff} (_key TEXT NOT NULL, kind TEXT NOT NULL)`)
  return diff
}

function count(rows: { n: number | string }[]): number {
  return Number(rows[0]?.n ?? 0)
}

/**
 * The full path: compares a staged table with the current rows, set-based. The staged table is the
 * complete new state, or with `delta` only the changed rows: the current rows it lacks are kept.
 */
export async function countDifferences(
  executor: SqlExecutor,
  table: VaultTable,
  staging: string,
  delta = false,
): Promise<TableCounts> {
  const diff = await createDifferencesTable(executor, table)
  await executor.run(
    `INSERT INTO ${diff} (_key, kind)
     SELECT s._key, CASE WHEN v._key IS NULL THEN 'a' ELSE 'c' END
       FROM ${staging} s LEFT JOIN ${table.versions} v ON v._key = s._key AND v._to IS NULL
      WHERE v._key IS NULL OR ${executor.dialect.distinct('s._hash', 'v._hash')}`,
  )
  if (!delta) {
    await executor.run(
      `INSERT INTO ${diff} (_key, kind) SELECT v._key, 'r' FROM ${table.versions} v
        WHERE v._to IS NULL AND NOT EXISTS (SELECT 1 FROM ${staging} s WHERE s._key = v._key)`,
    )
  }
  const kinds = await executor.query<{ kind: string; n: number }>(
    `SELECT kind, COUNT(*) AS n FROM ${diff} GROUP BY kind`,
  )
  const of = (kind: string) => Number(kinds.find((k) => k.kind === kind)?.n ?? 0)
  const rowsBefore = count(await executor.query(`SELECT COUNT(*) AS n FROM ${table.versions} WHERE _to IS NULL`))
  if (delta) return { rowsBefore, rowsAfter: rowsBefore + of('a'), added: of('a'), changed: of('c'), removed: 0 }
  const rowsAfter = count(await executor.query(`SELECT COUNT(*) AS n FROM ${staging}`))
  return { rowsBefore, rowsAfter, added: of('a'), changed: of('c'), removed: of('r') }
}

/**
 * Applies the differences as collection `collectionId`. `staging` holds at least the rows of the
 * added and changed keys (it may hold all rows).
 */
export async function applyDifferences(
  executor: SqlExecutor,
  table: VaultTable,
  staging: string,
  collectionId: number,
  counts: TableCounts,
): Promise<void> {
  const diff = differencesName(table)
  if (counts.changed + counts.removed > 0) {
    await executor.run(
      `UPDATE ${table.versions} SET _to = ? WHERE _to IS NULL AND _key IN (SELECT _key FROM ${diff} WHERE kind IN ('c', 'r'))`,
      [collectionId],
    )
  }
  if (counts.added + counts.changed > 0) {
    const columns = ['_key', '_hash', ...table.columns.map((c) => c.name)].map(q)
    await executor.run(
      `INSERT INTO ${table.versions} (_from, ${columns.join(', ')})
       SELECT ?, ${columns.map((c) => `s.${c}`).join(', ')} FROM ${staging} s WHERE s._key IN (SELECT _key FROM ${diff} WHERE kind IN ('a', 'c'))`,
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
