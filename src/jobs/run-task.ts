/**
 * Running a task once (DESIGN.md §9, docs/tasks.md). A sync task collects its systems, evaluates
 * its jobs into one stored plan each, and executes the plans in order, but only when no job was
 * stopped by a threshold: then nothing is executed at all (safety first). An export task writes a
 * filter's rows to a CSV file. Each run is recorded as a run of kind `task` with its figures.
 *
 * One run per task at a time: the run holds a lease named after the task for as long as it runs
 * (the execution lease, so a run whose process died is taken over as a system's lease is). The
 * writes themselves go through executeStoredPlan, which holds the leases of the target systems.
 * A second start is refused, or (`whenBusy: 'wait'`) recorded as `queued` until the lease is free.
 *
 * Every run records the configuration revision it used and writes its log as it goes (run-log.ts).
 * A sync task with `approval` stops after evaluating as `awaiting-approval`, its plans recorded with
 * the run; the run then waits in the vault, not in a process (approve-run.ts).
 *
 * Events (docs/events.md) go to `options.events` as the run goes: each collection, each job's
 * evaluation, each operation when asked for, and `task.finished` at the end, whatever the outcome.
 */
import type { Clock, ProgressListener, ProvisioError } from '../core/index.ts'
import { closestMatch, systemClock } from '../core/index.ts'
import type { SyncTaskConfig, TaskConfig, ValidatedProject } from '../config/index.ts'
import { collectSystem } from '../connectors/index.ts'
import type { ExecutionSummary } from '../engine/index.ts'
import {
  type CollectionResult,
  type RunStatus,
  type SqlDriver,
  changeRunStatus,
  createRun,
  finishRun,
  interruptRuns,
  setRunPlans,
  withExecutionLease,
} from '../vault/index.ts'
import { emitAwaitingApproval, supersedeAwaitingRuns } from './awaiting-approval.ts'
import { jobError } from './errors.ts'
import { type ExportResult, writeExport } from './export-file.ts'
import { RunLog, logEvaluation, logExecution } from './run-log.ts'
import { recordRevision } from './run-revision.ts'
import { interruptAbandonedQueued, taskRunning, tryTaskLease, waitForTaskLease } from './task-lease.ts'
import { completeEmptyPlan, executionsStatus, plannedOperations } from './plan-outcome.ts'
import {
  type EventContext,
  emitCollectionFinished,
  emitCollectionRejected,
  emitEvaluation,
  emitTaskFinished,
  outcomeListener,
} from './run-events.ts'
import {
  type JobEvaluation,
  type JobOptions,
  evaluateJob,
  executeStoredPlan,
  requireJob,
  settleBeforeEvaluating,
  systemsOf,
} from './run-job.ts'

/** The stages of a task, in the order a sync task runs them. */
export type TaskStage = 'collect' | 'evaluate' | 'execute' | 'export'

/** A job's options, but `force`: a task never executes past a threshold. */
export interface TaskOptions extends Omit<JobOptions, 'force'> {
  /** Stop a sync task after evaluating: plans are stored, nothing is written to the targets. @default false */
  readonly evaluateOnly?: boolean | undefined
  /** A stage begins: `name` is the system, job or filter it works on. */
  readonly onStage?: ((stage: TaskStage, name: string) => void) | undefined
  readonly onCollectProgress?: ProgressListener | undefined
  /**
   * When a run of the task is going on: `refuse` throws JOB_TASK_RUNNING; `wait` records this run as
   * `queued` and starts it when the other one ends (or `signal` aborts the wait). @default 'refuse'
   */
  readonly whenBusy?: 'refuse' | 'wait' | undefined
  /** How a queued run waits between two looks at the task's lease (tests pass a fake). @default setTimeout */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined
  /** How long a queued run waits between two looks at the task's lease. @default 1000 */
  readonly pollMs?: number | undefined
}

export interface TaskExecution extends ExecutionSummary {
  readonly job: string
  /** The run (kind `plan`) that executed the job's plan. */
  readonly runId: number
}

export interface TaskRun {
  readonly runId: number
  readonly task: string
  readonly type: TaskConfig['type']
  /** A disabled task is not scheduled, but runs when asked to. */
  readonly enabled: boolean
  readonly status: Exclude<RunStatus, 'running'>
  readonly collections: readonly CollectionResult[]
  readonly evaluations: readonly JobEvaluation[]
  readonly executions: readonly TaskExecution[]
  readonly export?: ExportResult | undefined
  /** The figures recorded with the run. */
  readonly counts: Readonly<Record<string, number>>
  /** Why the run failed (a collection rejected by a guard, a filter not collected, …). */
  readonly error?: Error | undefined
  /** The stored configuration revision the run used. */
  readonly configRevision: { readonly id: number; readonly hash: string }
}

