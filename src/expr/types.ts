/**
 * The static types of expressions: the data model's column types plus `null`, the type of the
 * `null` literal, which fits anywhere. `integer` and `number` mix freely (the result is `number`).
 */
import type { ColumnType } from '../core/index.ts'

export type ExprType = ColumnType | 'null'

const NUMERIC: ReadonlySet<ExprType> = new Set(['integer', 'number'])

export function isNumeric(type: ExprType): boolean {
  return NUMERIC.has(type)
}

/**
 * The common type of several values that may each be the result (branches of `case`, arguments of
 * coalesce), or undefined when two of them do not fit together. `null` fits everything.
 */
export function unifyTypes(types: readonly ExprType[]): ExprType | undefined {
  let result: ExprType = 'null'
  for (const t of types) {
    if (t === 'null' || t === result) continue
    if (result === 'null') result = t
    else if (isNumeric(t) && isNumeric(result)) result = 'number'
    else return undefined
  }
  return result
}

/** Whether values of the two types can be compared with `=`, `<`, `in` and simple `case`. */
export function isComparable(a: ExprType, b: ExprType): boolean {
  if (a === 'string[]' || b === 'string[]') return false
  return unifyTypes([a, b]) !== undefined
}
