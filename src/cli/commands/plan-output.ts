/**
 * How a plan reads for people: per step the mapping, function and counts (with the threshold), then
 * the operations as `function key: attribute old → new`, a password as `(set)`. Only the first
 * operations are printed unless asked for all; `--json` gives the same as data.
 */
import type { Row, Value } from '../../core/index.ts'
import type { RowFailure, StepEvaluation } from '../../engine/index.ts'
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

/** `sn: "Meer-Old" → "Meer", password: (set)` */
export function describeChanges(
  operation: Pick<StoredOperation, 'attributes' | 'before' | 'secrets' | 'semantics'>,
): string {
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

/** One line per step: what it plans, how many rows needed nothing, which failed, and its threshold. */
export function renderSteps(steps: readonly PlanStepView[]): string {
  return formatTable(
    ['step', 'mapping', 'function', 'operations', 'unchanged', 'failed', 'threshold'],
    steps.map((s) => [
      s.index + 1,
      s.mapping,
      `${s.system}.${s.function}`,
      formatCount(s.operations),
      formatCount(s.unchanged),
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
    operations.map((o) => [
      o.seq,
      o.function,
      o.keyValue === undefined || o.keyValue === null ? '(new)' : String(o.keyValue),
      o.status,
      describeChanges(o),
    ]),
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
