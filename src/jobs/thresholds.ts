/**
 * Step thresholds (DESIGN.md §8, NIM's job guard): a step whose plan holds more operations than its
 * threshold stops the whole job before anything is written. A threshold is a count or a percentage
 * of the target table's current rows. Delete and disable steps get one even when none is written
 * (10%): a filter that suddenly matches everyone must never disable everyone.
 */
import type { FunctionSemantics } from '../core/index.ts'
import type { OperationLimit } from '../config/index.ts'

/** The threshold a delete or disable step gets when its job does not set one. */
export const DEFAULT_DESTRUCTIVE_THRESHOLD: OperationLimit = { kind: 'percent', value: 10 }

const DESTRUCTIVE: ReadonlySet<FunctionSemantics> = new Set(['delete', 'disable', 'membership-remove'])

/** The threshold that applies to a step: its own, or the default for destructive functions. */
export function effectiveThreshold(
  threshold: OperationLimit | undefined,
  semantics: FunctionSemantics,
): OperationLimit | undefined {
  return threshold ?? (DESTRUCTIVE.has(semantics) ? DEFAULT_DESTRUCTIVE_THRESHOLD : undefined)
}

export interface ThresholdCheck {
  /** The most operations allowed. */
  readonly limit: number
  /** For people: `10% of 585 rows = 58` or `100`. */
  readonly described: string
  readonly exceeded: boolean
}

/** Checks `operations` against a threshold, given the target table's current row count. */
export function checkThreshold(limit: OperationLimit, operations: number, tableRows: number): ThresholdCheck {
  if (limit.kind === 'count') {
    return { limit: limit.value, described: String(limit.value), exceeded: operations > limit.value }
  }
  const allowed = Math.floor((tableRows * limit.value) / 100)
  return {
    limit: allowed,
    described: `${limit.value}% of ${tableRows} rows = ${allowed}`,
    exceeded: operations > allowed,
  }
}
