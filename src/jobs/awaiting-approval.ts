/**
 * Runs that await approval (docs/runs.md): announcing one (`run.awaiting-approval`), and deciding
 * one as rejected — by a person, or because a newer run of its task superseded it. A rejected
 * run's plans are marked `rejected`, so they can never be executed, whoever asks.
 */
import type { Clock, EventSink } from '../core/index.ts'
import { type RunRecord, type SqlDriver, changeRunStatus, getPlan, listRuns, updatePlan } from '../vault/index.ts'
import { jobError } from './errors.ts'
import { emitTaskFinished, type EventContext } from './run-events.ts'
import { RunLog } from './run-log.ts'

/** `run.awaiting-approval`, when the sink wants it. */
export function emitAwaitingApproval(
  context: EventContext & { readonly runId: number; readonly task: string },
  planIds: readonly number[],
  planned: number,
): void {
  if (context.events?.wants('run.awaiting-approval') !== true) return
  context.events.emit({
    type: 'run.awaiting-approval',
    name: context.task,
    success: true,
    at: context.clock.now().toISOString(),
    runId: context.runId,
    task: context.task,
    planIds,
    planned,
  })
}

export interface RejectOptions {
  /** Who rejected it; absent when a newer run superseded it. */
  readonly actor?: string | undefined
  readonly message: string
  readonly clock: Clock
  readonly events?: EventSink | undefined
}

/**
 * Rejects an awaiting run and its plans; throws JOB_NOT_AWAITING_APPROVAL when it is not (or no
 * longer: another process decided it first) awaiting approval.
 */
export async function rejectAwaiting(db: SqlDriver, run: RunRecord, options: RejectOptions): Promise<void> {
  const decided = await changeRunStatus(db, run.id, {
    from: ['awaiting-approval'],
    to: 'rejected',
    message: options.message,
    clock: options.clock,
    ...(options.actor === undefined ? {} : { decidedBy: options.actor }),
  })
  if (!decided) throw notAwaiting(run.id, run.status)
  for (const planId of run.planIds) {
    // Only plans still as evaluated: a plan without operations was completed when it was planned.
    if ((await getPlan(db, planId)).status === 'planned') await updatePlan(db, planId, { status: 'rejected' })
  }
  const log = new RunLog(db, run.id, options.clock)
  log.info(`rejected${options.actor === undefined ? '' : ` by ${options.actor}`}: ${options.message}`, {
    planIds: run.planIds,
  })
  await log.close()
  emitTaskFinished(
    { events: options.events, clock: options.clock, runId: run.id, task: run.name },
    { taskType: 'sync', status: 'rejected', counts: run.counts, planIds: run.planIds },
  )
}

/**
 * Throws JOB_PLAN_AWAITING_APPROVAL when plan `planId` belongs to a task run that awaits approval:
 * executing it any other way (`plan execute`) would write what nobody approved. Approving the run
 * marks it `running` first, so its own execution passes.
 */
export async function refuseAwaitingPlan(db: SqlDriver, planId: number): Promise<void> {
  const awaiting = await listRuns(db, { kind: 'task', status: 'awaiting-approval', limit: 1000 })
  const run = awaiting.find((r) => r.planIds.includes(planId))
  if (run === undefined) return
  throw jobError(
    'JOB_PLAN_AWAITING_APPROVAL',
    `Plan ${planId} awaits approval with run ${run.id} of task ${run.name}: it is executed only by approving that run.`,
    {
      hint: `\`provisio runs approve ${run.id}\` executes it, \`provisio runs reject ${run.id}\` discards it.`,
      details: { planId, runId: run.id, task: run.name },
    },
  )
}

export function notAwaiting(runId: number, status: string) {
  return jobError('JOB_NOT_AWAITING_APPROVAL', `Run ${runId} is ${status}, not awaiting approval.`, {
    details: { runId, status },
  })
}

/** Rejects the runs of `task` that await approval, as superseded by run `by`. Returns their ids. */
export async function supersedeAwaitingRuns(
  db: SqlDriver,
  task: string,
  by: number,
  options: Omit<RejectOptions, 'message' | 'actor'>,
): Promise<number[]> {
  const awaiting = await listRuns(db, { kind: 'task', name: task, status: 'awaiting-approval', limit: 1000 })
  const rejected: number[] = []
  for (const run of awaiting) {
    try {
      await rejectAwaiting(db, run, { ...options, message: `superseded by run ${by}` })
      rejected.push(run.id)
    } catch (error) {
      // Someone approved or rejected it meanwhile: it no longer awaits, which is all this asks.
      if ((error as { code?: unknown }).code !== 'JOB_NOT_AWAITING_APPROVAL') throw error
    }
  }
  return rejected
}
