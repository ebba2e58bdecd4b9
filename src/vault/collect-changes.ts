/**
 * The usual path of a re-collection: the current rows' keys and fingerprints are held in memory
 * (about 100 bytes per row, for the one table being collected), every incoming row is compared
 * with them as it streams past, and only added and changed rows are staged. An unchanged table
 * therefore costs one read of the source and one read of the keys, and no bulk writes.
 *
 * It gives up (returns undefined) when it meets something it cannot report fully — a duplicate
 * primary or reference key — and the caller takes the full staging path, which reports every
 * duplicate with its lines.
 */
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { SqlExecutor, SqlValue } from './driver/sql-driver.ts'
import { DIFFERENCE_COLUMNS, createDifferencesTable } from './diff.ts'
import type { TableCounts } from './guards.ts'
import { EmptyKeyReport, RowPreparer, type StagePage, createStagingTable, pageLength, prepareAt, stagingColumns } from './staging.ts'
import type { VaultTable } from './vault-table.ts'

/** Marks a key as seen in this collection (fingerprints are never negative). */
const SEEN = -1
const PAGE = 5000

async function currentFingerprints(tx: SqlExecutor, table: VaultTable): Promise<Map<string, number>> {
  const current = new Map<string, number>()
  for await (const page of tx.stream<{ k: string; h: number }>(`SELECT _key AS k, _hash AS h FROM ${table.versions} WHERE _to IS NULL`, [], 20_000)) {
    for (const row of page) current.set(row.k, Number(row.h))
  }
  return current
}

/** Whether a staged row takes a reference-key value that another row keeps or takes too. */
async function referenceKeysClash(tx: SqlExecutor, table: VaultTable, staging: string, diff: string): Promise<boolean> {
  for (const key of table.referenceKeys) {
    const k = q(key)
    const within = await tx.query(`SELECT 1 FROM ${staging} WHERE ${k} IS NOT NULL GROUP BY ${k} HAVING COUNT(*) > 1 LIMIT 1`)
    if (within.length > 0) return true
    const withKept = await tx.query(
      `SELECT 1 FROM ${staging} s JOIN ${table.versions} v ON v.${k} = s.${k} AND v._to IS NULL AND v._key <> s._key
        WHERE NOT EXISTS (SELECT 1 FROM ${diff} d WHERE d._key = v._key AND d.kind IN ('c', 'r')) LIMIT 1`,
    )
    if (withKept.length > 0) return true
  }
  return false
}

export async function stageChanges(
  tx: SqlExecutor,
  table: VaultTable,
  pages: AsyncIterable<StagePage>,
  onRows: (count: number) => void,
): Promise<{ staging: string; counts: TableCounts } | undefined> {
  const current = await currentFingerprints(tx, table)
  const rowsBefore = current.size
  const staging = await createStagingTable(tx, table)
  const diff = await createDifferencesTable(tx, table)
  const columns = stagingColumns(tx, table)
  const preparer = new RowPreparer(table)
  const emptyKeys = new EmptyKeyReport(table)
  let added = 0
  let changed = 0
  let rowsAfter = 0
  let read = 0
  for await (const page of pages) {
    const source = page.source ?? `${table.system}.${table.name}`
    const rows: SqlValue[][] = []
    const kinds: SqlValue[][] = []
    const count = pageLength(page)
    for (let i = 0; i < count; i++) {
      const { key, hash, stored } = prepareAt(preparer, page, i)
      const line = page.lines?.[i] ?? null
      if (key === null) {
        emptyKeys.add(source, line)
        continue
      }
      const previous = current.get(key)
      if (previous === SEEN) return undefined // a duplicate key: let the full path report them all
      current.set(key, SEEN)
      rowsAfter++
      if (previous === undefined || previous !== hash) {
        rows.push([line, key, hash, ...stored])
        kinds.push([key, previous === undefined ? 'a' : 'c'])
        if (previous === undefined) added++
        else changed++
      }
    }
    if (emptyKeys.isEmpty && rows.length > 0) {
      await tx.insertMany(staging, columns, rows)
      await tx.insertMany(diff, DIFFERENCE_COLUMNS, kinds)
    }
    read += count
    onRows(read)
  }
  emptyKeys.throwIfAny()
  let removed: SqlValue[][] = []
  for (const [key, hash] of current) {
    if (hash === SEEN) continue
    removed.push([key, 'r'])
    if (removed.length === PAGE) {
      await tx.insertMany(diff, DIFFERENCE_COLUMNS, removed)
      removed = []
    }
  }
  await tx.insertMany(diff, DIFFERENCE_COLUMNS, removed)
  const counts = { rowsBefore, rowsAfter, added, changed, removed: rowsBefore - (rowsAfter - added) }
  if (added + changed > 0 && (await referenceKeysClash(tx, table, staging, diff))) return undefined
  return { staging, counts }
}
