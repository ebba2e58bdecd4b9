/**
 * How a plan reads for people: per step the mapping, function and counts (with the threshold), then
 * the operations as `function key: attribute old → new`, a password as `(set)`. Only the first
 * operations are printed unless asked for all; `--json` gives the same as data.
 *
 * A job's memberships step (`memberships: directory`) gives two plan steps, its adds and its
 * removes, both numbered as the job step; their operations read `add u123 to DEPGRP_EN`.
 */
import type { FunctionSemantics, Row, Value } from '../../core/index.ts'
import { type RowFailure, type StepEvaluation, membershipsLabel } from '../../engine/index.ts'
import type { ThresholdCheck } from '../../jobs/index.ts'
import { SECRET_SET, type SqlDriver, type StoredOperation, streamOperations } from '../../vault/index.ts'
import { formatCount, formatTable } from '../output.ts'

export interface PlanStepView extends StepEvaluation {
  readonly threshold?: ThresholdCheck | undefined
}

function valueText(value: Value | undefined): string {
  if (value === undefined || value === null) return '∅'
  if (Array.isArray(value)) return `[${value.join(', ')}]`
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

/** Whether a plan step is one half of a job's memberships step (rather than a mapping's). */
export function isMembershipsStep(step: Pick<PlanStepView, 'mapping' | 'system'>): boolean {
  return step.mapping === membershipsLabel(step.system)
}

/** The job step a plan step comes from, from 1 (plans stored before memberships steps have no `source`). */
export function jobStepNumber(step: { readonly index: number; readonly source?: number | undefined }): number {
  return (step.source ?? step.index) + 1
}

/** `12 adds`, `3 removes`: what a memberships plan step's operations are. */
export function membershipCount(step: Pick<PlanStepView, 'semantics' | 'operations'>): string {
  const noun = step.semantics === 'membership-remove' ? 'remove' : 'add'
  return `${formatCount(step.operations)} ${noun}${step.operations === 1 ? '' : 's'}`
}

const MEMBERSHIP_SEMANTICS: ReadonlySet<FunctionSemantics> = new Set(['membership-add', 'membership-remove'])

/** `add u123 to DEPGRP_EN` for a membership operation with `group` and `member`; undefined for others. */
export function describeMembership(operation: Pick<StoredOperation, 'attributes' | 'semantics'>): string | undefined {
  const { group, member } = operation.attributes
  if (!MEMBERSHIP_SEMANTICS.has(operation.semantics) || group === undefined || member === undefined) return undefined
  if (Object.keys(operation.attributes).length !== 2) return undefined
  return operation.semantics === 'membership-add'
    ? `add ${String(member)} to ${String(group)}`
    : `remove ${String(member)} from ${String(group)}`
}

/** `sn: "Meer-Old" → "Meer", password: (set)`; a membership as `add u123 to DEPGRP_EN`. */
export function describeChanges(
  operation: Pick<StoredOperation, 'attributes' | 'before' | 'secrets' | 'semantics'>,
): string {
  const membership = describeMembership(operation)
  if (membership !== undefined) return membership
  const parts: string[] = []
  const before: Row = operation.before ?? {}
  for (const [name, value] of Object.entries(operation.attributes)) {
    const old = before[name]
    parts.push(
      operation.semantics === 'update' && name in before
        ? `${name}: ${valueText(old)} → ${valueText(value)}`
        : `${name}: ${valueText(value)}`,
    )
  }
  for (const name of operation.secrets) parts.push(`${name}: ${SECRET_SET}`)
  return parts.join(', ')
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

/** The key column: the target row's key, `(new)` for a create, nothing for a membership (its changes name it). */
export function operationKey(o: Pick<StoredOperation, 'keyValue' | 'attributes' | 'semantics'>): string {
  if (o.keyValue !== undefined && o.keyValue !== null) return String(o.keyValue)
  return describeMembership(o) === undefined ? '(new)' : ''
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

/** Operations as JSON: what `--json` prints (secrets as their names only). */
export function operationJson(o: StoredOperation): Record<string, unknown> {
  return {
    seq: o.seq,
    id: o.id,
    step: o.step,
    mapping: o.mapping,
    system: o.system,
    table: o.table,
    function: o.function,
    semantics: o.semantics,
    key: o.keyColumn === undefined ? undefined : { column: o.keyColumn, value: o.keyValue },
    attributes: o.attributes,
    before: o.before,
    secrets: o.secrets,
    status: o.status,
    attempts: o.attempts,
    errorCode: o.errorCode,
    message: o.message,
  }
}
