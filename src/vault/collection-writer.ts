/**
 * Collection: the complete new state of a system's tables is staged, checked (keys, guards) and
 * then applied in one transaction, so that a collection is all or nothing. Failed and rejected
 * collections are recorded too, with their reason, and leave the vault exactly as it was.
 *
 * An incremental read (its pages marked `delta`) brings only the changed rows: they are applied
 * the same way, and the rows it did not return are kept. Each table's collection records the
 * watermark its read returned, from which the next incremental read starts (see watermarks.ts).
 */
import {
  type Clock,
  type Issue,
  type ProgressListener,
  type TableSchema,
  noProgress,
  systemClock,
  toProvisioError,
} from '../core/index.ts'
import type { SqlDriver, SqlExecutor } from './driver/sql-driver.ts'
import { applyDifferences, countDifferences, differencesName, fillSideTables } from './diff.ts'
import { vaultError } from './errors.ts'
import { type CollectionGuards, type GuardBreach, type TableCounts, checkGuards, describeBreach } from './guards.ts'
import { stageChanges } from './collect-changes.ts'
import { ReadMarks } from './read-marks.ts'
import {
  type StagePage,
  checkKeptReferenceKeys,
  checkStagedKeys,
  createStagingTable,
  stagePages,
  stageSnapshot,
  stagingName,
} from './staging.ts'
import { type VaultTable, createVersionIndexes, dropVersionIndexes, ensureVaultTable } from './vault-table.ts'

/** `write-back`: the rows a run wrote to the target (src/vault/plans), kept in history like a collection. */
export type CollectionKind = 'collect' | 'load' | 'write-back'
export type CollectionStatus = 'running' | 'succeeded' | 'rejected' | 'failed'

export interface CollectTable {
  readonly schema: TableSchema
  /** @default the system's guards; none at all means no limit */
  readonly guards?: CollectionGuards | undefined
  /**
   * Reads the rows, for a collection from the system. It may be called twice: when the fast path of
   * a first collection finds a problem, the table is read again through staging to report it fully.
   */
  readonly read?: (() => AsyncIterable<StagePage>) | undefined
  /**
   * The watermark the read was asked to start from (ReadOptions.since). Its pages then say whether
   * they are a delta; a read that yields no page at all is refused rather than taken as an empty
   * table. @default a full read
   */
  readonly since?: string | undefined
  /**
   * What the watermark this read returns is valid for, stored beside it: an incremental read
   * resumes from it only under the same scope (see findWatermark). @default none
   */
  readonly watermarkScope?: string | undefined
}

export interface CollectOptions {
  readonly system: string
  readonly tables: readonly CollectTable[]
  /** Apply even when guards are breached (the breaches are still recorded in the result). @default false */
  readonly force?: boolean | undefined
  /** Restore the state after this collection instead of reading pages. */
  readonly loadFrom?: number | undefined
  readonly onProgress?: ProgressListener | undefined
  readonly clock?: Clock | undefined
}

export interface TableResult extends TableCounts {
  readonly table: string
  /** The read brought only changed rows (a delta): `removed` is 0 because removals were not looked for. */
  readonly incremental: boolean
  /** Where the next incremental read of the table may start; null when the read gave none. */
  readonly watermark: string | null
  /** The watermark the read was asked to start from; null for a full read (or a load). */
  readonly since: string | null
}

export interface CollectionResult {
  readonly id: number
  readonly system: string
  readonly kind: CollectionKind
  readonly status: 'succeeded'
  readonly startedAt: string
  readonly durationMs: number
  readonly forced: boolean
  readonly tables: readonly TableResult[]
  /** Guards that were breached and overridden with force. */
  readonly overriddenGuards: readonly string[]
}

interface Staged {
  readonly table: VaultTable
  /** Undefined when the rows went straight into the versions table. */
  readonly staging: string | undefined
  readonly counts: TableCounts
}

/** A staged table with what its read said about itself. */
interface StagedRead extends Staged {
  readonly incremental: boolean
  readonly watermark: string | undefined
  readonly watermarkScope: string | undefined
}

async function isEmpty(tx: SqlExecutor, table: VaultTable): Promise<boolean> {
  return (await tx.query(`SELECT 1 FROM ${table.versions} WHERE _to IS NULL LIMIT 1`)).length === 0
}

/**
 * The fast path of a first collection: a table without current rows only gains rows, so they go
 * straight into the versions table, whose unique indexes prove the keys. Any failure rolls back to
 * the savepoint and returns undefined; the caller then stages normally, which reports it in full.
 */
