/**
 * A run's log lines (DESIGN.md §9): what it did, stage by stage, kept in the vault so the log
 * outlives the process that wrote it. Lines are appended in batches (one statement per batch) and
 * read in the order they were written, a page at a time.
 */
import { type Clock, systemClock } from '../../core/index.ts'
import type { SqlExecutor, SqlValue } from '../driver/sql-driver.ts'
import type { RunLogEntry, StoredRunLogEntry } from '../plan-types.ts'
import { optionalText } from './stored-json.ts'

const COLUMNS = [
  { name: 'run_id', sqlType: 'BIGINT' },
  { name: 'at', sqlType: 'TEXT' },
  { name: 'level', sqlType: 'TEXT' },
  { name: 'message', sqlType: 'TEXT' },
  { name: 'details_json', sqlType: 'TEXT' },
] as const

/** Appends `entries` to run `runId`'s log, in their order; an entry without `at` is stamped now. */
export async function appendRunLog(
  db: SqlExecutor,
  runId: number,
  entries: readonly RunLogEntry[],
  clock: Clock = systemClock,
): Promise<void> {
  if (entries.length === 0) return
  const now = clock.now().toISOString()
  const rows: SqlValue[][] = entries.map((e) => [
    runId,
    e.at ?? now,
    e.level,
    e.message,
    e.details === undefined ? null : JSON.stringify(e.details),
  ])
  await db.insertMany('run_log', COLUMNS, rows)
}

export interface ReadRunLogOptions {
  /** At most this many lines. @default all */
  readonly limit?: number | undefined
  /** Only lines after this seq (the last seq of the page before). */
  readonly afterSeq?: number | undefined
  /** The last `limit` lines instead of the first (still in written order). @default false */
  readonly last?: boolean | undefined
}

/** Run `runId`'s log lines in the order they were written. */
export async function readRunLog(
  db: SqlExecutor,
  runId: number,
  options: ReadRunLogOptions = {},
): Promise<StoredRunLogEntry[]> {
  const params: SqlValue[] = [runId]
  let where = 'run_id = ?'
  if (options.afterSeq !== undefined) {
    where += ' AND seq > ?'
    params.push(options.afterSeq)
  }
  const order = options.last === true ? 'DESC' : 'ASC'
  const limit = options.limit === undefined ? '' : ' LIMIT ?'
  if (options.limit !== undefined) params.push(options.limit)
  const rows = await db.query<Record<string, unknown>>(
    `SELECT seq, run_id, at, level, message, details_json FROM run_log WHERE ${where} ORDER BY seq ${order}${limit}`,
    params,
  )
  if (options.last === true) rows.reverse()
  return rows.map((r) => ({
    runId: Number(r['run_id']),
    seq: Number(r['seq']),
    at: String(r['at']),
    level: r['level'] as StoredRunLogEntry['level'],
    message: String(r['message']),
    ...(optionalText(r['details_json']) === undefined
      ? {}
      : { details: JSON.parse(String(r['details_json'])) as Record<string, unknown> }),
  }))
}

/** How many lines run `runId`'s log holds. */
export async function countRunLog(db: SqlExecutor, runId: number): Promise<number> {
  const rows = await db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM run_log WHERE run_id = ?', [runId])
  return Number(rows[0]?.n ?? 0)
}
