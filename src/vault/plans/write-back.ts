/**
 * Write-back (DESIGN.md §6): every executed operation writes its row to the target's vault table at
 * once, as a collection would — close the current version (`_to`), open the new one (`_from`) —
 * with the collection being the run's write-back collection for that system. The fingerprint is
 * computed exactly as a collection computes it (RowPreparer), so the next collection of an unchanged
 * target finds nothing to change.
 *
 * A row written twice within one write-back collection keeps one version for it: the version that
 * collection opened is replaced, not closed, so history shows one change per collection, as it does
 * for collections from the system.
 */
import { quoteIdentifier as q } from '../driver/dialect.ts'
import type { SqlExecutor, SqlValue } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import { decodeRow } from '../row-codec.ts'
import { versionColumns } from '../staging.ts'
import type { VaultTable } from '../vault-table.ts'
import { lowerColumnSql } from './case-fold.ts'
import { matchText } from './column-values.ts'
import { chunks, placeholders } from './stored-json.ts'
import { type Entry, type WriteBack, WriteBackState, locatorSpec } from './write-back-state.ts'

const IN_CHUNK = 500

export interface WriteBackCounts {
  added: number
  changed: number
  removed: number
}

export interface WriteBackResult {
  /** How this batch changed the collection's counts (may be negative: a row added and removed again). */
  readonly counts: WriteBackCounts
  /** Per write-back, in order: why it was not applied, or undefined. */
  readonly problems: readonly (string | undefined)[]
}

/** Reads the current versions the batch addresses and loads them into the state. */
async function prefetch(tx: SqlExecutor, state: WriteBackState, items: readonly WriteBack[]): Promise<void> {
  const table = state.table
  const bySpec = new Map<string, SqlValue[]>()
  const own: string[] = []
  for (const item of items) {
    const lookups = state.lookupsFor(item)
    if (lookups.key !== undefined) {
      const values = bySpec.get(lookups.key.spec) ?? []
      values.push(lookups.key.value)
      bySpec.set(lookups.key.spec, values)
    }
    if (lookups.own !== undefined) own.push(lookups.own)
  }
  const select = `SELECT _rid, _key, _hash, _from, ${table.columns.map((c) => q(c.name)).join(', ')} FROM ${table.versions}`
  const load = (rows: Record<string, unknown>[]) => {
    for (const raw of rows) {
      const version = {
        rid: Number(raw['_rid']),
        key: String(raw['_key']),
        hash: Number(raw['_hash']),
        from: Number(raw['_from']),
      }
      state.load(version, decodeRow(table.columns, raw))
    }
  }
  for (const [spec, values] of bySpec) {
    const name = spec.slice(2)
    // Only text has a case: both sides folded by one mapping (case-fold.ts), the values here in JS.
    const ci = spec[0] === 'i' && table.columns.find((c) => c.name === name)?.type === 'string'
    const compared = ci ? lowerColumnSql(tx.dialect.name, q(name)) : q(name)
    const keys = ci ? values.map((v) => (typeof v === 'string' ? matchText(v, true) : v)) : values
    for (const chunk of chunks([...new Set(keys)], IN_CHUNK)) {
      load(await tx.query(`${select} WHERE _to IS NULL AND ${compared} IN (${placeholders(chunk.length)})`, chunk))
    }
  }
  for (const chunk of chunks([...new Set(own)], IN_CHUNK)) {
    load(await tx.query(`${select} WHERE _to IS NULL AND _key IN (${placeholders(chunk.length)})`, chunk))
  }
}

function isUnchanged(entry: Entry): boolean {
  const { original, current } = entry
  if (original === undefined) return current === undefined
  return current !== undefined && current.key === original.key && current.hash === original.hash
}

/** Keys that earlier flushes of this collection already closed a version of (they existed before it). */
async function closedIn(
  tx: SqlExecutor,
  table: VaultTable,
  collectionId: number,
  keys: readonly string[],
): Promise<Set<string>> {
  const closed = new Set<string>()
  for (const chunk of chunks([...new Set(keys)], IN_CHUNK)) {
    const rows = await tx.query<{ k: string }>(
      `SELECT DISTINCT _key AS k FROM ${table.versions} WHERE _to = ? AND _key IN (${placeholders(chunk.length)})`,
      [collectionId, ...chunk],
    )
    for (const r of rows) closed.add(String(r.k))
  }
  return closed
}

type Counted = 'added' | 'changed' | 'removed' | undefined

/** What a key counts as in a collection: whether it existed before the collection, was touched, exists now. */
function countedAs(existedBefore: boolean, touched: boolean, existsNow: boolean): Counted {
  if (!touched) return undefined
  if (existedBefore) return existsNow ? 'changed' : 'removed'
  return existsNow ? 'added' : undefined
}

/**
 * How the changed entries move the collection's counts. Per key: what it counted as before this
 * batch (earlier flushes of the same collection may have added or changed it) against what it
 * counts as after, so a row added and updated within one collection counts once, as added.
 */