async function loadDirect(
  tx: SqlExecutor,
  table: VaultTable,
  read: () => AsyncIterable<StagePage>,
  collectionId: number,
  onRows: (n: number) => void,
): Promise<Staged | undefined> {
  // A delta needs no special care here: a table without rows has nothing it could remove.
  await tx.exec('SAVEPOINT direct_load')
  try {
    await dropVersionIndexes(tx, table)
    const rows = await stagePages(tx, table, '', read(), onRows, { collectionId })
    await createVersionIndexes(tx, table)
    await fillSideTables(tx, table, collectionId)
    await tx.exec('RELEASE SAVEPOINT direct_load')
    return {
      table,
      staging: undefined,
      counts: { rowsBefore: 0, rowsAfter: rows, added: rows, changed: 0, removed: 0 },
    }
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT direct_load')
    await tx.exec('RELEASE SAVEPOINT direct_load')
    return undefined
  }
}

async function stageTable(
  tx: SqlExecutor,
  input: CollectTable,
  options: CollectOptions,
  now: string,
  collectionId: number,
): Promise<StagedRead> {
  const table = await ensureVaultTable(tx, input.schema, now)
  const qualified = `${table.system}.${table.name}`
  const progress = options.onProgress ?? noProgress
  const onRows = (done: number) => progress({ task: `collect ${qualified}`, done, unit: 'rows' })
  if (options.loadFrom !== undefined) {
    const loaded = await stageSnapshotInFull(tx, table, options.loadFrom, progress)
    return { ...loaded, incremental: false, watermark: undefined, watermarkScope: undefined }
  }
  const { read } = input
  if (read === undefined) throw new Error(`No rows given for ${qualified}`)
  // Each read (the fallback to the full path reads again) has marks of its own; those of the read
  // whose rows are applied count.
  let marks = new ReadMarks(table, input.since)
  const follow = () => {
    marks = new ReadMarks(table, input.since)
    return marks.follow(read())
  }
  let staged: Staged | undefined
  if (await isEmpty(tx, table)) {
    staged = await loadDirect(tx, table, follow, collectionId, onRows)
  } else if (input.since === undefined) {
    // Comparing fingerprints in memory first reads every current key: cheapest for a full read.
    // An incremental read brings few rows, which the full path below stages and compares in SQL
    // through the key indexes, in time proportional to them (10 changed rows of 200,000: 8 ms
    // instead of 300 on SQLite, 20 instead of 250 on PostgreSQL).
    const pages = follow()
    const changes = await stageChanges(tx, table, pages, onRows, marks)
    if (changes !== undefined) staged = { table, ...changes }
  }
  staged ??= await stagePagesInFull(tx, table, follow, onRows, () => marks.delta)
  const watermark = marks.watermark
  return { ...staged, incremental: marks.delta, watermark, watermarkScope: input.watermarkScope }
}

/** A load: the state after a past collection, staged in full. */
async function stageSnapshotInFull(
  tx: SqlExecutor,
  table: VaultTable,
  collectionId: number,
  progress: ProgressListener,
): Promise<Staged> {
  const qualified = `${table.system}.${table.name}`
  const staging = await createStagingTable(tx, table)
  const rows = await stageSnapshot(tx, table, staging, collectionId)
  progress({ task: `load ${qualified}`, done: rows, total: rows, unit: 'rows' })
  await checkStagedKeys(tx, table, staging, qualified)
  return { table, staging, counts: await countDifferences(tx, table, staging) }
}

/**
 * The full path: the rows read, all of them, in a staging table, compared with the current rows in
 * SQL; it reports key problems in full. It also takes incremental reads: their rows are only the
 * changed ones, duplicates are those within them, and a reference-key value may also clash with a
 * row the read did not return (and the vault keeps).
 */
async function stagePagesInFull(
  tx: SqlExecutor,
  table: VaultTable,
  read: () => AsyncIterable<StagePage>,
  onRows: (n: number) => void,
  isDelta: () => boolean,
): Promise<Staged> {
  const staging = await createStagingTable(tx, table)
  let source = `${table.system}.${table.name}`
  const pages = read()
  const tracked = (async function* () {
    for await (const page of pages) {
      source = page.source ?? source
      yield page
    }
  })()
  await stagePages(tx, table, staging, tracked, onRows)
  await checkStagedKeys(tx, table, staging, source)
  if (isDelta()) await checkKeptReferenceKeys(tx, table, staging, source)
  return { table, staging, counts: await countDifferences(tx, table, staging, isDelta()) }
}

function guardError(breaches: readonly GuardBreach[], system: string) {
  const issues: Issue[] = breaches.map((b) => ({
    code: 'VLT_GUARD_REJECTED',
    message: describeBreach(b),
    path: [b.table, b.guard],
  }))
  return vaultError(
    'VLT_GUARD_REJECTED',
    `Collection of ${system} rejected by ${breaches.length} guard(s); the vault keeps its previous state.`,
    {
      issues,
      details: { breaches },
    },
  )
}

