/**
 * Reading results back: the drivers return booleans as 0/1 (SQLite), int8 as strings and dates as
 * Date objects (pg's defaults). decodeSqlValue turns any of those into the vault's {@link Value}
 * representation for the expression's static type.
 */
import type { Value } from '../../core/index.ts'
import { formatDateParts, isoFromTime } from '../runtime/dates.ts'
import type { ExprType } from '../types.ts'

function decodeDate(raw: unknown): string {
  if (raw instanceof Date)
    return formatDateParts({ year: raw.getFullYear(), month: raw.getMonth() + 1, day: raw.getDate() })
  return String(raw).slice(0, 10)
}

function decodeDatetime(raw: unknown): string {
  const time = raw instanceof Date ? raw.getTime() : Date.parse(String(raw))
  const iso = isoFromTime(time)
  if (iso === undefined) throw new Error(`Not a datetime: ${String(raw)}`)
  return iso
}

/** Converts a value a database driver returned for an expression of type `type`. */
export function decodeSqlValue(raw: unknown, type: ExprType): Value {
  if (raw === null || raw === undefined) return null
  switch (type) {
    case 'boolean':
      return raw === true || raw === 1 || raw === 1n || raw === 't' || raw === 'true'
    case 'integer':
    case 'number':
      return Number(raw) + 0
    case 'date':
      return decodeDate(raw)
    case 'datetime':
      return decodeDatetime(raw)
    case 'string[]':
      return typeof raw === 'string' ? (JSON.parse(raw) as string[]) : (raw as string[])
    default:
      return typeof raw === 'string' ? raw : JSON.stringify(raw)
  }
}
