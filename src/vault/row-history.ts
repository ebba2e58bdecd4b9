/**
 * The history of rows, derived from the versions table: a version that starts in collection C is an
 * addition, or a change when another version of the same key ended in C; a version that ends in C
 * without a successor is a removal.
 */
import type { Row, Value } from '../core/index.ts'
import type { SqlExecutor, SqlValue } from './driver/sql-driver.ts'
import { decodeRow } from './row-codec.ts'
import type { VaultTable } from './vault-table.ts'

export interface ColumnChange {
  readonly column: string
  readonly old: Value
  readonly new: Value
}

export interface RowChange {
  readonly collectionId: number
  readonly collectedAt: string
  readonly key: string
  readonly kind: 'added' | 'changed' | 'removed'
  readonly changes: readonly ColumnChange[]
}

export interface HistoryOptions {
  readonly key?: string | undefined
  /** @default 100 */
  readonly limit?: number | undefined
}

function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function diffRows(columns: readonly string[], old: Row | undefined, next: Row | undefined): ColumnChange[] {
  return columns
    .map((column) => ({ column, old: old?.[column] ?? null, new: next?.[column] ?? null }))
    .filter((c) => !sameValue(c.old, c.new))
}

export async function rowHistory(
  db: SqlExecutor,
  table: VaultTable,
  options: HistoryOptions = {},
): Promise<RowChange[]> {
  const keyFilter = options.key === undefined ? '' : 'AND n._key = ?'
  const keyFilterOld = options.key === undefined ? '' : 'AND o._key = ?'
  const params: SqlValue[] = options.key === undefined ? [] : [options.key, options.key]
  const events = await db.query<{ key: string; cid: number; old_rid: number | null; new_rid: number | null }>(
    `SELECT n._key AS key, n._from AS cid, o._rid AS old_rid, n._rid AS new_rid
       FROM ${table.versions} n LEFT JOIN ${table.versions} o ON o._key = n._key AND o._to = n._from
      WHERE 1 = 1 ${keyFilter}
     UNION ALL
     SELECT o._key AS key, o._to AS cid, o._rid AS old_rid, NULL AS new_rid
       FROM ${table.versions} o
      WHERE o._to IS NOT NULL ${keyFilterOld}
        AND NOT EXISTS (SELECT 1 FROM ${table.versions} n WHERE n._key = o._key AND n._from = o._to)
     ORDER BY cid DESC, key LIMIT ?`,
    [...params, options.limit ?? 100],
  )
  if (events.length === 0) return []
  const rids = [
    ...new Set(
      events
        .flatMap((e) => [e.old_rid, e.new_rid])
        .filter((r): r is number => r !== null)
        .map(Number),
    ),
  ]
  const rows = new Map<number, Row>()
  for (let i = 0; i < rids.length; i += 500) {
    const chunk = rids.slice(i, i + 500)
    const raw = await db.query<Record<string, unknown>>(
      `SELECT * FROM ${table.versions} WHERE _rid IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    )
    for (const r of raw) rows.set(Number(r['_rid']), decodeRow(table.columns, r))
  }
  const cids = [...new Set(events.map((e) => Number(e.cid)))]
  const times = new Map<number, string>()
  const timeRows = await db.query<{ id: number; started_at: string }>(
    `SELECT id, started_at FROM collections WHERE id IN (${cids.map(() => '?').join(', ')})`,
    cids,
  )
  for (const t of timeRows) times.set(Number(t.id), t.started_at)
  const columns = table.columns.map((c) => c.name)
  return events.map((e) => {
    const old = e.old_rid === null ? undefined : rows.get(Number(e.old_rid))
    const next = e.new_rid === null ? undefined : rows.get(Number(e.new_rid))
    const kind = next === undefined ? 'removed' : old === undefined ? 'added' : 'changed'
    return {
      collectionId: Number(e.cid),
      collectedAt: times.get(Number(e.cid)) ?? '',
      key: e.key,
      kind,
      changes: diffRows(columns, old, next),
    }
  })
}
