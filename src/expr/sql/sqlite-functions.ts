/**
 * SQLite lacks regular expressions, hashing, Unicode case mapping, time zones and PostgreSQL's
 * month arithmetic, so the SQLite compiler calls application-defined functions named `provisio_*`
 * instead. Each is the very JS function the JS backend runs, which makes both backends agree
 * exactly. The vault must call {@link registerSqliteFunctions} on every SQLite connection.
 * https://www.sqlite.org/appfunc.html
 */
import type { Value } from '../../core/index.ts'
import {
  type DatePart,
  type DateUnit,
  dateAdd,
  dateDiff,
  dateOf,
  datetimeAdd,
  datetimeDiff,
  datetimePart,
} from '../runtime/date-arithmetic.ts'
import { formatDate, toDate } from '../runtime/date-format.ts'
import { hash } from '../runtime/hash.ts'
import { like } from '../runtime/like.ts'
import { ceil, floor, round, toInteger } from '../runtime/numbers.ts'
import { regexMatch, regexReplace } from '../runtime/regex-replace.ts'
import {
  arrayContains,
  endsWith,
  escapeDn,
  joinArray,
  left,
  lower,
  right,
  split,
  substr,
  upper,
} from '../runtime/strings.ts'
import { transliterate } from '../transliterate.ts'
import type { ExprType } from '../types.ts'
import { callSql, type Fragment, type SqlParam } from './fragment.ts'

type Arg = string | number | null
type Impl = (...args: Arg[]) => Value

interface SqliteFunction {
  readonly returns: ExprType
  readonly impl: Impl
}

const s = (v: Arg) => v as string | null
const n = (v: Arg) => v as number | null
/** string[] columns are stored as JSON text arrays. */
const list = (v: Arg) => (v === null ? null : (JSON.parse(String(v)) as string[]))

const FUNCTIONS = {
  provisio_lower: { returns: 'string', impl: (a) => lower(s(a)) },
  provisio_upper: { returns: 'string', impl: (a) => upper(s(a)) },
  provisio_substr: { returns: 'string', impl: (a, b, c) => substr(s(a), n(b), c === undefined ? undefined : n(c)) },
  provisio_left: { returns: 'string', impl: (a, b) => left(s(a), n(b)) },
  provisio_right: { returns: 'string', impl: (a, b) => right(s(a), n(b)) },
  provisio_ends_with: { returns: 'boolean', impl: (a, b) => endsWith(s(a), s(b)) },
  provisio_split: { returns: 'string', impl: (a, b, c) => split(s(a), s(b), n(c)) },
  provisio_join: { returns: 'string', impl: (a, b) => joinArray(list(a), s(b)) },
  provisio_array_contains: { returns: 'boolean', impl: (a, b) => arrayContains(list(a), s(b)) },
  provisio_escape_dn: { returns: 'string', impl: (a) => escapeDn(s(a)) },
  provisio_transliterate: { returns: 'string', impl: (a) => transliterate(s(a)) },
  provisio_like: { returns: 'boolean', impl: (a, b) => like(s(a), s(b)) },
  provisio_regex_match: { returns: 'boolean', impl: (a, b) => regexMatch(s(a), s(b)) },
  provisio_regex_replace: { returns: 'string', impl: (a, b, c) => regexReplace(s(a), s(b), s(c)) },
  provisio_sha256: { returns: 'string', impl: (a) => hash(s(a), 'sha256') },
  provisio_sha512: { returns: 'string', impl: (a) => hash(s(a), 'sha512') },
  provisio_md5: { returns: 'string', impl: (a) => hash(s(a), 'md5') },
  provisio_round: { returns: 'integer', impl: (a) => round(n(a)) },
  provisio_floor: { returns: 'integer', impl: (a) => floor(n(a)) },
  provisio_ceil: { returns: 'integer', impl: (a) => ceil(n(a)) },
  provisio_to_integer: { returns: 'integer', impl: (a) => toInteger(s(a)) },
  provisio_date_add: { returns: 'date', impl: (a, b, c) => dateAdd(s(a), n(b), c as DateUnit) },
  provisio_datetime_add: { returns: 'datetime', impl: (a, b, c) => datetimeAdd(s(a), n(b), c as DateUnit) },
  provisio_date_diff: { returns: 'integer', impl: (u, a, b) => dateDiff(u as 'day', s(a), s(b)) },
  provisio_datetime_diff: { returns: 'integer', impl: (u, a, b) => datetimeDiff(u as 'day', s(a), s(b)) },
  provisio_datetime_part: {
    returns: 'integer',
    impl: (part, a, tz) => datetimePart(part as DatePart, s(a), String(tz)),
  },
  provisio_format_date: { returns: 'string', impl: (a, f) => formatDate(s(a), false, String(f), 'UTC') },
  provisio_format_datetime: { returns: 'string', impl: (a, f, tz) => formatDate(s(a), true, String(f), String(tz)) },
  provisio_to_date: { returns: 'date', impl: (a, f) => toDate(s(a), String(f)) },
  provisio_date_of: { returns: 'date', impl: (a, tz) => dateOf(s(a), String(tz)) },
} satisfies Record<string, SqliteFunction>

export type SqliteFunctionName = keyof typeof FUNCTIONS

/** The names of the functions {@link registerSqliteFunctions} adds. */
export const SQLITE_FUNCTION_NAMES: readonly SqliteFunctionName[] = Object.keys(FUNCTIONS) as SqliteFunctionName[]

/** A call of one of the registered functions. */
export function sqliteCall(name: SqliteFunctionName, args: readonly (Fragment | SqlParam)[]): Fragment {
  return callSql(name, args)
}

/** SQLite has no boolean type and binds JS numbers as REAL, so results go back as 0/1 and BigInt. */
function toSqlite(value: Value, type: ExprType): unknown {
  if (value === null) return null
  if (type === 'boolean') return value === true ? 1n : 0n
  if (type === 'integer') return BigInt(value as number)
  return value
}

/** The part of a better-sqlite3 `Database` this needs. */
export interface SqliteFunctionHost {
  function(
    name: string,
    options: { deterministic?: boolean; varargs?: boolean; safeIntegers?: boolean },
    fn: (...args: never[]) => unknown,
  ): unknown
}

/**
 * Registers the `provisio_*` functions on a better-sqlite3 connection. All are deterministic:
 * today() and now() are bound as values when an expression is compiled, never read inside SQL.
 *
 * @example
 * const db = new Database(file)
 * registerSqliteFunctions(db)
 */
export function registerSqliteFunctions(db: SqliteFunctionHost): void {
  for (const name of SQLITE_FUNCTION_NAMES) {
    const { impl, returns } = FUNCTIONS[name] as SqliteFunction
    const fn = (...args: unknown[]) =>
      toSqlite(impl(...args.map((a) => (typeof a === 'bigint' ? Number(a) : (a as Arg)))), returns)
    db.function(name, { deterministic: true, varargs: true, safeIntegers: false }, fn)
  }
}
