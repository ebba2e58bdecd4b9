/**
 * A task's schedule read with croner: checking a cron pattern and a time zone, and the next time a
 * schedule fires. Kept here so validation and `provisio task list` read a schedule the same way.
 */
import { Cron } from 'croner'
import type { TaskSchedule } from './task-model.ts'

/** Croner's complaint about a cron pattern (`Invalid value for hour: 25`), or undefined when it is valid. */
export function cronPatternProblem(pattern: string): string | undefined {
  try {
    new Cron(pattern, { paused: true }).stop()
    return undefined
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern:\s*/, '')
  }
}

/** Whether `zone` is an IANA time zone this Node.js knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The IANA time zones this Node.js knows, for did-you-mean. */
export function timeZoneNames(): string[] {
  return Intl.supportedValuesOf('timeZone')
}

/** The first time after `after` that `schedule` fires, or undefined when it never fires again. */
export function nextTaskRun(schedule: TaskSchedule, after: Date): Date | undefined {
  // A paused job keeps no timer running, and is stopped at once all the same.
  const cron = new Cron(schedule.cron, {
    paused: true,
    ...(schedule.timeZone === undefined ? {} : { timezone: schedule.timeZone }),
  })
  try {
    return cron.nextRun(after) ?? undefined
  } finally {
    cron.stop()
  }
}
