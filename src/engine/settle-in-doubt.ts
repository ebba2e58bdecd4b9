/**
 * Settling what a crashed run left in doubt (DESIGN.md §8): operations still `running` were maybe
 * applied, maybe not. The target is asked; what it shows is recorded, with write-back and audit
 * like any outcome, so that the next evaluation starts from what really happened.
 */
import type { Clock } from '../core/index.ts'
import {
  OutcomeWriter,
  type OperationOutcome,
  type SqlDriver,
  type StoredOperation,
  closeInterruptedExecution,
  findInDoubt,
  requeueOperations,
} from '../vault/index.ts'
import { confirmInTarget } from './execute/confirm.ts'
import type { ExecutionTarget } from './execute/executor.ts'
import { succeededOutcome } from './execute/outcomes.ts'
import type { ExecutionTargets } from './execution-targets.ts'

/**
 * Settles an operation a crash left `running`: it succeeded when the target shows its effect (a
 * created row exists, a deleted one is gone, updated attributes hold their new values); otherwise it
 * is recorded as skipped, and the next evaluation plans it again if it is still needed (the vault
 * still shows the old state, so it will).
 */
export async function settleInDoubt(operation: StoredOperation, target: ExecutionTarget): Promise<OperationOutcome> {
  const confirmation = await confirmInTarget(operation, target)
  if (!confirmation.applied) {
    return {
      operation,
      status: 'skipped',
      errorCode: 'ENG_IN_DOUBT',
      message: `Interrupted by a crash; ${confirmation.why} The next evaluation plans it again if it is still needed.`,
    }
  }
  const table = target.table(operation.table)
  const fn = target.function(operation.table, operation.function)
  const result = { row: confirmation.row, message: 'Confirmed in the target after an interrupted run.' }
  return succeededOutcome(operation, table, fn, result, 0)
}

/** Options of {@link settleInDoubtOperations}. */
export interface SettleInDoubtOptions {
  /** Who or what settles, for the audit. */
  readonly actor: string
  readonly runId?: number | undefined
  readonly clock?: Clock | undefined
  /** The plan about to be resumed: its unconfirmed operations go back to `planned` instead of `skipped`. */
  readonly resumePlanId?: number | undefined
}

/**
 * Settles the operations a crashed run left `running` on these systems: confirmed in the target,
 * they are recorded as succeeded (with write-back and audit); otherwise as skipped, for the next
 * evaluation to plan again. Run it before evaluating, so the plan sees what really happened. Then
 * closes what the crashed run left open on each system: its plan becomes `interrupted`, its
 * write-back collection is finished.
 */
export async function settleInDoubtOperations(
  db: SqlDriver,
  targets: ExecutionTargets,
  systems: readonly string[],
  options: SettleInDoubtOptions,
): Promise<number> {
  let settled = 0
  for (const system of systems) {
    const inDoubt = await findInDoubt(db, { system })
    if (inDoubt.length > 0) {
      const target = await targets.open(system)
      const writer = new OutcomeWriter(db, { actor: options.actor, runId: options.runId, clock: options.clock })
      const requeue: number[] = []
      for (const operation of inDoubt) {
        const outcome = await settleInDoubt(operation, target)
        // Not applied, and its own plan resumes now: run it again rather than leave it to a new evaluation.
        if (outcome.status === 'skipped' && operation.planId === options.resumePlanId) requeue.push(operation.seq)
        else await writer.add(outcome)
      }
      await writer.close()
      if (options.resumePlanId !== undefined) await requeueOperations(db, options.resumePlanId, requeue)
      settled += inDoubt.length
    }
    // Also when nothing was in doubt: a process can die between two pages, with none `running`.
    await closeInterruptedExecution(db, system, { clock: options.clock })
  }
  return settled
}
