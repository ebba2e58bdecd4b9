/**
 * Where an incremental collection of a table starts: the watermark of the read whose result the
 * vault holds now. That is the newest successful collection of the table from its system, passing
 * over write-backs (they only add what Provisio wrote to the system, which changed it there too,
 * so a read from the earlier watermark returns those rows again) and following a load to the
 * collection it restored (the vault then holds that collection's result, not the newest one's).
 * There is no watermark — the table must be read in full — when that collection recorded none,
 * recorded it under another scope (the system's configuration or the table's declaration changed:
 * a new column must be filled in every row, a changed filter may leave rows out of scope), or
 * happened before the table was last reset.
 */
import type { SqlExecutor, SqlValue } from './driver/sql-driver.ts'

interface Candidate {
  readonly id: number | string
  readonly kind: string
  readonly source_collection_id: number | string | null
  readonly started_at: string
  readonly watermark: string | null
  readonly watermark_scope: string | null
}

/** A load restores a load at most this deep; a longer chain would be a loop in corrupt records. */
const MAX_HOPS = 1000

/**
 * The watermark from which an incremental read of `system.table` continues the vault's current
 * state, when it was recorded under `scope`; undefined when the table must be read in full.
 */
export async function findWatermark(
  db: SqlExecutor,
  system: string,
  table: string,
  scope: string | undefined,
): Promise<string | undefined> {
  const stored = await db.query<{ created_at: string }>(
    'SELECT created_at FROM vault_tables WHERE system = ? AND table_name = ?',
    [system, table],
  )
  const created = stored[0]?.created_at
  if (created === undefined) return undefined
  let upTo: number | undefined
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const params: SqlValue[] = [system, table]
    if (upTo !== undefined) params.push(upTo)
    const [found] = await db.query<Candidate>(
      `SELECT c.id, c.kind, c.source_collection_id, c.started_at, ct.watermark, ct.watermark_scope
         FROM collections c JOIN collection_tables ct ON ct.collection_id = c.id
        WHERE c.system = ? AND ct.table_name = ? AND c.status = 'succeeded' AND c.kind <> 'write-back'
          ${upTo === undefined ? '' : 'AND c.id <= ?'}
        ORDER BY c.id DESC LIMIT 1`,
      params,
    )
    // Collections before the table was created (it was reset since) describe rows that are gone.
    if (found === undefined || found.started_at < created) return undefined
    if (found.kind === 'load') {
      if (found.source_collection_id === null) return undefined
      upTo = Number(found.source_collection_id)
      continue
    }
    if (found.watermark === null || (found.watermark_scope ?? undefined) !== scope) return undefined
    return found.watermark
  }
  return undefined
}
