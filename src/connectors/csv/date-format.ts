/**
 * Dates and datetimes read from text. A column's `format` is compiled once into a regular
 * expression; every value is then checked against the real calendar (31-02-2020 is rejected).
 * Results follow the vault's conventions: dates `YYYY-MM-DD`, datetimes UTC ISO strings with
 * milliseconds (`2026-12-04T15:46:10.000Z`).
 */
import { csvError } from './csv-errors.ts'

/** Tokens a `format` may contain; any other character except letters is a literal separator. */
type Token = 'YYYY' | 'MM' | 'DD' | 'M' | 'D' | 'HH' | 'H' | 'mm' | 'ss' | 'SSS'

/** Longest first, so that `MM` is not read as two `M`. */
const TOKENS: readonly { token: Token; pattern: string; isTime: boolean }[] = [
  { token: 'YYYY', pattern: '(\\d{4})', isTime: false },
  { token: 'SSS', pattern: '(\\d{3})', isTime: true },
  { token: 'MM', pattern: '(\\d{2})', isTime: false },
  { token: 'DD', pattern: '(\\d{2})', isTime: false },
  { token: 'HH', pattern: '(\\d{2})', isTime: true },
  { token: 'mm', pattern: '(\\d{2})', isTime: true },
  { token: 'ss', pattern: '(\\d{2})', isTime: true },
  { token: 'M', pattern: '(\\d{1,2})', isTime: false },
  { token: 'D', pattern: '(\\d{1,2})', isTime: false },
  { token: 'H', pattern: '(\\d{1,2})', isTime: true },
]

/** A parsed date and time, fields as written (month 1–12). */
export interface DateParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millisecond: number
  /** Minutes east of UTC. */
  offsetMinutes: number
}

/** A compiled `format`. */
export interface DateFormat {
  readonly format: string
  parse(text: string): DateParts | undefined
}

function invalidFormat(format: string, problem: string): never {
  throw csvError('CON_CSV_INVALID_FORMAT', `The format '${format}' ${problem}.`)
}

function tokenize(format: string, kind: 'date' | 'datetime'): { source: string; tokens: Token[] } {
  let source = '^'
  const tokens: Token[] = []
  for (let i = 0; i < format.length;) {
    const match = TOKENS.find((t) => format.startsWith(t.token, i))
    if (match !== undefined) {
      if (match.isTime && kind === 'date')
        invalidFormat(format, `has the time token ${match.token} but the column is a date`)
      if (tokens.includes(match.token)) invalidFormat(format, `has ${match.token} twice`)
      source += match.pattern
      tokens.push(match.token)
      i += match.token.length
      continue
    }
    const ch = format[i] ?? ''
    // Letters other than tokens are nearly always a misspelt token (yyyy, dd), so they are refused.
    if (/\p{L}/u.test(ch) && ch !== 'T')
      invalidFormat(format, `has '${ch}', which is no token (use YYYY, MM, DD, M, D, HH, H, mm, ss, SSS)`)
    source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    i++
  }
  return { source: `${source}$`, tokens }
}

/** Compiles a column's `format`; throws CON_CSV_INVALID_FORMAT when it is not understood. */
export function compileDateFormat(format: string, kind: 'date' | 'datetime'): DateFormat {
  const { source, tokens } = tokenize(format, kind)
  const has = (...names: Token[]) => names.filter((n) => tokens.includes(n)).length
  if (has('YYYY') !== 1 || has('MM', 'M') !== 1 || has('DD', 'D') !== 1) {
    invalidFormat(format, 'needs the year (YYYY), the month (MM or M) and the day (DD or D) once each')
  }
  if (has('HH', 'H') > 1) invalidFormat(format, 'has the hour twice')
  const regex = new RegExp(source)
  // Capture group of each part, resolved once: parse() runs for every value of the column.
  const group = (...names: Token[]) => tokens.findIndex((t) => names.includes(t)) + 1
  const [y, mo, d, h, mi, s, ms] = [
    group('YYYY'),
    group('MM', 'M'),
    group('DD', 'D'),
    group('HH', 'H'),
    group('mm'),
    group('ss'),
    group('SSS'),
  ]
  return {
    format,
    parse(text) {
      const m = regex.exec(text)
      if (m === null) return undefined
      return {
        year: Number(m[y]),
        month: Number(m[mo]),
        day: Number(m[d]),
        hour: h === 0 ? 0 : Number(m[h]),
        minute: mi === 0 ? 0 : Number(m[mi]),
        second: s === 0 ? 0 : Number(m[s]),
        millisecond: ms === 0 ? 0 : Number(m[ms]),
        offsetMinutes: 0,
      }
    },
  }
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?$/i

/**
 * ISO 8601 datetimes with `Z` or an offset (`2026-12-04T15:46:10+01:00`); without a zone
 * (`2026-12-04 15:46:10`, `T` or space) the time is taken as UTC. Fractions beyond milliseconds are cut off.
 */
export const ISO_DATETIME_FORMAT: DateFormat = {
  format: 'ISO 8601 (2026-12-04T15:46:10Z, with Z or an offset; without one, UTC)',
  parse(text) {
    const m = ISO_DATETIME.exec(text)
    if (m === null) return undefined
    const [, y, mo, d, h, mi, s, fraction, zone, sign, offsetHours, offsetMinutes] = m
    const offset =
      zone === undefined || zone.toUpperCase() === 'Z' ? 0 : Number(offsetHours) * 60 + Number(offsetMinutes ?? 0)
    if (Number(offsetHours ?? 0) > 23 || Number(offsetMinutes ?? 0) > 59) return undefined
    return {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: Number(s ?? 0),
      millisecond: Number((fraction ?? '').padEnd(3, '0').slice(0, 3)),
      offsetMinutes: sign === '-' ? -offset : offset,
    }
  },
}

/** `YYYY-MM-DD`, the default date format. */
export const ISO_DATE_FORMAT: DateFormat = compileDateFormat('YYYY-MM-DD', 'date')

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Whether the parts name a real day and time (no 31 February, no 24:00). */
export function isValidDateParts(p: DateParts): boolean {
  return (
    p.month >= 1 &&
    p.month <= 12 &&
    p.day >= 1 &&
    p.day <= daysInMonth(p.year, p.month) &&
    p.hour <= 23 &&
    p.minute <= 59 &&
    p.second <= 59
  )
}

const digitAt = (text: string, i: number) => text.charCodeAt(i) - 48

/** Whether `text` is exactly `YYYY-MM-DD` and a real date; the hot path for ISO date columns. */
export function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return false
  let year = 0
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue
    const d = digitAt(text, i)
    if (d < 0 || d > 9) return false
    if (i < 4) year = year * 10 + d
  }
  const month = digitAt(text, 5) * 10 + digitAt(text, 6)
  const day = digitAt(text, 8) * 10 + digitAt(text, 9)
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** `YYYY-MM-DD` */
export function toIsoDate(p: DateParts): string {
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`
}

/** `2026-12-04T15:46:10.000Z`: the instant in UTC. */
export function toIsoDatetime(p: DateParts): string {
  // Date.UTC maps years 0–99 to 1900–1999, so the year is set separately.
  const date = new Date(Date.UTC(2000, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond))
  date.setUTCFullYear(p.year)
  return new Date(date.getTime() - p.offsetMinutes * 60_000).toISOString()
}
