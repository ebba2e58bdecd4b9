/**
 * Dates as day numbers (days since 1970-01-01), which make "start plus six months" plain integer
 * arithmetic and never depend on the machine's time zone. Conversions follow Howard Hinnant's
 * `days_from_civil` / `civil_from_days` algorithms (http://howardhinnant.github.io/date_algorithms.html).
 */

/** Day number of a proleptic Gregorian date. */
export function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** Year, month (1–12) and day of a day number. */
export function civilOf(days: number): [year: number, month: number, day: number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

/** Formats a day number the way the HR export writes dates: DD-MM-YYYY. */
export function formatDay(days: number): string {
  const [y, m, d] = civilOf(days)
  return `${d < 10 ? '0' : ''}${d}-${m < 10 ? '0' : ''}${m}-${y}`
}

/** Parses YYYY-MM-DD into a day number, or returns undefined when it is not a real calendar date. */
export function parseIsoDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (match === null) return undefined
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const days = dayOf(y, m, d)
  const [y2, m2, d2] = civilOf(days)
  return y2 === y && m2 === m && d2 === d ? days : undefined
}

/** Days in a year, close enough for ages and tenures. */
export const DAYS_PER_YEAR = 365.25
