/**
 * Values between the database and the data model. Reading accepts what each database really
 * returns for a declared type (SQLite's 0/1 booleans and JSON text lists, PostgreSQL's text[] and
 * timestamps) and gives the data model's shapes: dates `YYYY-MM-DD`, datetimes ISO 8601 in UTC,
 * lists sorted without duplicates. Writing turns data-model values into bound parameters.
 */
import type { ColumnSchema, ColumnType, Value } from '../../core/index.ts'
import type { ConnectorSqlValue } from '../contract.ts'
import type { CatalogColumn } from './sql-catalog.ts'

/** A value that does not read as its column's type; the caller adds where it was. */
export class UnreadableValue {
  constructor(readonly expected: string) {}
}

const EXPECTED: Record<ColumnType, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true/false or 1/0',
  date: 'a date (YYYY-MM-DD)',
  datetime: 'a date and time (YYYY-MM-DD HH:MM:SS, ISO 8601)',
  'string[]': 'a list (PostgreSQL text[] or a JSON array of strings)',
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

function isRealDate(text: string): boolean {
  const m = DATE.exec(text)
  if (m === null) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().startsWith(text)
}

function readDatetime(raw: unknown): string | UnreadableValue {
  if (raw instanceof Date)
    return Number.isNaN(raw.getTime()) ? new UnreadableValue(EXPECTED.datetime) : raw.toISOString()
  if (typeof raw !== 'string') return new UnreadableValue(EXPECTED.datetime)
  if (isRealDate(raw)) return `${raw}T00:00:00.000Z`
  const m = DATETIME.exec(raw.trim())
  if (m === null || !isRealDate(m[1]!)) return new UnreadableValue(EXPECTED.datetime)
  // Without a zone the text is taken as UTC (SQLite's CURRENT_TIMESTAMP is UTC); +hh and +hhmm become +hh:mm.
  const zone = (m[3] ?? 'Z')
    .toUpperCase()
    .replace(/^([+-]\d{2}):?(\d{2})?$/, (_z, h: string, mm?: string) => `${h}:${mm ?? '00'}`)
  const time = new Date(`${m[1]}T${m[2]}${zone}`)
  return Number.isNaN(time.getTime()) ? new UnreadableValue(EXPECTED.datetime) : time.toISOString()
}

function readDate(raw: unknown): string | UnreadableValue {
  if (raw instanceof Date)
    return Number.isNaN(raw.getTime()) ? new UnreadableValue(EXPECTED.date) : raw.toISOString().slice(0, 10)
  if (typeof raw !== 'string') return new UnreadableValue(EXPECTED.date)
  const date = raw.length > 10 && /^[T ]/.test(raw.slice(10)) ? raw.slice(0, 10) : raw
  return isRealDate(date) ? date : new UnreadableValue(EXPECTED.date)
}

function readInteger(raw: unknown): number | UnreadableValue {
  const n = typeof raw === 'bigint' || (typeof raw === 'string' && /^-?\d+$/.test(raw)) ? Number(raw) : raw
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : new UnreadableValue(EXPECTED.integer)
}

function readNumber(raw: unknown): number | UnreadableValue {
  const n = typeof raw === 'bigint' || (typeof raw === 'string' && raw.trim() !== '') ? Number(raw) : raw
  return typeof n === 'number' && Number.isFinite(n) ? n : new UnreadableValue(EXPECTED.number)
}

const TRUE = new Set(['1', 'true', 't', 'yes', 'y'])
const FALSE = new Set(['0', 'false', 'f', 'no', 'n'])

function readBoolean(raw: unknown): boolean | UnreadableValue {
  if (typeof raw === 'boolean') return raw
  const text = String(raw).trim().toLowerCase()
  if (typeof raw !== 'object' && TRUE.has(text)) return true
  if (typeof raw !== 'object' && FALSE.has(text)) return false
  return new UnreadableValue(EXPECTED.boolean)
}

function readList(raw: unknown): readonly string[] | null | UnreadableValue {
  let list = raw
  if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw)
    } catch {
      return new UnreadableValue(EXPECTED['string[]'])
    }
  }
  if (!Array.isArray(list)) return new UnreadableValue(EXPECTED['string[]'])
  const values: string[] = []
  for (const item of list as unknown[]) {
    if (item === null || item === '') continue
    if (typeof item !== 'string' && typeof item !== 'number') return new UnreadableValue(EXPECTED['string[]'])
    values.push(String(item))
  }
  // The vault's shape of a multi-valued column: sorted by code unit, without duplicates; empty is null.
  const sorted = [...new Set(values)].sort()
  return sorted.length === 0 ? null : sorted
}

function readString(raw: unknown): string | UnreadableValue {
  if (typeof raw === 'string') return raw
  if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') return String(raw)
  if (raw instanceof Date) return raw.toISOString()
  if (Buffer.isBuffer(raw)) return new UnreadableValue(EXPECTED.string)
  return JSON.stringify(raw) // a PostgreSQL json value read into a string column
}

/** A database value as the data model's value of `column`, or why it is not one. */
export function readValue(raw: unknown, column: ColumnSchema): Value | UnreadableValue {
  if (raw === null || raw === undefined) return null
  switch (column.type) {
    case 'string':
      return readString(raw)
    case 'integer':
      return readInteger(raw)
    case 'number':
      return readNumber(raw)
    case 'boolean':
      return readBoolean(raw)
    case 'date':
      return readDate(raw)
    case 'datetime':
      return readDatetime(raw)
    case 'string[]':
      return readList(raw)
  }
}

/** `{"a","b \"c\""}`: a PostgreSQL array literal, every element quoted so that no value is special. */
function postgresArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}

const INTEGER_TYPES = /^(?:int|integer|smallint|bigint|int2|int4|int8|tinyint|mediumint)$/

/** Whether `value` holds a NUL character, which PostgreSQL cannot store in text and SQLite cuts C strings at. */
export function hasNul(value: Value): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  return Array.isArray(value) && value.some((v) => v.includes('\u0000'))
}

/**
 * A data-model value as a bound parameter for `physical` (the column as the database declares it):
 * lists become a PostgreSQL array literal for array columns and JSON text otherwise; booleans become
 * 1/0 for integer columns.
 */
export function writeValue(
  value: Value,
  physical: CatalogColumn | undefined,
  dialect: 'sqlite' | 'postgres',
): ConnectorSqlValue {
  if (value === null) return null
  if (Array.isArray(value)) {
    const list = value as readonly string[]
    return dialect === 'postgres' && physical?.isArray === true ? postgresArray(list) : JSON.stringify(list)
  }
  if (typeof value === 'boolean' && physical !== undefined && INTEGER_TYPES.test(physical.nativeType)) {
    return value ? 1 : 0
  }
  return value as string | number | boolean
}
