/**
 * Deterministic operation ids (DESIGN.md §8): the same mapping, function, key and values give the
 * same id, so that re-planning after a crash finds the operations of the interrupted run again and
 * executing twice does no harm. Secret values never take part (a password is generated anew).
 */
import { createHash } from 'node:crypto'
import type { Row, Value } from '../../core/index.ts'

/**
 * JSON with object keys sorted at every depth, so that the same values always give the same text
 * (operation ids; a role model's hash).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const row = value as Record<string, unknown>
  return `{${Object.keys(row)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(row[k])}`)
    .join(',')}}`
}

export interface OperationIdentity {
  readonly mapping: string
  readonly function: string
  readonly key?: Value | undefined
  readonly attributes: Row
}

/**
 * A 24-hex-digit (96-bit) id. Two rows that map to exactly the same create are told apart by the
 * planner, which gives a create's source row as its `key`.
 */
export function operationId(identity: OperationIdentity): string {
  const text = `${identity.mapping}\u0000${identity.function}\u0000${canonicalJson(identity.key)}\u0000${canonicalJson(identity.attributes)}`
  return createHash('sha256').update(text).digest('hex').slice(0, 24)
}
