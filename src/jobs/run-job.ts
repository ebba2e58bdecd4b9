/**
 * Jobs (DESIGN.md §9): ordered steps, each a mapping with an enabled flag and a threshold. A job is
 * evaluated into ONE plan (every enabled step, in order), its thresholds are checked, and only then,
 * when none is exceeded (or `force` says to go on), is the plan executed step after step.
 *
 * Before evaluating, the operations an earlier run left in doubt (a crash between applying and
 * recording) are settled against the targets, so the new plan starts from what really happened:
 * that is what makes running a job again after a crash end exactly where an uninterrupted run ends.
 */
import type { Clock, EventSink, FunctionSemantics, Logger } from '../core/index.ts'
import { systemClock } from '../core/index.ts'
import type { JobConfig, JobStep, OperationLimit, ValidatedProject } from '../config/index.ts'
import {
  type Evaluation,
  type ExecutionSummary,
  ExecutionTargets,
  type StepEvaluation,
  evaluatePlan,
  executePlan,
  settleInDoubtOperations,
} from '../engine/index.ts'
import {
  type SqlDriver,
  createRun,
  finishRun,
  setRunPlan,
  type CreateRunOptions,
  type RunStatus,
  type OperationOutcome,
  getPlan,
  interruptRuns,
  queryRows,
  withExecutionLease,
  requireVaultTable,
  updatePlan,
} from '../vault/index.ts'
import { refuseAwaitingPlan } from './awaiting-approval.ts'
import { jobError } from './errors.ts'
import { type ThresholdCheck, checkThreshold, effectiveThreshold } from './thresholds.ts'
import { emitEvaluation, outcomeListener } from './run-events.ts'
import { completeEmptyPlan, plannedOperations } from './plan-outcome.ts'
import { RunLog, logEvaluation, logExecution } from './run-log.ts'
import { recordRevision } from './run-revision.ts'

export interface JobStepEvaluation extends StepEvaluation {
  readonly threshold?: ThresholdCheck | undefined
}

export interface JobEvaluation {
  readonly job: string
  readonly planId: number
  readonly steps: readonly JobStepEvaluation[]
  /** Steps whose operations exceed their threshold. */
  readonly exceeded: readonly JobStepEvaluation[]
  /** The thresholds were exceeded and not forced: the plan is stopped and will not be executed. */
  readonly stopped: boolean
  /** Operations settled from an interrupted earlier run before evaluating. */
  readonly settledInDoubt: number
  /** The role model memberships steps planned from, with its resolution's notices. */
  readonly roleModel?: Evaluation['roleModel']
}

export interface JobOptions {
  /** Execute even when a threshold is exceeded; the plan records that it was forced. @default false */
  readonly force?: boolean | undefined
  /** Who asked (`cli`, a user, a task), for runs and the audit. @default 'cli' */
  readonly actor?: string | undefined
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly logger?: Logger | undefined
  readonly clock?: Clock | undefined
  readonly signal?: AbortSignal | undefined
  /** Rows planned so far in a step. */
  readonly onEvaluateProgress?: ((step: number, rows: number) => void) | undefined
  /** Operations executed so far, of all. */
  readonly onExecuteProgress?: ((done: number, total: number) => void) | undefined
  /** Where the run's events go (docs/events.md). @default none */
  readonly events?: EventSink | undefined
  /** Called once the run is recorded, with its id, before its work begins (the API answers with it, and can cancel it). */
  readonly onRun?: ((runId: number) => void) | undefined
}

export interface JobRun {
  readonly runId: number
  readonly evaluation: JobEvaluation
  /** Absent when the job stopped at a threshold or had nothing to do. */
  readonly execution?: ExecutionSummary | undefined
}

export function requireJob(project: ValidatedProject, name: string): JobConfig {
  const job = project.jobs.find((j) => j.name === name)
  if (job === undefined) {
    throw jobError('JOB_UNKNOWN_JOB', `There is no valid job '${name}' in the project.`, {
      details: { job: name, jobs: project.jobs.map((j) => j.name) },
    })
  }
  return job
}

async function currentRows(db: SqlDriver, system: string, table: string): Promise<number> {
  return (await queryRows(db, await requireVaultTable(db, `${system}.${table}`), { limit: 0 })).total
}

/** Checks every step of an evaluation against its threshold (stored with the plan's steps). */
async function applyThresholds(
  db: SqlDriver,
  evaluation: Evaluation,
  enabled: readonly JobConfig['steps'][number][],
): Promise<JobStepEvaluation[]> {
  const steps: JobStepEvaluation[] = []
  for (const step of evaluation.steps) {
    const limit = effectiveThreshold(thresholdOf(enabled[step.source], step.semantics), step.semantics)
    const threshold =
      limit === undefined
        ? undefined
        : checkThreshold(
            limit,
            step.operations,
            limit.kind === 'percent' ? (step.percentBase ?? (await currentRows(db, step.system, step.table))) : 0,
          )
    steps.push({ ...step, threshold })
  }
  return steps
}

