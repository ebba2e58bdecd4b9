/**
 * Runs: one execution of a job or a plan, with who started it and what came of it. Minimal for
 * now (issue 7 adds tasks, progress and the log); the audit and write-back collections point here.
 */
import { type Clock, systemClock } from '../../core/index.ts'
import type { SqlExecutor } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import type { RunRecord, RunStatus } from '../plan-types.ts'
import { optionalNumber, optionalText } from './stored-json.ts'

export interface CreateRunOptions {
  readonly kind: RunRecord['kind']
  /** The job's name, or the plan's id as text. */
  readonly name: string
  readonly planId?: number | undefined
  /** Who or what started it: `cli`, a user name, a task. */
  readonly actor: string
  /** @default systemClock */
  readonly clock?: Clock | undefined
}

/** Records a run as `running` and returns its id. */
export async function createRun(db: SqlExecutor, options: CreateRunOptions): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO runs (kind, name, plan_id, actor, status, started_at, counts_json) VALUES (?, ?, ?, ?, 'running', ?, '{}') RETURNING id`,
    [
      options.kind,
      options.name,
      options.planId ?? null,
      options.actor,
      (options.clock ?? systemClock).now().toISOString(),
    ],
  )
  return Number(rows[0]!.id)
}

export interface FinishRunOptions {
  readonly status: Exclude<RunStatus, 'running'>
  readonly counts?: Readonly<Record<string, number>> | undefined
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
}

/** Records how a run ended; throws VLT_UNKNOWN_RUN. */
export async function finishRun(db: SqlExecutor, runId: number, options: FinishRunOptions): Promise<void> {
  const changed = await db.run(
    'UPDATE runs SET status = ?, finished_at = ?, counts_json = ?, error_code = ?, message = ? WHERE id = ?',
    [
      options.status,
      (options.clock ?? systemClock).now().toISOString(),
      JSON.stringify(options.counts ?? {}),
      options.errorCode ?? null,
      options.message ?? null,
      runId,
    ],
  )
  if (changed === 0) throw unknownRun(runId)
}

function unknownRun(runId: number) {
  return vaultError('VLT_UNKNOWN_RUN', `There is no run ${runId}.`, { details: { runId } })
}

/** One run; throws VLT_UNKNOWN_RUN. */
export async function getRun(db: SqlExecutor, runId: number): Promise<RunRecord> {
  const rows = await db.query<Record<string, unknown>>('SELECT * FROM runs WHERE id = ?', [runId])
  const r = rows[0]
  if (r === undefined) throw unknownRun(runId)
  return {
    id: Number(r['id']),
    kind: r['kind'] as RunRecord['kind'],
    name: String(r['name']),
    planId: optionalNumber(r['plan_id']),
    actor: String(r['actor']),
    status: r['status'] as RunStatus,
    startedAt: String(r['started_at']),
    finishedAt: optionalText(r['finished_at']),
    counts: JSON.parse(String(r['counts_json'])) as Record<string, number>,
    errorCode: optionalText(r['error_code']),
    message: optionalText(r['message']),
  }
}

/**
 * Marks the runs of a job or plan still `running` as `interrupted`, except `except` (the run that
 * asks): a new run of the same job starts only after the earlier one ended, so a run still
 * `running` belongs to a process that died. Returns how many it marked.
 */
export async function interruptRuns(
  db: SqlExecutor,
  options: Pick<CreateRunOptions, 'kind' | 'name' | 'clock'> & { readonly except: number },
): Promise<number> {
  return db.run(
    `UPDATE runs SET status = 'interrupted', finished_at = ?, message = ?
      WHERE kind = ? AND name = ? AND status = 'running' AND id <> ?`,
    [
      (options.clock ?? systemClock).now().toISOString(),
      'The process ended before the run finished; a later run settled what it left in doubt.',
      options.kind,
      options.name,
      options.except,
    ],
  )
}
