/**
 * How the planner compares a mapped value with the value the vault holds (DESIGN.md §8, "normalized"):
 * the mapped value is first coerced to the parameter's type, then both sides are normalised by the
 * target column's rules: case-insensitive columns compare lower-cased, multi-valued columns as sets,
 * and an empty text equals null (a directory cannot hold an empty attribute; a database column that
 * distinguishes them is rare enough to need saying: `emptyIsNull: false` on the column).
 */
import type { ColumnSchema, ColumnType, Value } from '../../core/index.ts'

/** The rules of the target column a value is compared under. */
export type CompareRules = Pick<ColumnSchema, 'type' | 'caseInsensitive'> & {
  readonly emptyIsNull?: boolean | undefined
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * The mapped value in the parameter's type, or undefined when it cannot be (`'abc'` into an
 * integer), which the planner reports for that row. Validation has already checked the expression's
 * type; this handles the conversions validation allows (a number into a text column) and values that
 * only fail at run time.
 */
export function coerceValue(value: Value, type: ColumnType): Value | undefined {
  if (value === null) return null
  switch (type) {
    case 'string':
      if (Array.isArray(value)) return value.join(',')
      return String(value)
    case 'integer': {
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
      return Number.isInteger(n) ? n : undefined
    }
    case 'number': {
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
      return Number.isFinite(n) ? n : undefined
    }
    case 'boolean':
      if (typeof value === 'boolean') return value
      if (value === 'true' || value === 1) return true
      if (value === 'false' || value === 0) return false
      return undefined
    case 'date':
      if (typeof value === 'string' && ISO_DATE.test(value)) return value
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
        return new Date(value).toISOString().slice(0, 10)
      return undefined
    case 'datetime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString()
      return undefined
    case 'string[]': {
      const values = Array.isArray(value) ? value : [String(value)]
      return [...new Set(values.filter((v) => v !== ''))].sort()
    }
  }
}

/** The comparable form of a value under a column's rules. */
export function normalizeValue(value: Value | undefined, rules: CompareRules): Value {
  if (value === undefined || value === null) return null
  if (Array.isArray(value)) {
    const items = rules.caseInsensitive === true ? value.map((v) => v.toLowerCase()) : value
    const set = [...new Set(items)].sort()
    return set.length === 0 && rules.emptyIsNull !== false ? null : set
  }
  if (typeof value === 'string') {
    if (value === '' && rules.emptyIsNull !== false) return null
    return rules.caseInsensitive === true ? value.toLowerCase() : value
  }
  return value
}

/** Whether a mapped value and the vault's value are the same under the column's rules. */
export function sameValue(mapped: Value | undefined, current: Value | undefined, rules: CompareRules): boolean {
  const a = normalizeValue(mapped, rules)
  const b = normalizeValue(current, rules)
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i])
  if (rules.type === 'datetime' && typeof a === 'string' && typeof b === 'string')
    return Date.parse(a) === Date.parse(b)
  return false
}
