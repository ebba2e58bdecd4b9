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

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

function isRealDate(text: string): boolean {
  const m = ISO_DATE.exec(text)
  if (m === null) return false
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().startsWith(text)
}

/**
 * The instant an ISO 8601 date or datetime text names, in milliseconds; NaN for other text. A
 * text without a zone is UTC, as the SQL connector and the vault read it (JavaScript would take it
 * as local time, so the same row would compare differently on servers in different zones).
 */
function parseInstant(text: string): number {
  if (isRealDate(text)) return Date.parse(`${text}T00:00:00Z`)
  const m = ISO_DATETIME.exec(text.trim())
  if (m === null || !isRealDate(m[1]!)) return Number.NaN
  const zone = (m[3] ?? 'Z')
    .toUpperCase()
    .replace(/^([+-]\d{2}):?(\d{2})?$/, (_z, h: string, mm?: string) => `${h}:${mm ?? '00'}`)
  return Date.parse(`${m[1]}T${m[2]}${zone}`)
}

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
    case 'date': {
      // The date the text names, whatever its time and zone (as the SQL connector reads a date).
      const date = typeof value === 'string' ? value.trim().slice(0, 10) : ''
      return isRealDate(date) && !Number.isNaN(parseInstant(String(value))) ? date : undefined
    }
    case 'datetime': {
      const instant = typeof value === 'string' ? parseInstant(value) : Number.NaN
      return Number.isNaN(instant) ? undefined : new Date(instant).toISOString()
    }
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
  if (rules.type === 'datetime' && typeof a === 'string' && typeof b === 'string') {
    const instant = parseInstant(a)
    return !Number.isNaN(instant) && instant === parseInstant(b)
  }
  return false
}
