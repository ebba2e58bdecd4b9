/**
 * The OutcomeWriter: the executor's one way to record what became of its operations. It buffers
 * outcomes and settles them (settle.ts: status, audit, write-back, all in one transaction) every
 * `flushEvery` outcomes or `flushIntervalMs` milliseconds, on `flush()` and on `close()` — group
 * commits, so that recording costs a fraction of an operation even at 100,000 operations.
 *
 * INVARIANT: an outcome is durable only once its flush has committed. Until then its operation is
 * `running` in the vault (markRunning), so a crash in between leaves it in doubt (findInDoubt),
 * never lost and never recorded twice.
 */
import { type Clock, type ProvisioError, systemClock, toProvisioError } from '../../core/index.ts'
import type { SqlDriver } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import type { StoredOperation } from '../plan-types.ts'
import type { VaultTable } from '../vault-table.ts'
import { type OperationOutcome, type SettleContext, settleOutcomes } from './settle.ts'
import { WriteBackCollections } from './write-back-collections.ts'

export interface OutcomeWriterOptions {
  /** The run the outcomes belong to: recorded in the audit and on the write-back collections. */
  readonly runId?: number | undefined
  /** Who or what caused the writes (`cli`, a user name, a task), for the audit. */
  readonly actor: string
  /** Settle after this many buffered outcomes; `add` waits for that flush (back-pressure). @default 500 */
  readonly flushEvery?: number | undefined
  /** Settle buffered outcomes at the latest this long after the first of them arrived. @default 200 */
  readonly flushIntervalMs?: number | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
  /** Told about each write-back that could not be applied (the operation still succeeded). */
  readonly onWriteBackProblem?: ((operation: StoredOperation, error: ProvisioError) => void) | undefined
}

export class OutcomeWriter {
  private buffer: OperationOutcome[] = []
  private times: string[] = []
  private timer: NodeJS.Timeout | undefined
  /** Flushes run one after another, in the order they were asked for. */
  private chain: Promise<void> = Promise.resolve()
  private failure: ProvisioError | undefined
  private closed = false
  private count = 0
  private readonly clock: Clock
  private readonly collections: WriteBackCollections
  private readonly tables = new Map<string, VaultTable | undefined>()

  constructor(
    private readonly db: SqlDriver,
    private readonly options: OutcomeWriterOptions,
  ) {
    this.clock = options.clock ?? systemClock
    this.collections = new WriteBackCollections(options.runId, this.clock)
  }

  /** Outcomes settled (committed) so far. */
  get settled(): number {
    return this.count
  }

  /**
   * Buffers an outcome. Resolves at once, or — when the buffer is full — once it has been settled.
   * Rejects when an earlier flush failed: the executor must stop (its outcomes are in doubt).
   */
  async add(outcome: OperationOutcome): Promise<void> {
    this.throwIfFailed()
    if (this.closed) throw new Error('OutcomeWriter.add after close')
    this.buffer.push(outcome)
    this.times.push(outcome.finishedAt ?? this.clock.now().toISOString())
    if (this.buffer.length >= (this.options.flushEvery ?? 500)) return this.flush()
    if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.options.flushIntervalMs ?? 200)
      this.timer.unref()
    }
  }

  /** Settles everything buffered so far; resolves when it is committed. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.buffer
    const times = this.times
    this.buffer = []
    this.times = []
    this.chain = this.chain.then(() => (batch.length === 0 || this.failure ? undefined : this.settle(batch, times)))
    return this.chain.then(() => this.throwIfFailed())
  }

  /** Settles what is buffered and finishes the run's write-back collections. */
  async close(): Promise<void> {
    this.closed = true
    try {
      await this.flush()
    } finally {
      if (this.failure === undefined) await this.collections.finish(this.db)
    }
  }

  private async settle(batch: readonly OperationOutcome[], times: readonly string[]): Promise<void> {
    const context: SettleContext = {
      runId: this.options.runId,
      actor: this.options.actor,
      collections: this.collections,
      tables: this.tables,
    }
    try {
      const problems = await this.db.transaction((tx) => settleOutcomes(tx, batch, times, context))
      this.collections.commit()
      this.count += batch.length
      for (const p of problems) {
        this.options.onWriteBackProblem?.(
          p.operation,
          vaultError(
            'VLT_WRITE_BACK_FAILED',
            `Operation ${p.operation.id} (${p.operation.function}) was written to ${p.operation.system}, but not to the vault: ${p.problem}.`,
            {
              hint: `Collect ${p.operation.system} again (\`provisio collect ${p.operation.system}\`) to bring the vault up to date.`,
            },
          ),
        )
      }
    } catch (error) {
      this.collections.discard()
      this.failure = toProvisioError(error)
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure
  }
}