export function requireTask(project: ValidatedProject, name: string): TaskConfig {
  const task = project.tasks.find((t) => t.name === name)
  if (task === undefined) {
    const names = project.tasks.map((t) => t.name)
    const match = closestMatch(name, names)
    throw jobError('JOB_UNKNOWN_TASK', `There is no valid task '${name}' in the project.`, {
      hint: `${match === undefined ? '' : `Did you mean '${match}'? `}Tasks: ${names.join(', ') || '(none)'}.`,
      details: { task: name, tasks: project.tasks.map((t) => t.name) },
    })
  }
  return task
}

/** What a run gathers as it goes; finished into a TaskRun. */
interface Progress {
  collections: CollectionResult[]
  evaluations: JobEvaluation[]
  executions: TaskExecution[]
  export?: ExportResult
  /** Set when a threshold stopped a job: nothing is executed. */
  stopped: boolean
  /** Set when the evaluated plans wait for approval: nothing is executed now. */
  awaiting: boolean
}

/**
 * Runs task `name` once, whether or not it is enabled. Throws JOB_UNKNOWN_TASK, and
 * JOB_TASK_RUNNING when a run of the task is going on (unless `whenBusy: 'wait'`); anything that
 * goes wrong inside the run ends it as failed and is returned as `error` with the stages done so far.
 */
export async function runTask(
  db: SqlDriver,
  project: ValidatedProject,
  name: string,
  options: TaskOptions = {},
): Promise<TaskRun> {
  const task = requireTask(project, name)
  const clock = options.clock ?? systemClock
  const actor = options.actor ?? 'cli'
  const revision = await recordRevision(db, project, clock)
  let lease = await tryTaskLease(db, task.name, clock)
  try {
    let runId: number
    if (lease !== undefined) {
      runId = await createRun(db, { kind: 'task', name: task.name, actor, clock, configRevision: revision.id })
      options.onRun?.(runId)
    } else {
      if (options.whenBusy !== 'wait') throw await taskRunning(db, task.name)
      runId = await createRun(db, {
        kind: 'task',
        name: task.name,
        actor,
        clock,
        status: 'queued',
        configRevision: revision.id,
      })
      options.onRun?.(runId)
      const queued = await waitForTaskLease(db, task.name, runId, { ...options, clock })
      if (queued.lease === undefined) return interruptedWhileQueued(db, task, runId, revision, queued.error, clock)
      lease = queued.lease
      if (!(await changeRunStatus(db, runId, { from: ['queued'], to: 'running', clock }))) {
        // Another process took it for abandoned before its wait began: it does nothing.
        const error = jobError('JOB_TASK_RUNNING', `Run ${runId} of task ${task.name} was ended while it was queued.`, {
          details: { task: task.name, runId },
        })
        return interruptedWhileQueued(db, task, runId, revision, error, clock)
      }
    }
    // Holding the task's lease: a run of it still `running` belongs to a process that died.
    await interruptRuns(db, { kind: 'task', name: task.name, except: runId, clock })
    await interruptAbandonedQueued(db, task.name, runId, clock)
    // A plan that awaited approval is stale once the task runs again: it must never be approved later.
    await supersedeAwaitingRuns(db, task.name, runId, { clock, events: options.events })
    return await recordTask(db, project, task, runId, revision, { ...options, actor, clock })
  } finally {
    await lease?.release()
  }
}

async function interruptedWhileQueued(
  db: SqlDriver,
  task: TaskConfig,
  runId: number,
  revision: TaskRun['configRevision'],
  error: Error | undefined,
  clock: Clock,
): Promise<TaskRun> {
  await finishRun(db, runId, { status: 'interrupted', counts: {}, clock, message: error?.message })
  return {
    runId,
    task: task.name,
    type: task.type,
    enabled: task.enabled,
    status: 'interrupted',
    collections: [],
    evaluations: [],
    executions: [],
    counts: {},
    configRevision: revision,
    ...(error === undefined ? {} : { error }),
  }
}

