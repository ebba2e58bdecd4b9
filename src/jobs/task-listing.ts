/**
 * A task as `provisio task list` and GET /api/tasks show it: its schedule and its next run time, as
 * an instant and as the task's time zone reads it.
 */
import { zonedParts } from '../core/index.ts'
import { type TaskConfig, type TaskSchedule, nextTaskRun } from '../config/index.ts'

/** `2026-12-06 02:00 Europe/Amsterdam`: a time as the task's zone reads it. */
export function formatInZone(at: Date, timeZone: string | undefined): string {
  const p = zonedParts(at, timeZone)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${timeZone ?? p.zoneName}`.trim()
}

export interface TaskListing {
  readonly name: string
  readonly type: TaskConfig['type']
  readonly enabled: boolean
  readonly description?: string
  readonly schedule: TaskSchedule | null
  /** The next scheduled run (ISO 8601); null when the task is disabled or has no schedule. */
  readonly nextRun: string | null
  readonly nextRunText: string
}

export function taskListing(task: TaskConfig, now: Date): TaskListing {
  const next = task.schedule !== undefined && task.enabled ? nextTaskRun(task.schedule, now) : undefined
  return {
    name: task.name,
    type: task.type,
    enabled: task.enabled,
    ...(task.description === undefined ? {} : { description: task.description }),
    schedule: task.schedule ?? null,
    nextRun: next?.toISOString() ?? null,
    nextRunText: next === undefined ? '-' : formatInZone(next, task.schedule?.timeZone),
  }
}
