/**
 * How a filter row is named for people in failures and generator messages: its key when the
 * mapping has one, else its first column's value.
 */
import type { Row, Value } from '../../core/index.ts'

/** The row's key, or its first column's value, as text; `(no key)` when both are empty. */
export function rowIdentity(row: Row, keyValue?: Value): string {
  if (keyValue !== undefined && keyValue !== null) return String(keyValue)
  const first = Object.values(row)[0]
  return first === undefined || first === null ? '(no key)' : String(first)
}