/** The threshold a job step sets for one of its plan steps (a memberships step has one for adds, one for removes). */
function thresholdOf(step: JobStep | undefined, semantics: FunctionSemantics): OperationLimit | undefined {
  if (step === undefined) return undefined
  if (step.type === 'mapping') return step.threshold
  return semantics === 'membership-remove' ? step.threshold.remove : step.threshold.add
}

/** The target systems the enabled steps of `jobs` write to. */
export function systemsOf(project: ValidatedProject, ...jobs: JobConfig[]): string[] {
  const systems = jobs
    .flatMap((job) => job.steps.filter((s) => s.enabled))
    .map((s) => (s.type === 'mapping' ? project.mappings.find((m) => m.name === s.mapping)?.system : s.system))
    .filter((s): s is string => s !== undefined)
  return [...new Set(systems)]
}

/**
 * Settles the operations an earlier, crashed run left in doubt on `systems` against the targets, so
 * that the next evaluation starts from what really happened. The caller holds the systems' lease.
 */
export async function settleBeforeEvaluating(
  db: SqlDriver,
  project: ValidatedProject,
  systems: readonly string[],
  options: Pick<JobOptions, 'env' | 'logger' | 'clock'> & { readonly actor: string; readonly runId?: number },
): Promise<number> {
  const targets = new ExecutionTargets(project, { ...options, vault: db })
  try {
    return await settleInDoubtOperations(db, targets, systems, {
      actor: options.actor,
      runId: options.runId,
      clock: options.clock,
    })
  } finally {
    await targets.close()
  }
}

/**
 * Evaluates a job into a stored plan and checks its thresholds. With `force`, an exceeded threshold
 * is recorded but does not stop the plan. `settledInDoubt` comes from a preceding settle step.
 */
export async function evaluateJob(
  db: SqlDriver,
  project: ValidatedProject,
  name: string,
  options: JobOptions = {},
  settledInDoubt = 0,
): Promise<JobEvaluation> {
  const job = requireJob(project, name)
  const enabled = job.steps.filter((s) => s.enabled)
  const evaluation = await evaluatePlan(db, project, {
    source: { kind: 'job', name: job.name },
    steps: enabled.map((s) => (s.type === 'mapping' ? { mapping: s.mapping } : { memberships: s.system })),
    clock: options.clock,
    onProgress: options.onEvaluateProgress,
  })
  const steps = await applyThresholds(db, evaluation, enabled)
  const exceeded = steps.filter((s) => s.threshold?.exceeded === true)
  const stopped = exceeded.length > 0 && options.force !== true
  await updatePlan(db, evaluation.planId, { steps, status: stopped ? 'stopped' : undefined })
  return {
    job: job.name,
    planId: evaluation.planId,
    steps,
    exceeded,
    stopped,
    settledInDoubt,
    roleModel: evaluation.roleModel,
  }
}

/**
 * Runs a job: settle what a crash left in doubt, evaluate, check thresholds, execute. Returns the
 * figures; a stopped job is not an exception (the caller decides how to report it).
 */
export async function runJob(
  db: SqlDriver,
  project: ValidatedProject,
  name: string,
  options: JobOptions = {},
): Promise<JobRun> {
  const job = requireJob(project, name)
  // One run at a time per target system: settling in-doubt work is only right when nobody else runs.
  return withExecutionLease(db, systemsOf(project, job), { holder: `job ${job.name}`, clock: options.clock }, () =>
    runJobHoldingLease(db, project, job, options),
  )
}

/** Statuses of a run, from what its execution ended as. */
function runStatus(execution: ExecutionSummary): Exclude<RunStatus, 'running' | 'stopped'> {
  switch (execution.status) {
    case 'executed':
      return 'succeeded'
    case 'interrupted':
    case 'failed':
      return execution.status
    default:
      return 'partially-failed'
  }
}

/**
 * Runs `work` as a recorded run (DESIGN.md §9) with the project's configuration revision and a log.
 * `work` finishes the run itself; a run whose work throws is finished as failed, with the message.
 */
async function recordedRun<T>(
  db: SqlDriver,
  project: ValidatedProject,
  run: Omit<CreateRunOptions, 'clock' | 'configRevision'>,
  clock: Clock,
  work: (runId: number, log: RunLog) => Promise<T>,
  onRun?: (runId: number) => void,
): Promise<T> {
  const revision = await recordRevision(db, project, clock)
  const runId = await createRun(db, { ...run, clock, configRevision: revision.id })
  onRun?.(runId)
  const log = new RunLog(db, runId, clock)
  log.info(`${run.kind} ${run.name} started by ${run.actor}`, {
    configRevision: revision.id,
    configHash: revision.hash.slice(0, 12),
  })
  try {
    return await work(runId, log)
  } catch (error) {
    log.error(error as Error)
    await finishRun(db, runId, { status: 'failed', counts: {}, clock, message: (error as Error).message }).catch(
      () => undefined,
    )
    throw error
  } finally {
    await log.close()
  }
}

