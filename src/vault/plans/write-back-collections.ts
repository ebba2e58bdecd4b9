/**
 * The collections write-backs are recorded as: one of kind `write-back` per run and system,
 * created with the first write-back to that system and finished when the run's OutcomeWriter
 * closes, with per-table counts in collection_tables like any collection. History and snapshots
 * therefore treat written-back rows exactly like collected ones.
 *
 * Versions must be opened by collections in id order. When another collection of the system
 * begins after the write-back collection (a collect during a long run), the write-back collection
 * is finished and a new one started, so later write-backs again carry the newest id.
 */
import type { Clock } from '../../core/index.ts'
import type { SqlExecutor } from '../driver/sql-driver.ts'
import type { VaultTable } from '../vault-table.ts'
import type { WriteBackCounts } from './write-back.ts'

interface Open {
  readonly id: number
  readonly started: number
}

export class WriteBackCollections {
  /** The committed write-back collection per system. */
  private readonly open = new Map<string, Open>()
  /** Created or rotated in the flush transaction under way; adopted when it commits. */
  private pending = new Map<string, Open>()
  /** Every collection this run opened, to finish at close. */
  private readonly all: Open[] = []
  private pendingAll: Open[] = []

  constructor(
    private readonly runId: number | undefined,
    private readonly clock: Clock,
  ) {}

  /** The write-back collection of `system` for this flush, created or rotated as needed (in `tx`). */
  async idFor(tx: SqlExecutor, system: string): Promise<number> {
    const current = this.pending.get(system) ?? this.open.get(system)
    if (current !== undefined) {
      const newer = await tx.query('SELECT 1 FROM collections WHERE system = ? AND id > ? LIMIT 1', [
        system,
        current.id,
      ])
      if (newer.length === 0) return current.id
      await this.finishIds(tx, [current])
    }
    const now = this.clock.now()
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO collections (system, kind, status, started_at, forced, run_id) VALUES (?, 'write-back', 'running', ?, 0, ?) RETURNING id`,
      [system, now.toISOString(), this.runId ?? null],
    )
    const created = { id: Number(rows[0]!.id), started: now.getTime() }
    this.pending.set(system, created)
    this.pendingAll.push(created)
    return created.id
  }

  /** The flush transaction committed: its collections are now the run's. */
  commit(): void {
    for (const [system, open] of this.pending) this.open.set(system, open)
    this.all.push(...this.pendingAll)
    this.discard()
  }

  /** The flush transaction rolled back: nothing it created exists. */
  discard(): void {
    this.pending = new Map()
    this.pendingAll = []
  }

  /** Adds a batch's counts to the collection's row for the table, creating it (with the rows before) on first use. */
  async count(tx: SqlExecutor, collectionId: number, table: VaultTable, counts: WriteBackCounts): Promise<void> {
    const existing = await tx.query('SELECT 1 FROM collection_tables WHERE collection_id = ? AND table_name = ?', [
      collectionId,
      table.name,
    ])
    if (existing.length === 0) {
      // Counted before this batch is applied: the caller calls count() after applying, so subtract it.
      const rows = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table.versions} WHERE _to IS NULL`)
      const after = Number(rows[0]?.n ?? 0)
      await tx.run(
        'INSERT INTO collection_tables (collection_id, table_name, rows_before, rows_after, added, changed, removed) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
          collectionId,
          table.name,
          after - counts.added + counts.removed,
          after,
          counts.added,
          counts.changed,
          counts.removed,
        ],
      )
      return
    }
    await tx.run(
      `UPDATE collection_tables SET added = added + ?, changed = changed + ?, removed = removed + ?,
         rows_after = rows_after + ? WHERE collection_id = ? AND table_name = ?`,
      [counts.added, counts.changed, counts.removed, counts.added - counts.removed, collectionId, table.name],
    )
  }

  /** Marks every write-back collection of the run succeeded. */
  async finish(db: SqlExecutor): Promise<void> {
    await this.finishIds(db, this.all)
    this.all.length = 0
    this.open.clear()
  }

  private async finishIds(db: SqlExecutor, collections: readonly Open[]): Promise<void> {
    const now = this.clock.now()
    for (const c of collections) {
      await db.run(
        `UPDATE collections SET status = 'succeeded', finished_at = ?, duration_ms = ? WHERE id = ? AND status = 'running'`,
        [now.toISOString(), now.getTime() - c.started, c.id],
      )
    }
  }
}
