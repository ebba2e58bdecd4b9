/**
 * Small facts about evaluated and executed plans that job runs, task runs and approvals share: how
 * many operations a job planned, how a set of executions ended, and completing a plan that planned
 * nothing.
 */
import type { Clock } from '../core/index.ts'
import type { ExecutionSummary } from '../engine/index.ts'
import { type SqlDriver, updatePlan } from '../vault/index.ts'

/** Operations planned by all steps of an evaluation. */
export function plannedOperations(evaluation: { readonly steps: readonly { readonly operations: number }[] }): number {
  return evaluation.steps.reduce((n, s) => n + s.operations, 0)
}

/** How a run that executed these plans ended: succeeded, or as far as operations failed. */
export function executionsStatus(executions: readonly ExecutionSummary[]): 'succeeded' | 'partially-failed' | 'failed' {
  const failed = executions.reduce((n, e) => n + e.failed, 0)
  if (failed === 0) return 'succeeded'
  return executions.some((e) => e.succeeded > 0) ? 'partially-failed' : 'failed'
}

/** A plan that planned nothing is complete as it is: recorded executed without writing anything. */
export async function completeEmptyPlan(db: SqlDriver, planId: number, clock: Clock): Promise<void> {
  await updatePlan(db, planId, { status: 'executing' })
  await updatePlan(db, planId, { status: 'executed', executedAt: clock.now().toISOString() })
}