async function recordTask(
  db: SqlDriver,
  project: ValidatedProject,
  task: TaskConfig,
  runId: number,
  revision: TaskRun['configRevision'],
  options: TaskOptions & { readonly actor: string; readonly clock: Clock },
): Promise<TaskRun> {
  const progress: Progress = { collections: [], evaluations: [], executions: [], stopped: false, awaiting: false }
  const log = new RunLog(db, runId, options.clock)
  log.info(`task ${task.name} (${task.type}) started by ${options.actor}`, {
    configRevision: revision.id,
    configHash: revision.hash.slice(0, 12),
  })
  const onStage = (stage: TaskStage, name: string) => {
    log.info(`${stage} ${name} started`)
    options.onStage?.(stage, name)
  }
  const context = { events: options.events, clock: options.clock, runId, task: task.name }
  const timeout = new AbortController()
  const timer = task.maxDuration === undefined ? undefined : setTimeout(() => timeout.abort(), task.maxDuration).unref()
  const signal = options.signal === undefined ? timeout.signal : AbortSignal.any([options.signal, timeout.signal])
  let error: Error | undefined
  /** Asked to stop (serve's graceful stop): the run ends `interrupted`, which is not an error. */
  let stopped = false
  try {
    if (task.type === 'sync') await runSync(db, project, task, progress, context, { ...options, signal, onStage, log })
    else {
      onStage('export', task.filter)
      progress.export = await writeExport(db, project, task, { clock: options.clock, signal })
      log.info(`export ${task.filter} finished: ${progress.export.rows} row(s) to ${progress.export.file}`, {
        rows: progress.export.rows,
        file: progress.export.file,
        removed: progress.export.removed.length,
      })
    }
  } catch (caught) {
    if (options.signal?.aborted === true && (caught as Error).name === 'AbortError') stopped = true
    else error = caught as Error
  } finally {
    clearTimeout(timer)
  }
  if (timeout.signal.aborted) {
    error = jobError(
      'JOB_TASK_TIMED_OUT',
      `Task ${task.name} ran longer than its maxDuration of ${formatMs(task.maxDuration!)} and was stopped.`,
      { details: { task: task.name, maxDuration: task.maxDuration }, cause: error },
    )
  }
  const counts = countsOf(progress)
  const status = stopped
    ? 'interrupted'
    : error !== undefined
      ? options.signal?.aborted === true
        ? 'interrupted'
        : 'failed'
      : statusOf(progress)
  const planIds = progress.evaluations.map((e) => e.planId)
  if (planIds.length > 0) await setRunPlans(db, runId, planIds)
  if (error !== undefined) log.error(error)
  if (status === 'awaiting-approval') {
    log.info(`awaiting approval: ${counts['planned'] ?? 0} operation(s) planned in plan(s) ${planIds.join(', ')}`, {
      planIds,
    })
  }
  log.info(`task ${task.name} ${status}`, counts)
  await log.close()
  await finishRun(db, runId, {
    status,
    counts,
    clock: options.clock,
    ...(error !== undefined
      ? { errorCode: (error as Partial<ProvisioError>).code, message: error.message }
      : stopped
        ? { message: 'Asked to stop before the run finished: in-flight operations finished, nothing more was done.' }
        : {}),
  })
  emitTaskFinished(context, {
    taskType: task.type,
    status,
    counts,
    planIds,
    error,
  })
  if (status === 'awaiting-approval') emitAwaitingApproval(context, planIds, counts['planned'] ?? 0)
  return {
    runId,
    task: task.name,
    type: task.type,
    enabled: task.enabled,
    status,
    collections: progress.collections,
    evaluations: progress.evaluations,
    executions: progress.executions,
    ...(progress.export === undefined ? {} : { export: progress.export }),
    counts,
    ...(error === undefined ? {} : { error }),
    configRevision: revision,
  }
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

async function runSync(
  db: SqlDriver,
  project: ValidatedProject,
  task: SyncTaskConfig,
  progress: Progress,
  context: EventContext,
  options: TaskOptions & {
    readonly actor: string
    readonly clock: Clock
    readonly signal: AbortSignal
    readonly onStage: NonNullable<TaskOptions['onStage']>
    readonly log: RunLog
  },
): Promise<void> {
  const { signal, clock, actor, log } = options
  for (const name of task.collect) {
    signal.throwIfAborted()
    options.onStage('collect', name)
    const system = project.systems.find((s) => s.name === name)!
    // A guard's rejection throws: the task stops here, as failed, with the collection's message.
    const collection = await collectSystem({
      driver: db,
      system,
      projectDir: project.dir,
      env: options.env,
      logger: options.logger,
      onProgress: options.onCollectProgress,
    }).catch((error: unknown) => {
      emitCollectionRejected(context, name, error as Error)
      throw error
    })
    progress.collections.push(collection)
    emitCollectionFinished(context, collection)
    const sum = (key: 'rowsAfter' | 'added' | 'changed' | 'removed') =>
      collection.tables.reduce((n, t) => n + t[key], 0)
    log.info(
      `collect ${name} finished: collection ${collection.id}, ${sum('rowsAfter')} rows (${sum('added')} added, ${sum('changed')} changed, ${sum('removed')} removed)`,
      {
        system: name,
        collectionId: collection.id,
        tables: collection.tables.map((t) => ({
          table: t.table,
          rows: t.rowsAfter,
          added: t.added,
          changed: t.changed,
          removed: t.removed,
        })),
      },
    )
  }
  if (task.evaluate.length === 0) return
  signal.throwIfAborted()
  // Settle what an earlier run left in doubt before planning, holding the targets' leases, as runJob does.
  const systems = systemsOf(project, ...task.evaluate.map((name) => requireJob(project, name)))
  await withExecutionLease(db, systems, { holder: `task ${task.name}`, clock }, async () => {
    const settled = await settleBeforeEvaluating(db, project, systems, { ...options, actor, clock })
    for (const job of task.evaluate) {
      signal.throwIfAborted()
      options.onStage('evaluate', job)
      const evaluation = await evaluateJob(
        db,
        project,
        job,
        { clock, onEvaluateProgress: options.onEvaluateProgress },
        progress.evaluations.length === 0 ? settled : 0,
      )
      progress.evaluations.push(evaluation)
      emitEvaluation(context, evaluation)
      logEvaluation(log, evaluation)
    }
  })
  progress.stopped = progress.evaluations.some((e) => e.stopped)
  if (progress.stopped || !task.execute || options.evaluateOnly === true) return
  if (task.approval && progress.evaluations.some((e) => plannedOperations(e) > 0)) {
    // The plans stay `planned`: approving the run executes exactly them (approve-run.ts).
    progress.awaiting = true
    return
  }
  for (const evaluation of progress.evaluations) {
    signal.throwIfAborted()
    if (plannedOperations(evaluation) === 0) {
      await completeEmptyPlan(db, evaluation.planId, clock)
      continue
    }
    options.onStage('execute', evaluation.job)
    const execution = await executeStoredPlan(db, project, evaluation.planId, {
      actor,
      env: options.env,
      logger: options.logger,
      clock,
      signal,
      onExecuteProgress: options.onExecuteProgress,
      onOutcome: outcomeListener(context, evaluation.job),
    })
    progress.executions.push({ ...execution, job: evaluation.job })
    logExecution(log, evaluation.job, execution)
    if (execution.status === 'interrupted') {
      signal.throwIfAborted()
      return
    }
  }
}

/** The figures of a run, per stage; a stage the task does not have is left out. */
function countsOf(progress: Progress): Record<string, number> {
  const counts: Record<string, number> = {}
  if (progress.collections.length > 0) {
    counts['collected'] = progress.collections.length
    counts['collectedRows'] = progress.collections.reduce(
      (n, c) => n + c.tables.reduce((m, t) => m + t.rowsAfter, 0),
      0,
    )
  }
  if (progress.evaluations.length > 0) {
    counts['evaluated'] = progress.evaluations.length
    counts['planned'] = progress.evaluations.reduce((n, e) => n + plannedOperations(e), 0)
    counts['settledInDoubt'] = progress.evaluations.reduce((n, e) => n + e.settledInDoubt, 0)
  }
  if (progress.executions.length > 0) {
    for (const key of ['succeeded', 'failed', 'skipped'] as const)
      counts[key] = progress.executions.reduce((n, e) => n + e[key], 0)
  }
  if (progress.export !== undefined) counts['exportedRows'] = progress.export.rows
  return counts
}

/** How a run that threw nothing ended: stopped by a threshold, or as its executions went. */
function statusOf(progress: Progress): Exclude<RunStatus, 'running' | 'failed' | 'interrupted'> | 'failed' {
  if (progress.stopped) return 'stopped'
  if (progress.awaiting) return 'awaiting-approval'
  return executionsStatus(progress.executions)
}
