/**
 * What a process that dies while executing leaves open besides its in-doubt operations: its plans
 * still `executing` and its write-back collections still `running`. Nothing else would ever close
 * them, so `plan list`, the collection history and snapshot loads would show a run that never ends.
 * The engine closes them for a system right after settling that system's in-doubt operations, under
 * the same condition: no other executor is working on the system (see findInDoubt).
 */
import { type Clock, systemClock } from '../../core/index.ts'
import type { SqlExecutor } from '../driver/sql-driver.ts'

export interface ClosedExecution {
  /** Plans moved from `executing` to `interrupted`. */
  readonly plans: number
  /** Write-back collections a dead run left `running`, now finished. */
  readonly collections: number
}

/**
 * Marks the plans with operations on `system` that are still `executing` as `interrupted` (they
 * stay executable: `plan execute` resumes their remaining operations), and finishes the system's
 * write-back collections still `running`. Their versions were committed flush by flush, so they
 * are kept and the collection counts as succeeded; the message says how it ended.
 */
export async function closeInterruptedExecution(
  db: SqlExecutor,
  system: string,
  options: { readonly clock?: Clock | undefined } = {},
): Promise<ClosedExecution> {
  const plans = await db.run(
    `UPDATE plans SET status = 'interrupted' WHERE status = 'executing'
       AND EXISTS (SELECT 1 FROM plan_operations o WHERE o.plan_id = plans.id AND o.system = ?)`,
    [system],
  )
  const collections = await db.run(
    `UPDATE collections SET status = 'succeeded', finished_at = ?, message = ?
      WHERE system = ? AND kind = 'write-back' AND status = 'running'`,
    [
      (options.clock ?? systemClock).now().toISOString(),
      'Its run was interrupted; finished by a later run once the operations it left in doubt were settled.',
      system,
    ],
  )
  return { plans, collections }
}
