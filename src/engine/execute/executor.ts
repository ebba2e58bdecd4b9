/**
 * Executing a stored plan (DESIGN.md §8): operations in plan order, step after step; within a step
 * at most `concurrency` at a time per system; retryable failures tried again with backoff; exactly
 * one recorded outcome per operation; a failure never stops or loses the others.
 *
 * Crash safety comes from the order of writes: a page of operations is marked `running` in the
 * vault (one transaction) before any of them is applied, and each outcome is settled (status, audit
 * record and write-back of the target row, in one transaction) after it. An operation a crash leaves
 * `running` is "in doubt": settleInDoubt asks the target whether its effect is there.
 *
 * An interrupt (the signal aborted) is not an outcome: operations it keeps from being applied, and
 * those whose retries it cuts short, go back to `planned`, so that `plan execute` resumes them.
 */
import type { FunctionSchema, Row, TableSchema } from '../../core/index.ts'
import { toProvisioError } from '../../core/index.ts'
import type { Connection, OperationResult } from '../../connectors/index.ts'
import type { OperationOutcome, StoredOperation } from '../../vault/index.ts'
import { engineError } from '../errors.ts'
import { confirmInTarget } from './confirm.ts'
import type { Limiter } from './limiter.ts'
import { succeededOutcome, toConnectorOperation } from './outcomes.ts'
import { type RetryPolicy, RetryInterrupted, type Sleep, withRetry } from './retry.ts'

/** Where outcomes go: the vault's plan store (markRunning before, an OutcomeWriter after). */
export interface OutcomeSink {
  /**
   * Claims operations before they are applied (the vault's markRunning). Returns the seqs it
   * claimed: only those are applied (another executor holds the others). Void: all of them.
   */
  markRunning(operations: readonly StoredOperation[]): Promise<readonly number[] | void>
  /** Buffers an outcome; settled (status, audit, write-back in one transaction) in batches. */
  add(outcome: OperationOutcome): Promise<void>
  /** Resolves when everything added so far is committed. */
  flush(): Promise<void>
  /**
   * Puts operations marked running back to `planned`: an interrupt kept them from being applied
   * (the vault's requeueOperations). Without it they stay `running`, in doubt, for the next
   * execution to settle against the target.
   */
  requeue?(operations: readonly StoredOperation[]): Promise<void>
}

/** One target system, opened, with its limits. */
export interface ExecutionTarget {
  readonly connection: Connection
  readonly limiter: Limiter
  readonly retry: RetryPolicy
  table(name: string): TableSchema
  function(table: string, name: string): FunctionSchema
}

export interface ExecuteOptions {
  /** Secret attribute values (passwords) for an operation, generated anew: they are never stored. */
  readonly secretsFor?: ((operation: StoredOperation) => Row) | undefined
  /**
   * The target rows' current fingerprints by operation, to skip operations whose target row changed
   * since planning (`plan execute`). @default no drift check
   */
  readonly driftCheck?: ((operations: readonly StoredOperation[]) => Promise<ReadonlySet<number>>) | undefined
  readonly signal?: AbortSignal | undefined
  readonly sleep?: Sleep | undefined
  /** Called after each operation's outcome. */
  readonly onOutcome?: ((outcome: OperationOutcome) => void) | undefined
}

/** An operation's outcome, or the operation to put back to `planned` because an interrupt stopped it. */
type Applied = { readonly outcome: OperationOutcome } | { readonly requeue: StoredOperation }

/**
 * A create or delete whose try failed retryably may have taken effect all the same (the connection
 * broke off after the statement committed): the target is asked before it is tried again. Updates,
 * disables and enables can simply be repeated.
 */
function confirmable(operation: StoredOperation): boolean {
  return operation.semantics === 'create' || operation.semantics === 'delete'
}

/** The target's word that the operation took effect, as a connector result; undefined when it does not say so. */
async function confirmed(
  operation: StoredOperation,
  target: ExecutionTarget,
  message: string,
): Promise<OperationResult | undefined> {
  // A lookup that fails too (the connection is still down) just means: not confirmed.
  const confirmation = await confirmInTarget(operation, target).catch(() => undefined)
  return confirmation?.applied === true ? { row: confirmation.row, message } : undefined
}