function countChanges(changed: readonly Entry[], collectionId: number, closed: Set<string>): WriteBackCounts {
  const counts: WriteBackCounts = { added: 0, changed: 0, removed: 0 }
  const move = (before: Counted, after: Counted) => {
    if (before !== undefined) counts[before]--
    if (after !== undefined) counts[after]++
  }
  for (const entry of changed) {
    const keys = new Set([entry.original?.key, entry.current?.key].filter((k): k is string => k !== undefined))
    for (const key of keys) {
      const hadOriginal = entry.original?.key === key
      const openedHere = hadOriginal && entry.original.from === collectionId
      const existedBefore = (hadOriginal && !openedHere) || closed.has(key)
      const touchedBefore = openedHere || closed.has(key)
      move(
        countedAs(existedBefore, touchedBefore, hadOriginal),
        countedAs(existedBefore, true, entry.current?.key === key),
      )
    }
  }
  return counts
}

/** Removes versions this collection opened itself (and their side-table values): they are replaced. */
async function dropVersions(tx: SqlExecutor, table: VaultTable, rids: readonly number[]): Promise<void> {
  for (const chunk of chunks(rids, IN_CHUNK)) {
    const list = placeholders(chunk.length)
    for (const side of table.sideTables.values()) await tx.run(`DELETE FROM ${side} WHERE _rid IN (${list})`, chunk)
    await tx.run(`DELETE FROM ${table.versions} WHERE _rid IN (${list})`, chunk)
  }
}

async function closeVersions(tx: SqlExecutor, table: VaultTable, rids: readonly number[], collectionId: number) {
  for (const chunk of chunks(rids, IN_CHUNK)) {
    await tx.run(`UPDATE ${table.versions} SET _to = ? WHERE _rid IN (${placeholders(chunk.length)})`, [
      collectionId,
      ...chunk,
    ])
  }
}

/** Opens the new versions and indexes their multi-valued columns in the side tables. */
async function openVersions(
  tx: SqlExecutor,
  table: VaultTable,
  rows: readonly (readonly SqlValue[])[],
  collectionId: number,
): Promise<void> {
  if (rows.length === 0) return
  // New rows get row ids above the current highest; with `_from` that picks out exactly this batch.
  const top = await tx.query<{ m: number | null }>(`SELECT MAX(_rid) AS m FROM ${table.versions}`)
  const above = Number(top[0]?.m ?? 0)
  await tx.insertMany(
    table.versions,
    versionColumns(tx, table),
    rows.map((flat) => [flat[0]!, flat[1]!, collectionId, ...flat.slice(2)]),
  )
  for (const [column, side] of table.sideTables) {
    await tx.run(
      `INSERT INTO ${side} (_rid, value) SELECT v._rid, j.value FROM ${table.versions} v CROSS JOIN ${tx.dialect.jsonArrayElements(`v.${q(column)}`, 'j')}
       WHERE v._from = ? AND v._rid > ? AND v.${q(column)} IS NOT NULL`,
      [collectionId, above],
    )
  }
}

/**
 * Applies write-backs, in order, to one table as collection `collectionId`. Write-backs that cannot
 * apply (a value that does not fit its column, no key) are reported in `problems` and skipped;
 * a database error (a reference key another row holds) is thrown, and the caller retries the
 * write-backs one by one to find the one that causes it.
 */
export async function applyWriteBacks(
  tx: SqlExecutor,
  table: VaultTable,
  collectionId: number,
  items: readonly WriteBack[],
): Promise<WriteBackResult> {
  const specs = new Set(items.flatMap((i) => (i.key === undefined ? [] : [locatorSpec(i.key)])))
  const state = new WriteBackState(table, specs)
  await prefetch(tx, state, items)
  const newer = state.entries.find((e) => e.original !== undefined && e.original.from > collectionId)
  if (newer !== undefined) {
    throw vaultError(
      'VLT_WRITE_BACK_FAILED',
      `${table.system}.${table.name} was collected after write-back collection ${collectionId} began.`,
    )
  }
  const problems = items.map((item) => state.apply(item))
  const changed = state.entries.filter((e) => !isUnchanged(e))
  const opened = changed.filter((e) => e.original?.from === collectionId)
  const fresh = changed.filter((e) => e.current !== undefined && e.original?.key !== e.current.key)
  const closed = await closedIn(tx, table, collectionId, [
    ...opened.map((e) => e.original!.key),
    ...fresh.map((e) => e.current!.key),
  ])
  const counts = countChanges(changed, collectionId, closed)
  const ended = changed.filter((e) => e.original !== undefined)
  await dropVersions(
    tx,
    table,
    ended.filter((e) => e.original!.from === collectionId).map((e) => e.original!.rid),
  )
  await closeVersions(
    tx,
    table,
    ended.filter((e) => e.original!.from !== collectionId).map((e) => e.original!.rid),
    collectionId,
  )
  await openVersions(
    tx,
    table,
    changed.flatMap((e) => (e.current?.flat === undefined ? [] : [e.current.flat])),
    collectionId,
  )
  return { counts, problems }
}
