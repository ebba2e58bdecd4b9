/**
 * Running a task once (DESIGN.md §9, docs/tasks.md). A sync task collects its systems, evaluates
 * its jobs into one stored plan each, and executes the plans in order, but only when no job was
 * stopped by a threshold: then nothing is executed at all (safety first). An export task writes a
 * filter's rows to a CSV file. Each run is recorded as a run of kind `task` with its figures.
 *
 * One run per task at a time: the run holds a lease named after the task for as long as it runs
 * (the execution lease, so a run whose process died is taken over as a system's lease is). The
 * writes themselves go through executeStoredPlan, which holds the leases of the target systems.
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
  acquireExecutionLease,
  createRun,
  finishRun,
  interruptRuns,
  updatePlan,
  withExecutionLease,
} from '../vault/index.ts'
import { jobError } from './errors.ts'
import { type ExportResult, writeExport } from './export-file.ts'
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
}

/**
 * Runs task `name` once, whether or not it is enabled. Throws JOB_UNKNOWN_TASK, and
 * JOB_TASK_RUNNING when a run of the task is going on; anything that goes wrong inside the run ends
 * it as failed and is returned as `error` with the stages done so far.
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
  const lease = await acquireExecutionLease(db, [`task:${task.name}`], { holder: `task ${task.name}`, clock }).catch(
    (error: unknown) => {
      throw (error as ProvisioError).code === 'VLT_EXECUTION_BUSY'
        ? jobError('JOB_TASK_RUNNING', `Task ${task.name} is already running.`, {
            details: { task: task.name, ...(error as ProvisioError).details },
            cause: error,
          })
        : error
    },
  )
  try {
    const runId = await createRun(db, { kind: 'task', name: task.name, actor, clock })
    // Holding the task's lease: a run of it still `running` belongs to a process that died.
    await interruptRuns(db, { kind: 'task', name: task.name, except: runId, clock })
    return await recordTask(db, project, task, runId, { ...options, actor, clock })
  } finally {
    await lease.release()
  }
}

async function recordTask(
  db: SqlDriver,
  project: ValidatedProject,
  task: TaskConfig,
  runId: number,
  options: TaskOptions & { readonly actor: string; readonly clock: Clock },
): Promise<TaskRun> {
  const progress: Progress = { collections: [], evaluations: [], executions: [], stopped: false }
  const timeout = new AbortController()
  const timer = task.maxDuration === undefined ? undefined : setTimeout(() => timeout.abort(), task.maxDuration).unref()
  const signal = options.signal === undefined ? timeout.signal : AbortSignal.any([options.signal, timeout.signal])
  let error: Error | undefined
  try {
    if (task.type === 'sync') await runSync(db, project, task, progress, { ...options, signal })
    else {
      options.onStage?.('export', task.filter)
      progress.export = await writeExport(db, project, task, { clock: options.clock, signal })
    }
  } catch (caught) {
    error = caught as Error
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
  const status =
    error !== undefined ? (options.signal?.aborted === true ? 'interrupted' : 'failed') : statusOf(progress)
  await finishRun(db, runId, {
    status,
    counts,
    clock: options.clock,
    ...(error === undefined ? {} : { errorCode: (error as Partial<ProvisioError>).code, message: error.message }),
  })
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
  options: TaskOptions & { readonly actor: string; readonly clock: Clock; readonly signal: AbortSignal },
): Promise<void> {
  const { signal, clock, actor } = options
  for (const name of task.collect) {
    signal.throwIfAborted()
    options.onStage?.('collect', name)
    const system = project.systems.find((s) => s.name === name)!
    // A guard's rejection throws: the task stops here, as failed, with the collection's message.
    progress.collections.push(
      await collectSystem({
        driver: db,
        system,
        projectDir: project.dir,
        env: options.env,
        logger: options.logger,
        onProgress: options.onCollectProgress,
      }),
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
      options.onStage?.('evaluate', job)
      const evaluation = await evaluateJob(
        db,
        project,
        job,
        { clock, onEvaluateProgress: options.onEvaluateProgress },
        progress.evaluations.length === 0 ? settled : 0,
      )
      progress.evaluations.push(evaluation)
    }
  })
  progress.stopped = progress.evaluations.some((e) => e.stopped)
  if (progress.stopped || !task.execute || options.evaluateOnly === true) return
  for (const evaluation of progress.evaluations) {
    signal.throwIfAborted()
    if (planned(evaluation) === 0) {
      // Nothing to write: the plan is complete as it is (as runJob records it).
      await updatePlan(db, evaluation.planId, { status: 'executing' })
      await updatePlan(db, evaluation.planId, { status: 'executed', executedAt: clock.now().toISOString() })
      continue
    }
    options.onStage?.('execute', evaluation.job)
    const execution = await executeStoredPlan(db, project, evaluation.planId, {
      actor,
      env: options.env,
      logger: options.logger,
      clock,
      signal,
      onExecuteProgress: options.onExecuteProgress,
    })
    progress.executions.push({ ...execution, job: evaluation.job })
    if (execution.status === 'interrupted') {
      signal.throwIfAborted()
      return
    }
  }
}

function planned(evaluation: JobEvaluation): number {
  return evaluation.steps.reduce((n, s) => n + s.operations, 0)
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
    counts['planned'] = progress.evaluations.reduce((n, e) => n + planned(e), 0)
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
  const failed = progress.executions.reduce((n, e) => n + e.failed, 0)
  if (failed === 0) return 'succeeded'
  return progress.executions.some((e) => e.succeeded > 0) ? 'partially-failed' : 'failed'
}
