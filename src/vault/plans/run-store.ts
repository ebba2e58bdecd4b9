/**
 * Runs: one execution of a job, a plan or a task, with who started it, the configuration revision
 * it used and what came of it; the audit, the run log and write-back collections point here.
 */
import { type Clock, systemClock } from '../../core/index.ts'
import type { SqlExecutor, SqlValue } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import type { RunRecord, RunStatus } from '../plan-types.ts'
import { fromJson, optionalNumber, optionalText } from './stored-json.ts'

export interface CreateRunOptions {
  readonly kind: RunRecord['kind']
  /** The job's name, or the plan's id as text. */
  readonly name: string
  readonly planId?: number | undefined
  /** Who or what started it: `cli`, a user name, a task. */
  readonly actor: string
  /** `queued` when it waits for another run of its task to end. @default 'running' */
  readonly status?: 'queued' | 'running' | undefined
  /** The stored configuration revision it uses (storeConfigRevision). */
  readonly configRevision?: number | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
}

/** Records a run as `running` (or `queued`) and returns its id. */
export async function createRun(db: SqlExecutor, options: CreateRunOptions): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO runs (kind, name, plan_id, actor, status, started_at, counts_json, config_revision)
     VALUES (?, ?, ?, ?, ?, ?, '{}', ?) RETURNING id`,
    [
      options.kind,
      options.name,
      options.planId ?? null,
      options.actor,
      options.status ?? 'running',
      (options.clock ?? systemClock).now().toISOString(),
      options.configRevision ?? null,
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

/**
 * Records the plan a run evaluated: a job run starts before its plan exists, and a run that stopped
 * at a threshold or planned nothing must still lead to its plan. Throws VLT_UNKNOWN_RUN.
 */
export async function setRunPlan(db: SqlExecutor, runId: number, planId: number): Promise<void> {
  if ((await db.run('UPDATE runs SET plan_id = ? WHERE id = ?', [planId, runId])) === 0) throw unknownRun(runId)
}

/** Records the plans a task run evaluated, in job order. Throws VLT_UNKNOWN_RUN. */
export async function setRunPlans(db: SqlExecutor, runId: number, planIds: readonly number[]): Promise<void> {
  if ((await db.run('UPDATE runs SET plan_ids_json = ? WHERE id = ?', [JSON.stringify(planIds), runId])) === 0)
    throw unknownRun(runId)
}

export interface ChangeRunStatusOptions {
  /** The statuses the run may be in; it is changed only from one of them. */
  readonly from: readonly RunStatus[]
  readonly to: RunStatus
  /** Records who approved or rejected the run, now. */
  readonly decidedBy?: string | undefined
  readonly message?: string | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
}

/**
 * Changes a run's status only when it is in one of `from`, in one statement: of two processes
 * approving one run, only one gets `true`. A terminal `to` records the finish time as well.
 */
export async function changeRunStatus(
  db: SqlExecutor,
  runId: number,
  options: ChangeRunStatusOptions,
): Promise<boolean> {
  const now = (options.clock ?? systemClock).now().toISOString()
  const sets = ['status = ?']
  const params: SqlValue[] = [options.to]
  if (!['queued', 'running', 'awaiting-approval'].includes(options.to)) {
    sets.push('finished_at = ?')
    params.push(now)
  }
  if (options.decidedBy !== undefined) {
    sets.push('approved_by = ?', 'decided_at = ?')
    params.push(options.decidedBy, now)
  }
  if (options.message !== undefined) {
    sets.push('message = ?')
    params.push(options.message)
  }
  const changed = await db.run(
    `UPDATE runs SET ${sets.join(', ')} WHERE id = ? AND status IN (${options.from.map(() => '?').join(', ')})`,
    [...params, runId, ...options.from],
  )
  return changed > 0
}

function unknownRun(runId: number) {
  return vaultError('VLT_UNKNOWN_RUN', `There is no run ${runId}.`, { details: { runId } })
}

/** One run; throws VLT_UNKNOWN_RUN. */
export async function getRun(db: SqlExecutor, runId: number): Promise<RunRecord> {
  const rows = await db.query<Record<string, unknown>>('SELECT * FROM runs WHERE id = ?', [runId])
  const r = rows[0]
  if (r === undefined) throw unknownRun(runId)
  return toRunRecord(r)
}

function toRunRecord(r: Record<string, unknown>): RunRecord {
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
    configRevision: optionalNumber(r['config_revision']),
    planIds: fromJson<number[]>(r['plan_ids_json']) ?? [],
    approvedBy: optionalText(r['approved_by']),
    decidedAt: optionalText(r['decided_at']),
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

export interface ListRunsOptions {
  /** Only runs of this kind (`job`, `plan`, `task`). */
  readonly kind?: string | undefined
  /** Only runs of this job, task or plan (the plan's id as text). */
  readonly name?: string | undefined
  readonly status?: RunStatus | undefined
  /** At most this many runs. @default 20 */
  readonly limit?: number | undefined
  /** The next page: runs older than this id (the last id of the page before). */
  readonly beforeId?: number | undefined
}

/** One page of runs matching every filter given, newest first. */
export async function listRuns(db: SqlExecutor, options: ListRunsOptions = {}): Promise<RunRecord[]> {
  const clauses: string[] = []
  const params: SqlValue[] = []
  const add = (clause: string, value: SqlValue) => {
    clauses.push(clause)
    params.push(value)
  }
  if (options.kind !== undefined) add('kind = ?', options.kind)
  if (options.name !== undefined) add('name = ?', options.name)
  if (options.status !== undefined) add('status = ?', options.status)
  if (options.beforeId !== undefined) add('id < ?', options.beforeId)
  const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM runs ${where} ORDER BY id DESC LIMIT ?`, [
    ...params,
    options.limit ?? 20,
  ])
  return rows.map(toRunRecord)
}

/**
 * The plan a run executed: the one it records, else (a job run records none) the plan of the last
 * operation it wrote — in-doubt operations of earlier plans that the run settled are written first.
 * Undefined for a run that wrote nothing.
 */
export async function findRunPlan(db: SqlExecutor, run: Pick<RunRecord, 'id' | 'planId'>): Promise<number | undefined> {
  if (run.planId !== undefined) return run.planId
  const rows = await db.query<{ plan_id: unknown }>(
    'SELECT plan_id FROM audit WHERE run_id = ? ORDER BY id DESC LIMIT 1',
    [run.id],
  )
  return optionalNumber(rows[0]?.plan_id)
}
