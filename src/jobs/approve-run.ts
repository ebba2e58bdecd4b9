/**
 * Approving or rejecting a task run that awaits approval (docs/runs.md). Approval executes EXACTLY
 * the plans the run evaluated, in job order, each drift-checked (a target row that changed since
 * evaluation is skipped and reported, never planned again), under the task's lease, and finishes
 * the run. A plan that is no longer as its evaluation left it — executed, rejected, or followed by
 * a newer plan of its job — is not approved: the run must be rejected and the task run again.
 */
import type { Clock } from '../core/index.ts'
import { systemClock } from '../core/index.ts'
import type { ValidatedProject } from '../config/index.ts'
import {
  type PlanRecord,
  type RunRecord,
  type RunStatus,
  type SqlDriver,
  changeRunStatus,
  finishRun,
  getPlan,
  getRun,
  listPlans,
} from '../vault/index.ts'
import { notAwaiting, rejectAwaiting } from './awaiting-approval.ts'
import { jobError } from './errors.ts'
import { emitTaskFinished, outcomeListener } from './run-events.ts'
import { type JobOptions, executeStoredPlan } from './run-job.ts'
import { RunLog, logExecution } from './run-log.ts'
import { completeEmptyPlan, executionsStatus } from './plan-outcome.ts'
import { type TaskExecution, requireTask } from './run-task.ts'
import { requireTaskLease } from './task-lease.ts'

export interface DecideOptions {
  /** Who decides: recorded with the run as `approved_by`. @default 'cli' */
  readonly actor?: string | undefined
  readonly clock?: Clock | undefined
  readonly events?: JobOptions['events']
}

export type ApproveOptions = DecideOptions & Pick<JobOptions, 'env' | 'logger' | 'signal' | 'onExecuteProgress'>

export interface ApprovedRun {
  readonly runId: number
  readonly task: string
  readonly status: Exclude<RunStatus, 'running'>
  readonly executions: readonly TaskExecution[]
  readonly counts: Readonly<Record<string, number>>
}

/** The run, when it is a task run awaiting approval; throws JOB_NOT_AWAITING_APPROVAL. */
async function requireAwaiting(db: SqlDriver, runId: number): Promise<RunRecord> {
  const run = await getRun(db, runId)
  if (run.status !== 'awaiting-approval' || run.kind !== 'task') throw notAwaiting(runId, run.status)
  return run
}

/** Throws JOB_APPROVAL_STALE unless every plan is still `planned` and the newest plan of its job. */
async function requireCurrentPlans(db: SqlDriver, run: RunRecord): Promise<PlanRecord[]> {
  const plans: PlanRecord[] = []
  for (const planId of run.planIds) {
    const plan = await getPlan(db, planId)
    const [newest] = await listPlans(db, { source: plan.source, limit: 1 })
    const problem =
      plan.status !== 'planned'
        ? `plan ${planId} (${plan.source.kind} ${plan.source.name}) is ${plan.status}`
        : newest !== undefined && newest.id !== planId
          ? `${plan.source.kind} ${plan.source.name} was evaluated again since (plan ${newest.id} is newer than plan ${planId})`
          : undefined
    if (problem !== undefined) {
      throw jobError('JOB_APPROVAL_STALE', `Run ${run.id} cannot be approved: ${problem}.`, {
        hint: `Reject it (\`provisio runs reject ${run.id}\`) and run task ${run.name} again to evaluate afresh.`,
        details: { runId: run.id, planId, ...(newest === undefined ? {} : { newestPlanId: newest.id }) },
      })
    }
    plans.push(plan)
  }
  return plans
}

/**
 * Approves run `runId` and executes its plans. Throws JOB_NOT_AWAITING_APPROVAL, JOB_APPROVAL_STALE
 * and JOB_TASK_RUNNING (a run of the task is going on); failures while executing finish the run.
 */
export async function approveRun(
  db: SqlDriver,
  project: ValidatedProject,
  runId: number,
  options: ApproveOptions = {},
): Promise<ApprovedRun> {
  const clock = options.clock ?? systemClock
  const actor = options.actor ?? 'cli'
  const run = await requireAwaiting(db, runId)
  const task = requireTask(project, run.name)
  const lease = await requireTaskLease(db, task.name, clock)
  try {
    const plans = await requireCurrentPlans(db, run)
    // One statement decides: of two approvals at once, one gets the run and the other is refused.
    if (!(await changeRunStatus(db, runId, { from: ['awaiting-approval'], to: 'running', decidedBy: actor, clock })))
      throw notAwaiting(runId, (await getRun(db, runId)).status)
    return await executeApproved(db, project, run, plans, { ...options, actor, clock })
  } finally {
    await lease.release()
  }
}

async function executeApproved(
  db: SqlDriver,
  project: ValidatedProject,
  run: RunRecord,
  plans: readonly PlanRecord[],
  options: ApproveOptions & { readonly actor: string; readonly clock: Clock },
): Promise<ApprovedRun> {
  const { actor, clock } = options
  const log = new RunLog(db, run.id, clock)
  log.info(`approved by ${actor}: executing plan(s) ${run.planIds.join(', ')}`, { planIds: run.planIds })
  const context = { events: options.events, clock, runId: run.id, task: run.name }
  const executions: TaskExecution[] = []
  let error: Error | undefined
  try {
    for (const plan of plans) {
      const job = plan.source.name
      if (Object.values(plan.counts).reduce((n, c) => n + (c ?? 0), 0) === 0) {
        await completeEmptyPlan(db, plan.id, clock)
        continue
      }
      const execution = await executeStoredPlan(db, project, plan.id, {
        actor,
        env: options.env,
        logger: options.logger,
        clock,
        signal: options.signal,
        onExecuteProgress: options.onExecuteProgress,
        events: options.events,
        onOutcome: outcomeListener(context, job),
      })
      executions.push({ ...execution, job })
      logExecution(log, job, execution)
      if (execution.status === 'interrupted') break
    }
  } catch (caught) {
    error = caught as Error
    log.error(error)
  }
  const counts: Record<string, number> = { ...run.counts }
  for (const key of ['succeeded', 'failed', 'skipped'] as const)
    counts[key] = executions.reduce((n, e) => n + e[key], 0)
  const status: ApprovedRun['status'] =
    error !== undefined || executions.some((e) => e.status === 'interrupted')
      ? options.signal?.aborted === true || executions.some((e) => e.status === 'interrupted')
        ? 'interrupted'
        : 'failed'
      : executionsStatus(executions)
  log.info(`task ${run.name} ${status}`, counts)
  await log.close()
  await finishRun(db, run.id, {
    status,
    counts,
    clock,
    ...(error === undefined
      ? { message: `approved by ${actor}` }
      : { errorCode: (error as { code?: string }).code, message: error.message }),
  })
  emitTaskFinished(context, { taskType: 'sync', status, counts, planIds: run.planIds, error })
  return { runId: run.id, task: run.name, status, executions, counts }
}

export interface RejectRunOptions extends DecideOptions {
  /** Why, recorded as the run's message. @default 'rejected by ACTOR' */
  readonly reason?: string | undefined
}

/** Rejects run `runId` and its plans; throws JOB_NOT_AWAITING_APPROVAL. */
export async function rejectRun(db: SqlDriver, runId: number, options: RejectRunOptions = {}): Promise<RunRecord> {
  const clock = options.clock ?? systemClock
  const actor = options.actor ?? 'cli'
  const run = await requireAwaiting(db, runId)
  await rejectAwaiting(db, run, {
    actor,
    message: options.reason ?? `rejected by ${actor}`,
    clock,
    events: options.events,
  })
  return getRun(db, runId)
}
