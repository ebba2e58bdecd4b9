/**
 * How a plan reads for people: per step the mapping, function and counts (with the threshold), then
 * the operations as `function key: attribute old → new`, a password as `(set)`. Only the first
 * operations are printed unless asked for all; `--json` gives the same as data.
 *
 * A job's memberships step (`memberships: directory`) gives two plan steps, its adds and its
 * removes, both numbered as the job step; their operations read `add u123 to DEPGRP_EN`.
 */
import {
  type RowFailure,
  type StepEvaluation,
  describeChanges,
  describeMembership,
  operationJson,
  operationKey,
} from '../../engine/index.ts'
import { type ThresholdCheck, isMembershipsStep, jobStepNumber, membershipCount } from '../../jobs/index.ts'
import { type SqlDriver, type StoredOperation, streamOperations } from '../../vault/index.ts'
import { formatCount, formatTable } from '../output.ts'

// Moved to the engine (the API shows operations the same way); re-exported for the commands.
export {
  describeChanges,
  describeMembership,
  operationJson,
  operationKey,
  isMembershipsStep,
  jobStepNumber,
  membershipCount,
}

export interface PlanStepView extends StepEvaluation {
  readonly threshold?: ThresholdCheck | undefined
}

/**
 * One line per step: what it plans, how many rows needed nothing, which failed, and its threshold.
 * A memberships step's two lines say `12 adds` and `3 removes`; `unchanged` counts the granted
 * memberships the target already has.
 */
export function renderSteps(steps: readonly PlanStepView[]): string {
  return formatTable(
    ['step', 'mapping', 'function', 'operations', 'unchanged', 'failed', 'threshold'],
    steps.map((s) => [
      jobStepNumber(s),
      s.mapping,
      `${s.system}.${s.function}`,
      isMembershipsStep(s) ? membershipCount(s) : formatCount(s.operations),
      isMembershipsStep(s) && s.semantics === 'membership-remove' ? '' : formatCount(s.unchanged),
      formatCount(s.failed),
      s.threshold === undefined ? '' : `${s.threshold.exceeded ? 'EXCEEDED ' : ''}${s.threshold.described}`,
    ]),
    ['right', 'left', 'left', 'right', 'right', 'right', 'left'],
  )
}

export function renderFailures(failures: readonly RowFailure[], failed: number): string {
  if (failures.length === 0) return ''
  const lines = failures.map((f) => `  ${f.mapping} row ${f.row}: ${f.message} [${f.code}]`)
  if (failed > failures.length) lines.push(`  … and ${formatCount(failed - failures.length)} more`)
  return `Rows that could not be planned:\n${lines.join('\n')}`
}

/** The first `limit` operations of a plan (or all), read page by page from the vault. */
export async function readOperations(
  db: SqlDriver,
  planId: number,
  limit: number | undefined,
  step?: number,
): Promise<StoredOperation[]> {
  const operations: StoredOperation[] = []
  const pageSize = Math.max(1, Math.min(limit ?? 1000, 1000))
  for await (const page of streamOperations(db, planId, { step, pageSize })) {
    for (const op of page) {
      if (limit !== undefined && operations.length >= limit) return operations
      operations.push(op)
    }
    if (limit !== undefined && operations.length >= limit) return operations
  }
  return operations
}

export function renderOperations(operations: readonly StoredOperation[], total: number): string {
  if (operations.length === 0) return ''
  const table = formatTable(
    ['#', 'function', 'key', 'status', 'changes'],
    operations.map((o) => [o.seq, o.function, operationKey(o), o.status, describeChanges(o)]),
    ['right', 'left', 'left', 'left', 'left'],
    100,
  )
  const more =
    total > operations.length
      ? `\n… ${formatCount(total - operations.length)} more (\`provisio plan show ${operations[0]!.planId} --all\` lists them all)`
      : ''
  return `${table}${more}`
}
