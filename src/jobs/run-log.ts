/**
 * A run's log as it goes (DESIGN.md §9): lines are buffered and written to the vault in batches
 * (appendRunLog), so logging each step costs no round trip of its own, and `flush` writes what is
 * left before the run is finished. Other layers add lines to a run that is going on in this
 * process through `RunLog.of(runId)` (the events layer reports deliveries so), or append to any
 * run's log with the vault's appendRunLog.
 */
import type { Clock, ProvisioError } from '../core/index.ts'
import { systemClock } from '../core/index.ts'
import type { ExecutionSummary } from '../engine/index.ts'
import { type RunLogEntry, type SqlDriver, appendRunLog } from '../vault/index.ts'
import type { JobEvaluation } from './run-job.ts'
import { plannedOperations } from './plan-outcome.ts'

/** Lines buffered before a batch is written without waiting for `flush`. */
const BATCH = 100

const open = new Map<number, RunLog>()

export class RunLog {
  private buffer: RunLogEntry[] = []
  private writing: Promise<void> = Promise.resolve()
  private failure: Error | undefined

  constructor(
    private readonly db: SqlDriver,
    readonly runId: number,
    private readonly clock: Clock = systemClock,
  ) {
    open.set(runId, this)
  }

  /** The log of a run going on in this process, if any. */
  static of(runId: number): RunLog | undefined {
    return open.get(runId)
  }

  add(level: RunLogEntry['level'], message: string, details?: Record<string, unknown>): void {
    this.buffer.push({
      level,
      message,
      at: this.clock.now().toISOString(),
      ...(details === undefined ? {} : { details }),
    })
    if (this.buffer.length >= BATCH) this.write()
  }

  info(message: string, details?: Record<string, unknown>): void {
    this.add('info', message, details)
  }

  warn(message: string, details?: Record<string, unknown>): void {
    this.add('warn', message, details)
  }

  /** The error with its code and hint (never its details: they may name more than a log should). */
  error(error: Error, context = ''): void {
    const coded = error as Partial<ProvisioError>
    this.add('error', `${context}${coded.code === undefined ? '' : `${coded.code}: `}${error.message}`, {
      ...(coded.code === undefined ? {} : { code: coded.code }),
      ...(coded.hint === undefined ? {} : { hint: coded.hint }),
    })
  }

  private write(): void {
    const batch = this.buffer
    this.buffer = []
    this.writing = this.writing.then(() =>
      appendRunLog(this.db, this.runId, batch, this.clock).catch((error: unknown) => {
        this.failure ??= error as Error
      }),
    )
  }

  /** Writes every buffered line; throws the first write that failed. */
  async flush(): Promise<void> {
    if (this.buffer.length > 0) this.write()
    await this.writing
    if (this.failure !== undefined) throw this.failure
  }

  /** Writes what is left and lets go of the run: later lines go through appendRunLog. */
  async close(): Promise<void> {
    if (open.get(this.runId) === this) open.delete(this.runId)
    await this.flush()
  }
}

/** A job's evaluation as log lines: its planned operations per step and the thresholds it exceeded. */
export function logEvaluation(log: RunLog, evaluation: JobEvaluation): void {
  const planned = plannedOperations(evaluation)
  log.info(`evaluate ${evaluation.job} finished: plan ${evaluation.planId}, ${planned} operation(s) planned`, {
    job: evaluation.job,
    planId: evaluation.planId,
    planned,
    settledInDoubt: evaluation.settledInDoubt,
    steps: evaluation.steps.map((s) => ({
      step: s.index,
      mapping: s.mapping,
      function: s.function,
      operations: s.operations,
      unchanged: s.unchanged,
      failed: s.failed,
    })),
  })
  for (const step of evaluation.exceeded) {
    log.warn(
      `evaluate ${evaluation.job}: step ${step.index} (${step.mapping}) planned ${step.operations} operation(s), over its threshold of ${step.threshold?.described ?? '?'}${evaluation.stopped ? '; nothing is executed' : ' (forced)'}`,
      { job: evaluation.job, step: step.index, operations: step.operations, threshold: step.threshold?.described },
    )
  }
}

/** A plan's execution as a log line with its figures. */
export function logExecution(log: RunLog, job: string | undefined, execution: ExecutionSummary): void {
  const { planId, status, succeeded, failed, skipped } = execution
  log.add(
    failed > 0 ? 'warn' : 'info',
    `execute ${job ?? `plan ${planId}`} finished: ${status}, ${succeeded} succeeded, ${failed} failed, ${skipped} skipped`,
    { ...(job === undefined ? {} : { job }), planId, status, succeeded, failed, skipped },
  )
}