async function dropScratch(driver: SqlExecutor, tables: readonly VaultTable[]): Promise<void> {
  for (const table of tables) {
    await driver.exec(`DROP TABLE IF EXISTS ${stagingName(table)}`).catch(() => undefined)
    await driver.exec(`DROP TABLE IF EXISTS ${differencesName(table)}`).catch(() => undefined)
  }
}

/**
 * PostgreSQL plans by table statistics, and a freshly filled table has none until autovacuum gets to
 * it: the planner then takes `_to IS NULL` for a handful of rows and picks nested loops, and a filter
 * over 100,000 fresh rows took minutes instead of a quarter of a second. Tables whose rows changed
 * substantially are analyzed right after the collection commits (SQLite plans without statistics).
 * https://www.postgresql.org/docs/current/sql-analyze.html
 */
async function analyzeChanged(session: SqlExecutor, staged: readonly StagedRead[]): Promise<void> {
  if (session.dialect.name !== 'postgres') return
  for (const { table, counts } of staged) {
    const changes = counts.added + counts.changed + counts.removed
    if (changes === 0 || (changes < 1000 && changes * 10 < counts.rowsBefore)) continue
    await session.exec(`ANALYZE ${table.versions}`)
    for (const side of table.sideTables.values()) await session.exec(`ANALYZE ${side}`)
  }
}

/** Collects (or, with `loadFrom`, restores) the given tables of one system into the vault. */
export async function writeCollection(driver: SqlDriver, options: CollectOptions): Promise<CollectionResult> {
  const clock = options.clock ?? systemClock
  const started = clock.now()
  const startedAt = started.toISOString()
  const kind: CollectionKind = options.loadFrom === undefined ? 'collect' : 'load'
  const forced = options.force === true
  return driver.session(async (session) => {
    const inserted = await session.query<{ id: number }>(
      'INSERT INTO collections (system, kind, status, started_at, source_collection_id, forced) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      [options.system, kind, 'running', startedAt, options.loadFrom ?? null, forced ? 1 : 0],
    )
    const id = Number(inserted[0]!.id)
    const staged: StagedRead[] = []
    try {
      const result = await session.transaction(async (tx) => {
        for (const input of options.tables) staged.push(await stageTable(tx, input, options, startedAt, id))
        const breaches = staged.flatMap((s, i) =>
          checkGuards(`${s.table.system}.${s.table.name}`, options.tables[i]!.guards ?? {}, s.counts),
        )
        if (breaches.length > 0 && !forced) throw guardError(breaches, options.system)
        for (const s of staged) {
          if (s.staging !== undefined) await applyDifferences(tx, s.table, s.staging, id, s.counts)
          await tx.run(
            `INSERT INTO collection_tables (collection_id, table_name, rows_before, rows_after, added, changed, removed,
               watermark, watermark_scope, incremental) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              id,
              s.table.name,
              s.counts.rowsBefore,
              s.counts.rowsAfter,
              s.counts.added,
              s.counts.changed,
              s.counts.removed,
              s.watermark ?? null,
              s.watermark === undefined ? null : (s.watermarkScope ?? null),
              s.incremental ? 1 : 0,
            ],
          )
        }
        const durationMs = clock.now().getTime() - started.getTime()
        await tx.run('UPDATE collections SET status = ?, finished_at = ?, duration_ms = ? WHERE id = ?', [
          'succeeded',
          clock.now().toISOString(),
          durationMs,
          id,
        ])
        return { durationMs, overriddenGuards: breaches.map(describeBreach) }
      })
      await analyzeChanged(session, staged)
      return {
        id,
        system: options.system,
        kind,
        status: 'succeeded' as const,
        startedAt,
        durationMs: result.durationMs,
        forced,
        tables: staged.map((s, i) => ({
          table: s.table.name,
          ...s.counts,
          incremental: s.incremental,
          watermark: s.watermark ?? null,
          since: options.loadFrom === undefined ? (options.tables[i]!.since ?? null) : null,
        })),
        overriddenGuards: result.overriddenGuards,
      }
    } catch (error) {
      const e = toProvisioError(error)
      const status: CollectionStatus = e.code === 'VLT_GUARD_REJECTED' ? 'rejected' : 'failed'
      await session.run(
        'UPDATE collections SET status = ?, finished_at = ?, duration_ms = ?, error_code = ?, message = ? WHERE id = ?',
        [status, clock.now().toISOString(), clock.now().getTime() - started.getTime(), e.code, e.message, id],
      )
      throw error
    } finally {
      await dropScratch(
        session,
        staged.map((s) => s.table),
      )
    }
  })
}