/** Applies one operation with retries and returns its outcome; never throws for the operation's own failure. */
async function applyOne(
  operation: StoredOperation,
  target: ExecutionTarget,
  options: ExecuteOptions,
): Promise<Applied> {
  const table = target.table(operation.table)
  const fn = target.function(operation.table, operation.function)
  let attempts = 0
  try {
    const secrets = operation.secrets.length > 0 ? (options.secretsFor?.(operation) ?? {}) : {}
    const request = toConnectorOperation(operation, secrets)
    const { value: result, attempts: tries } = await withRetry(
      (attempt) => {
        attempts = attempt
        return target.connection.apply(request, { table, function: fn, signal: options.signal })
      },
      target.retry,
      {
        signal: options.signal,
        sleep: options.sleep,
        beforeRetry: confirmable(operation)
          ? () => confirmed(operation, target, 'Confirmed in the target after a retry.')
          : undefined,
      },
    )
    return { outcome: succeededOutcome(operation, table, fn, result, tries - 1) }
  } catch (error) {
    if (error instanceof RetryInterrupted) {
      // Stopped, not refused: it runs again when the plan is resumed, unless the broken-off try took effect.
      const result = confirmable(operation)
        ? await confirmed(operation, target, 'Confirmed in the target after the run was stopped.')
        : undefined
      return result === undefined
        ? { requeue: operation }
        : { outcome: succeededOutcome(operation, table, fn, result, error.attempts - 1) }
    }
    const failure = toProvisioError(error)
    return {
      outcome: {
        operation,
        status: 'failed',
        retries: Math.max(attempts - 1, 0),
        errorCode: failure.code,
        message: failure.hint === undefined ? failure.message : `${failure.message} ${failure.hint}`,
      },
    }
  }
}

/**
 * Executes the operations of one step, page by page as they stream from the vault. Returns when
 * every operation of the step has its outcome settled in the vault, so the next step sees them.
 */
export async function executeStep(
  pages: AsyncIterable<readonly StoredOperation[]>,
  targets: ReadonlyMap<string, ExecutionTarget>,
  sink: OutcomeSink,
  options: ExecuteOptions = {},
): Promise<void> {
  const stopped = () => options.signal?.aborted === true
  for await (const page of pages) {
    // Operations of pages not started stay `planned`.
    if (stopped()) break
    const drifted = options.driftCheck === undefined ? new Set<number>() : await options.driftCheck(page)
    const runnable = page.filter((op) => !drifted.has(op.seq))
    for (const operation of page.filter((op) => drifted.has(op.seq))) {
      const outcome: OperationOutcome = {
        operation,
        status: 'skipped',
        errorCode: 'ENG_TARGET_CHANGED',
        message: `${operation.system}.${operation.table} row ${JSON.stringify(operation.keyValue)} changed since the plan was made; evaluate again to plan it anew.`,
      }
      await sink.add(outcome)
      options.onOutcome?.(outcome)
    }
    const claimed = await sink.markRunning(runnable)
    const claimedSeqs = claimed === undefined ? undefined : new Set(claimed)
    const applying = claimedSeqs === undefined ? runnable : runnable.filter((op) => claimedSeqs.has(op.seq))
    const requeue: StoredOperation[] = []
    await Promise.all(
      applying.map(async (operation) => {
        const target = targets.get(operation.system)
        // executePlan opens every system of the plan before it executes; a missing one is a bug.
        if (target === undefined)
          throw engineError('ENG_MAPPING_UNRESOLVED', `No connection to system '${operation.system}' was opened.`)
        const applied = await target.limiter.run((): Promise<Applied> =>
          stopped() ? Promise.resolve({ requeue: operation }) : applyOne(operation, target, options),
        )
        if ('requeue' in applied) return void requeue.push(applied.requeue)
        await sink.add(applied.outcome)
        options.onOutcome?.(applied.outcome)
      }),
    )
    if (requeue.length > 0) await sink.requeue?.(requeue)
  }
  await sink.flush()
}
