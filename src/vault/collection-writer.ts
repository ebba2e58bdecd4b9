/**
 * Collection: the complete new state of a system's tables is staged, checked (keys, guards) and
 * then applied in one transaction, so that a collection is all or nothing. Failed and rejected
 * collections are recorded too, with their reason, and leave the vault exactly as it was.
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
import {
  type StagePage,
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
): Promise<Staged> {
  const table = await ensureVaultTable(tx, input.schema, now)
  const qualified = `${table.system}.${table.name}`
  const progress = options.onProgress ?? noProgress
  const onRows = (done: number) => progress({ task: `collect ${qualified}`, done, unit: 'rows' })
  if (options.loadFrom === undefined && input.read !== undefined) {
    if (await isEmpty(tx, table)) {
      const direct = await loadDirect(tx, table, input.read, collectionId, onRows)
      if (direct !== undefined) return direct
    } else {
      const changes = await stageChanges(tx, table, input.read(), onRows)
      if (changes !== undefined) return { table, ...changes }
    }
  }
  return stageInFull(tx, table, input, options, onRows)
}

/** The full path: the whole new state in a staging table; used for loads and to report key problems in full. */
async function stageInFull(
  tx: SqlExecutor,
  table: VaultTable,
  input: CollectTable,
  options: CollectOptions,
  onRows: (n: number) => void,
): Promise<Staged> {
  const qualified = `${table.system}.${table.name}`
  const staging = await createStagingTable(tx, table)
  let source = qualified
  if (options.loadFrom !== undefined) {
    const rows = await stageSnapshot(tx, table, staging, options.loadFrom)
    ;(options.onProgress ?? noProgress)({ task: `load ${qualified}`, done: rows, total: rows, unit: 'rows' })
  } else {
    if (input.read === undefined) throw new Error(`No rows given for ${qualified}`)
    const pages = input.read()
    const tracked = (async function* () {
      for await (const page of pages) {
        source = page.source ?? source
        yield page
      }
    })()
    await stagePages(tx, table, staging, tracked, onRows)
  }
  await checkStagedKeys(tx, table, staging, source)
  return { table, staging, counts: await countDifferences(tx, table, staging) }
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
    const staged: Staged[] = []
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
            'INSERT INTO collection_tables (collection_id, table_name, rows_before, rows_after, added, changed, removed) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
              id,
              s.table.name,
              s.counts.rowsBefore,
              s.counts.rowsAfter,
              s.counts.added,
              s.counts.changed,
              s.counts.removed,
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
      return {
        id,
        system: options.system,
        kind,
        status: 'succeeded' as const,
        startedAt,
        durationMs: result.durationMs,
        forced,
        tables: staged.map((s) => ({ table: s.table.name, ...s.counts })),
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
