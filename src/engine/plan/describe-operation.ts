/**
 * How a stored operation reads for people and as data, the same in the CLI and the API: its changes
 * as `sn: "Meer-Old" → "Meer", password: (set)`, a membership as `add u123 to DEPGRP_EN`, and its
 * JSON view. A secret never appears: only its name, with `(set)`.
 */
import type { FunctionSemantics, Row, Value } from '../../core/index.ts'
import { SECRET_SET, type StoredOperation } from '../../vault/index.ts'

function valueText(value: Value | undefined): string {
  if (value === undefined || value === null) return '∅'
  if (Array.isArray(value)) return `[${value.join(', ')}]`
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
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

/** The key column: the target row's key, `(new)` for a create, nothing for a membership (its changes name it). */
export function operationKey(o: Pick<StoredOperation, 'keyValue' | 'attributes' | 'semantics'>): string {
  if (o.keyValue !== undefined && o.keyValue !== null) return String(o.keyValue)
  return describeMembership(o) === undefined ? '(new)' : ''
}

/** An operation as JSON (`--json`, the API): secrets as their names only. */
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
