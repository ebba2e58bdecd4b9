/**
 * Values on their way into a vault table from the engine (write-back, lookups) take the column's
 * type exactly as a connector's read would give it, so that a written-back row has the same
 * fingerprint as the same row collected (row-hash.ts): `'42'` for an integer column becomes 42,
 * a datetime becomes ISO 8601 UTC with milliseconds, a single string for a multi-valued column
 * becomes a one-element array.
 */
import type { ColumnType, Value } from '../../core/index.ts'

/** Why a value does not fit a column, or undefined when it fits. */
export type Coerced = { readonly value: Value } | { readonly problem: string }

const INTEGER = /^[+-]?\d+$/
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const DATE = /^\d{4}-\d{2}-\d{2}/

function fits(value: Value): Coerced {
  return { value }
}

function misfit(value: Value, type: ColumnType): Coerced {
  const text = JSON.stringify(value)
  return { problem: `${text.length > 60 ? `${text.slice(0, 57)}...` : text} is not of type ${type}` }
}

function scalar(value: Exclude<Value, null>, type: Exclude<ColumnType, 'string[]'>): Coerced {
  if (Array.isArray(value)) return misfit(value, type)
  const v = value as string | number | boolean
  switch (type) {
    case 'string':
      return fits(String(v))
    case 'integer':
      if (typeof v === 'number') return Number.isInteger(v) ? fits(v) : misfit(v, type)
      return typeof v === 'string' && INTEGER.test(v.trim()) ? fits(Number(v)) : misfit(v, type)
    case 'number':
      if (typeof v === 'number') return Number.isFinite(v) ? fits(v) : misfit(v, type)
      return typeof v === 'string' && NUMBER.test(v.trim()) ? fits(Number(v)) : misfit(v, type)
    case 'boolean':
      if (typeof v === 'boolean') return fits(v)
      if (v === 1 || v === 'true' || v === '1') return fits(true)
      if (v === 0 || v === 'false' || v === '0') return fits(false)
      return misfit(v, type)
    case 'date':
      return typeof v === 'string' && DATE.test(v) ? fits(v.slice(0, 10)) : misfit(v, type)
    case 'datetime': {
      const time = typeof v === 'string' ? Date.parse(v) : Number.NaN
      return Number.isNaN(time) ? misfit(v, type) : fits(new Date(time).toISOString())
    }
  }
}

/** The value as a column of `type` stores it, or the problem. */
export function coerceToColumn(value: Value | undefined, type: ColumnType): Coerced {
  if (value === undefined || value === null) return fits(null)
  if (type !== 'string[]') return scalar(value, type)
  if (typeof value === 'string') return fits([value])
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return fits(value)
  return misfit(value, type)
}

/** Text that identifies a scalar value for matching (lower-cased when comparing case-insensitively). */
export function matchText(value: Value, caseInsensitive: boolean): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return caseInsensitive ? text.toLowerCase() : text
}
