/**
 * date_add, date_diff and the date-part functions, on the vault's text representations. Datetime
 * arithmetic runs on the UTC calendar (a day is always 24 hours), which is what the PostgreSQL
 * compiler reproduces with `AT TIME ZONE 'UTC'`, whatever the session's time zone is.
 */
import {
  addMonths,
  type DateParts,
  epochDay,
  formatDateParts,
  fromEpochDay,
  isoFromTime,
  localParts,
  monthsBetween,
  parseDate,
  timeFromIso,
} from './dates.ts'

export const DATE_UNITS = ['day', 'month', 'year'] as const
export const DATETIME_UNITS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const
export const DATE_DIFF_UNITS = ['day', 'month', 'year'] as const
export const DATETIME_DIFF_UNITS = ['second', 'minute', 'hour', 'day'] as const
export type DateUnit = (typeof DATETIME_UNITS)[number]
export type DatePart = 'year' | 'month' | 'day'

const UNIT_MS: Readonly<Record<string, number>> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 }

function shift(p: DateParts, n: number, unit: DateUnit): DateParts | undefined {
  if (unit === 'day') return fromEpochDay(epochDay(p) + n)
  return addMonths(p, unit === 'year' ? n * 12 : n)
}

/** `date` plus `n` days, months or years; months and years clamp to the month's last day. */
export function dateAdd(date: string | null, n: number | null, unit: DateUnit): string | null {
  if (date === null || n === null) return null
  const p = parseDate(date)
  const result = p === undefined ? undefined : shift(p, n, unit)
  return result === undefined ? null : formatDateParts(result)
}

/** `datetime` plus `n` units on the UTC calendar. */
export function datetimeAdd(datetime: string | null, n: number | null, unit: DateUnit): string | null {
  if (datetime === null || n === null) return null
  const time = timeFromIso(datetime)
  const ms = UNIT_MS[unit]
  if (ms !== undefined && unit !== 'day') return isoFromTime(time + n * ms) ?? null
  const d = new Date(time)
  const day = shift({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, n, unit)
  if (day === undefined) return null
  const timeOfDay = time - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  return isoFromTime(epochDay(day) * UNIT_MS.day! + timeOfDay) ?? null
}

/** Whole units from `a` to `b` (negative when `b` is earlier), truncated toward zero. */
export function dateDiff(unit: 'day' | 'month' | 'year', a: string | null, b: string | null): number | null {
  if (a === null || b === null) return null
  const pa = parseDate(a)
  const pb = parseDate(b)
  if (pa === undefined || pb === undefined) return null
  if (unit === 'day') return epochDay(pb) - epochDay(pa)
  const months = monthsBetween(pa, pb)
  return unit === 'month' ? months : Math.trunc(months / 12) + 0
}

export function datetimeDiff(
  unit: 'second' | 'minute' | 'hour' | 'day',
  a: string | null,
  b: string | null,
): number | null {
  if (a === null || b === null) return null
  return Math.trunc((timeFromIso(b) - timeFromIso(a)) / UNIT_MS[unit]!) + 0
}

/** The year, month or day of a date. */
export function datePart(part: DatePart, date: string | null): number | null {
  if (date === null) return null
  const p = parseDate(date)
  return p === undefined ? null : p[part]
}

/** The year, month or day of a datetime's wall-clock time in `timeZone`. */
export function datetimePart(part: DatePart, datetime: string | null, timeZone: string): number | null {
  return datetime === null ? null : localParts(timeFromIso(datetime), timeZone)[part]
}

/** The date in `timeZone` at the instant `now`. */
export function todayIn(now: Date, timeZone: string): string {
  return formatDateParts(localParts(now.getTime(), timeZone))
}

/** The date of a datetime in `timeZone`. */
export function dateOf(datetime: string | null, timeZone: string): string | null {
  return datetime === null ? null : formatDateParts(localParts(timeFromIso(datetime), timeZone))
}
