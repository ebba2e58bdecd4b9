/**
 * Calendar arithmetic on the vault's representations: dates are `YYYY-MM-DD`, datetimes are UTC
 * instants `YYYY-MM-DDTHH:MM:SS.sssZ`. Everything here is proleptic Gregorian, years 1–9999, and
 * follows PostgreSQL where the two could differ (adding a month clamps to the month's last day).
 * These functions serve the JS backend, the SQLite functions and literal checking alike.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/
const DAY_MS = 86_400_000

export interface DateParts {
  readonly year: number
  readonly month: number
  readonly day: number
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** True when the parts name a real day in years 1–9999. */
export function isValidDate(year: number, month: number, day: number): boolean {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

export function formatDateParts(p: DateParts): string {
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`
}

/** `YYYY-MM-DD` to parts, or undefined when it is not a real date. */
export function parseDate(text: string): DateParts | undefined {
  const m = DATE.exec(text)
  if (m === null) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return isValidDate(year, month, day) ? { year, month, day } : undefined
}

/** Days since 1970-01-01 (negative before). */
export function epochDay(p: DateParts): number {
  const d = new Date(0)
  d.setUTCFullYear(p.year, p.month - 1, p.day)
  return Math.round(d.getTime() / DAY_MS)
}

export function fromEpochDay(days: number): DateParts | undefined {
  const d = new Date(days * DAY_MS)
  const p = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
  return isValidDate(p.year, p.month, p.day) ? p : undefined
}

/** Adds months, clamping the day to the target month's length (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(p: DateParts, months: number): DateParts | undefined {
  const total = p.year * 12 + (p.month - 1) + months
  const year = Math.floor(total / 12)
  const month = total - year * 12 + 1
  if (year < 1 || year > 9999) return undefined
  return { year, month, day: Math.min(p.day, daysInMonth(year, month)) }
}

/** Whole months from `a` to `b`, truncated toward zero (PostgreSQL's `age()` field rule). */
export function monthsBetween(a: DateParts, b: DateParts): number {
  const sign = epochDay(b) >= epochDay(a) ? 1 : -1
  const [from, to] = sign === 1 ? [a, b] : [b, a]
  const months = (to.year - from.year) * 12 + (to.month - from.month) - (to.day < from.day ? 1 : 0)
  return sign * months
}

/**
 * Parses an ISO 8601 datetime with a zone designator (`Z` or `±HH:MM`) and returns the instant as
 * `YYYY-MM-DDTHH:MM:SS.sssZ`; digits after milliseconds are cut off. Undefined when invalid.
 */
export function normalizeDatetime(text: string): string | undefined {
  const m = DATETIME.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])]
  const second = m[6] === undefined ? 0 : Number(m[6])
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(1, 4).padEnd(3, '0'))
  const zone = m[8]!.toUpperCase() === 'Z' ? 0 : zoneOffsetMinutes(m[8]!)
  if (zone === undefined) return undefined
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute - zone, second, ms)
  return isoFromTime(d.getTime())
}

function zoneOffsetMinutes(zone: string): number | undefined {
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2, 4))
  if (hours > 23 || minutes > 59) return undefined
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
}

/** Milliseconds since the epoch as the vault's datetime text, or undefined outside years 1–9999. */
export function isoFromTime(time: number): string | undefined {
  if (!Number.isFinite(time)) return undefined
  const d = new Date(time)
  const year = d.getUTCFullYear()
  if (year < 1 || year > 9999) return undefined
  const date = formatDateParts({ year, month: d.getUTCMonth() + 1, day: d.getUTCDate() })
  return `${date}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`
}

/** The vault's datetime text as milliseconds since the epoch. */
export function timeFromIso(iso: string): number {
  return Date.parse(iso)
}

export interface LocalParts extends DateParts {
  readonly hour: number
  readonly minute: number
  readonly second: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The canonical IANA name of `timeZone`, or undefined when Node does not know it. */
export function canonicalTimeZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

/** The wall-clock fields of the instant `time` in `timeZone` (an IANA name). */
export function localParts(time: number, timeZone: string): LocalParts {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    const options = {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    } as const
    f = new Intl.DateTimeFormat('en-US', options)
    formatters.set(timeZone, f)
  }
  const fields: Record<string, number> = {}
  for (const part of f.formatToParts(new Date(time))) fields[part.type] = Number(part.value)
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    hour: fields.hour!,
    minute: fields.minute!,
    second: fields.second!,
  }
}
