/** Time as the engine sees it; tests inject a fixed or stepping clock. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** The calendar and clock parts of a moment as a time zone reads it (two digits each, 24-hour). */
export interface ZonedParts {
  readonly year: string
  readonly month: string
  readonly day: string
  readonly hour: string
  readonly minute: string
  readonly second: string
  /** The zone's short name at that moment (`CET`, `GMT+1`). */
  readonly zoneName: string
}

/**
 * `at` as `timeZone` (an IANA name; the machine's zone when absent) reads it: what export file names
 * and next-run times are written in, so that a task scheduled at 02:00 Amsterdam time says 02:00.
 */
export function zonedParts(at: Date, timeZone: string | undefined): ZonedParts {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  )
  const part = (name: string) => parts[name] ?? ''
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
    zoneName: part('timeZoneName'),
  }
}