/** Executes plan `planId` as run `runId` and finishes the run with the execution's figures. */
async function executeInRun(
  db: SqlDriver,
  project: ValidatedProject,
  planId: number,
  runId: number,
  options: Omit<JobOptions, 'onEvaluateProgress'> & {
    readonly driftCheck?: boolean
    readonly counts?: Readonly<Record<string, number>>
    readonly onOutcome?: ((outcome: OperationOutcome) => void) | undefined
    readonly log: RunLog
    readonly job?: string | undefined
  },
): Promise<ExecutionSummary> {
  const clock = options.clock ?? systemClock
  const execution = await executePlan(db, project, planId, {
    actor: options.actor ?? 'cli',
    runId,
    driftCheck: options.driftCheck,
    env: options.env,
    logger: options.logger,
    clock,
    signal: options.signal,
    force: options.force,
    onProgress: options.onExecuteProgress,
    onOutcome: options.onOutcome,
  })
  const { succeeded, failed, skipped } = execution
  logExecution(options.log, options.job, execution)
  await finishRun(db, runId, {
    status: runStatus(execution),
    counts: { ...options.counts, succeeded, failed, skipped },
    clock,
  })
  return execution
}

function runJobHoldingLease(
  db: SqlDriver,
  project: ValidatedProject,
  job: JobConfig,
  options: JobOptions,
): Promise<JobRun> {
  const clock = options.clock ?? systemClock
  const actor = options.actor ?? 'cli'
  return recordedRun(db, project, { kind: 'job', name: job.name, actor }, clock, async (runId, log) => {
    // An earlier run of this job still `running` died with its process; its in-doubt work is settled below.
    await interruptRuns(db, { kind: 'job', name: job.name, except: runId, clock })
    const settled = await settleBeforeEvaluating(db, project, systemsOf(project, job), {
      ...options,
      actor,
      runId,
      clock,
    })
    const evaluation = await evaluateJob(db, project, job.name, options, settled)
    await setRunPlan(db, runId, evaluation.planId)
    const context = { events: options.events, clock, runId }
    emitEvaluation(context, evaluation)
    logEvaluation(log, evaluation)
    const planned = plannedOperations(evaluation)
    // Nothing to write: the plan is complete as it is.
    if (planned === 0 && !evaluation.stopped) await completeEmptyPlan(db, evaluation.planId, clock)
    if (evaluation.stopped || planned === 0) {
      await finishRun(db, runId, {
        status: evaluation.stopped ? 'stopped' : 'succeeded',
        counts: { planned, settledInDoubt: settled },
        clock,
      })
      return { runId, evaluation }
    }
    const execution = await executeInRun(db, project, evaluation.planId, runId, {
      ...options,
      counts: { planned, settledInDoubt: settled },
      onOutcome: outcomeListener(context, job.name),
      log,
      job: job.name,
    })
    return { runId, evaluation, execution }
  })
}

/**
 * `provisio plan execute`: a stored plan executed as planned (drift-checked), holding the lease of
 * its systems and recorded as a run of kind `plan`, so its audit records name their run.
 */
export async function executeStoredPlan(
  db: SqlDriver,
  project: ValidatedProject,
  planId: number,
  options: Omit<JobOptions, 'onEvaluateProgress'> & {
    /** Called with each operation's outcome (a task's events). @default the outcomes' events, when `events` wants them */
    readonly onOutcome?: ((outcome: OperationOutcome) => void) | undefined
  } = {},
): Promise<ExecutionSummary & { readonly runId: number }> {
  const plan = await getPlan(db, planId)
  await refuseAwaitingPlan(db, planId)
  const clock = options.clock ?? systemClock
  const systems = plan.steps.map((s) => s.system)
  return withExecutionLease(db, systems, { holder: `plan ${planId}`, clock }, () =>
    recordedRun(
      db,
      project,
      { kind: 'plan', name: String(planId), planId, actor: options.actor ?? 'cli' },
      clock,
      async (runId, log) => ({
        ...(await executeInRun(db, project, planId, runId, {
          ...options,
          driftCheck: true,
          log,
          job: plan.source.kind === 'job' ? plan.source.name : undefined,
          onOutcome:
            options.onOutcome ??
            outcomeListener(
              { events: options.events, clock, runId },
              plan.source.kind === 'job' ? plan.source.name : undefined,
            ),
        })),
        runId,
      }),
      options.onRun,
    ),
  )
}
