/**
 * The usual path of a re-collection: the current rows' keys and fingerprints are held in memory
 * (about 100 bytes per row, for the one table being collected), every incoming row is compared
 * with them as it streams past, and only added and changed rows are staged. An unchanged table
 * therefore costs one read of the source and one read of the keys, and no bulk writes.
 *
 * It gives up (returns undefined) when it meets something it cannot report fully — a duplicate
 * primary or reference key — and the caller takes the full staging path, which reports every
 * duplicate with its lines.
 *
 * An incremental read (pages marked `delta`) holds only the changed rows: they are staged the same
 * way, but the rows it did not return are kept, not removed.
 */
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { SqlExecutor, SqlValue } from './driver/sql-driver.ts'
import { DIFFERENCE_COLUMNS, createDifferencesTable } from './diff.ts'
import type { TableCounts } from './guards.ts'
import {
  EmptyKeyReport,
  RowPreparer,
  type StagePage,
  createStagingTable,
  pageLength,
  flatAt,
  stagingColumns,
} from './staging.ts'
import type { VaultTable } from './vault-table.ts'

const PAGE = 5000

/**
 * The current rows' keys, each with its position in `hashes` (the fingerprints) and `seen` (whether
 * this collection met the key): one map lookup per incoming row, and compact typed arrays beside it.
 */
interface Fingerprints {
  readonly index: Map<string, number>
  readonly hashes: Float64Array
  readonly seen: Uint8Array
}

async function currentFingerprints(tx: SqlExecutor, table: VaultTable): Promise<Fingerprints> {
  const index = new Map<string, number>()
  let hashes = new Float64Array(1024)
  for await (const page of tx.streamArrays(`SELECT _key, _hash FROM ${table.versions} WHERE _to IS NULL`, [], 20_000)) {
    for (const row of page) {
      const position = index.size
      if (position === hashes.length) {
        const grown = new Float64Array(hashes.length * 2)
        grown.set(hashes)
        hashes = grown
      }
      hashes[position] = Number(row[1])
      index.set(row[0] as string, position)
    }
  }
  return { index, hashes, seen: new Uint8Array(index.size) }
}

/** Whether a staged row takes a reference-key value that another row keeps or takes too. */
async function referenceKeysClash(tx: SqlExecutor, table: VaultTable, staging: string, diff: string): Promise<boolean> {
  for (const key of table.referenceKeys) {
    const k = q(key)
    const within = await tx.query(
      `SELECT 1 FROM ${staging} WHERE ${k} IS NOT NULL GROUP BY ${k} HAVING COUNT(*) > 1 LIMIT 1`,
    )
    if (within.length > 0) return true
    const withKept = await tx.query(
      `SELECT 1 FROM ${staging} s JOIN ${table.versions} v ON v.${k} = s.${k} AND v._to IS NULL AND v._key <> s._key
        WHERE NOT EXISTS (SELECT 1 FROM ${diff} d WHERE d._key = v._key AND d.kind IN ('c', 'r')) LIMIT 1`,
    )
    if (withKept.length > 0) return true
  }
  return false
}

/** Marks every current row the read did not return as removed; returns how many. */
async function stageRemovals(tx: SqlExecutor, diff: string, current: Fingerprints): Promise<number> {
  let removed: SqlValue[][] = []
  let count = 0
  for (const [key, position] of current.index) {
    if (current.seen[position] === 1) continue
    removed.push([key, 'r'])
    count++
    if (removed.length === PAGE) {
      await tx.insertMany(diff, DIFFERENCE_COLUMNS, removed)
      removed = []
    }
  }
  await tx.insertMany(diff, DIFFERENCE_COLUMNS, removed)
  return count
}

export async function stageChanges(
  tx: SqlExecutor,
  table: VaultTable,
  pages: AsyncIterable<StagePage>,
  onRows: (count: number) => void,
  marks: { readonly delta: boolean },
): Promise<{ staging: string; counts: TableCounts } | undefined> {
  const current = await currentFingerprints(tx, table)
  const rowsBefore = current.index.size
  /** Keys that are new in this collection, to detect a duplicate among them. */
  const addedKeys = new Set<string>()
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
      // Rows prepared on a worker thread are read in place; nothing is copied for unchanged rows.
      const flat = flatAt(preparer, page, i)
      const key = flat[0] as string | null
      const hash = flat[1] as number
      const line = page.lines?.[i] ?? null
      if (key === null) {
        emptyKeys.add(source, line)
        continue
      }
      const position = current.index.get(key)
      let previous: number | undefined
      if (position === undefined) {
        if (addedKeys.has(key)) return undefined // a duplicate key: let the full path report them all
        addedKeys.add(key)
      } else {
        if (current.seen[position] === 1) return undefined
        current.seen[position] = 1
        previous = current.hashes[position]
      }
      rowsAfter++
      if (previous === undefined || previous !== hash) {
        rows.push([line, ...flat])
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
  // Whether the pages were a delta is known once they have all passed: a delta keeps every row it
  // did not return, a full read removes them.
  const counts = marks.delta
    ? { rowsBefore, rowsAfter: rowsBefore + added, added, changed, removed: 0 }
    : { rowsBefore, rowsAfter, added, changed, removed: await stageRemovals(tx, diff, current) }
  if (added + changed > 0 && (await referenceKeysClash(tx, table, staging, diff))) return undefined
  return { staging, counts }
}
