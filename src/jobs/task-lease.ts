/**
 * One run per task at a time: a run holds an execution lease named after its task (so the lease of
 * a run whose process died is taken over as a system's lease is). Shared by task runs and by
 * approving a run, which executes the task's plans.
 */
import { type Clock, type ProvisioError, type Sleep, sleep } from '../core/index.ts'
import {
  type ExecutionLease,
  type SqlDriver,
  acquireExecutionLease,
  changeRunStatus,
  listRuns,
} from '../vault/index.ts'
import { jobError } from './errors.ts'
import { RunLog } from './run-log.ts'

/** The task's lease, or undefined when another run holds it. */
export async function tryTaskLease(db: SqlDriver, task: string, clock: Clock): Promise<ExecutionLease | undefined> {
  try {
    return await acquireExecutionLease(db, [`task:${task}`], { holder: `task ${task}`, clock })
  } catch (error) {
    if ((error as ProvisioError).code === 'VLT_EXECUTION_BUSY') return undefined
    throw error
  }
}

/** JOB_TASK_RUNNING naming the run that holds the task (its id and since when), when it can be found. */
export async function taskRunning(db: SqlDriver, task: string): Promise<ProvisioError> {
  const [running] = await listRuns(db, { kind: 'task', name: task, status: 'running', limit: 1 })
  const which = running === undefined ? '' : ` as run ${running.id} (since ${running.startedAt})`
  return jobError('JOB_TASK_RUNNING', `Task ${task} is already running${which}.`, {
    details: { task, ...(running === undefined ? {} : { runId: running.id, since: running.startedAt }) },
  })
}

/** The task's lease; throws JOB_TASK_RUNNING when another run holds it. */
export async function requireTaskLease(db: SqlDriver, task: string, clock: Clock): Promise<ExecutionLease> {
  const lease = await tryTaskLease(db, task, clock)
  if (lease === undefined) throw await taskRunning(db, task)
  return lease
}

/**
 * The lease a queued run holds while it waits for its task: a queued run whose lease is free
 * belongs to a process that died, and would otherwise stay `queued` for good.
 */
export function queuedRunLease(db: SqlDriver, task: string, runId: number, clock: Clock): Promise<ExecutionLease> {
  return acquireExecutionLease(db, [`queued:${task}:${runId}`], {
    holder: `queued run ${runId} of task ${task}`,
    clock,
  })
}

/** Marks the queued runs of `task` whose process died (their lease is free) as interrupted; returns their ids. */
export async function interruptAbandonedQueued(
  db: SqlDriver,
  task: string,
  except: number,
  clock: Clock,
): Promise<number[]> {
  const interrupted: number[] = []
  for (const run of await listRuns(db, { kind: 'task', name: task, status: 'queued', limit: 1000 })) {
    if (run.id === except) continue
    let lease: ExecutionLease
    try {
      lease = await queuedRunLease(db, task, run.id, clock)
    } catch (error) {
      if ((error as ProvisioError).code === 'VLT_EXECUTION_BUSY') continue // its process still waits
      throw error
    }
    try {
      const message = 'The process ended while the run was queued; it did nothing.'
      if (await changeRunStatus(db, run.id, { from: ['queued'], to: 'interrupted', message, clock }))
        interrupted.push(run.id)
    } finally {
      await lease.release()
    }
  }
  return interrupted
}

/** Looks at the task's lease until it is free (the lease), or until `signal` aborts (the reason). */
export async function waitForTaskLease(
  db: SqlDriver,
  task: string,
  runId: number,
  options: {
    readonly clock: Clock
    readonly signal?: AbortSignal | undefined
    /** @default core's sleep */
    readonly sleep?: Sleep | undefined
    /** How often the lease is tried. @default 1000 ms */
    readonly pollMs?: number | undefined
  },
): Promise<{ lease?: ExecutionLease; error?: Error }> {
  const log = new RunLog(db, runId, options.clock)
  const running = await taskRunning(db, task)
  log.info(`queued: ${running.message.replace(/\.$/, '')}; this run starts when it ends`, running.details)
  await log.flush()
  const wait = options.sleep ?? sleep
  // Held while it waits: a queued run whose lease is free belongs to a process that died.
  const own = await queuedRunLease(db, task, runId, options.clock)
  try {
    for (;;) {
      if (options.signal?.aborted === true) {
        const error = jobError('JOB_TASK_RUNNING', `Run ${runId} of task ${task} stopped waiting before it started.`, {
          hint: 'It was asked to stop (a signal) while another run of the task was going on; nothing was done.',
          details: { task, runId },
        })
        log.error(error)
        return { error }
      }
      const lease = await tryTaskLease(db, task, options.clock)
      if (lease !== undefined) {
        log.info('the task is free: this run starts')
        return { lease }
      }
      // An abort ends the wait early; the loop then says why the run did not start.
      await wait(options.pollMs ?? 1000, options.signal).catch(() => undefined)
    }
  } finally {
    await log.close()
    await own.release()
  }
}
