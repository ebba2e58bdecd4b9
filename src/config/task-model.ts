/**
 * A Task as the rest of Provisio sees it (docs/tasks.md): a sync (collect, evaluate, execute) or an
 * export (a filter's rows to a CSV file), with an optional schedule. Resolved by task-checks.ts.
 */
import type { Value } from '../core/index.ts'
import type { LoadedDocument } from './loaded-document.ts'

/** When a task runs by itself: a cron pattern read in an IANA time zone (croner). */
export interface TaskSchedule {
  readonly cron: string
  /** IANA zone name; absent means the zone of the machine that schedules. */
  readonly timeZone?: string | undefined
}

interface TaskBase {
  readonly name: string
  readonly description?: string | undefined
  /** A disabled task is not scheduled; `provisio task run` still runs it. */
  readonly enabled: boolean
  readonly schedule?: TaskSchedule | undefined
  /** Milliseconds after which a run is aborted. */
  readonly maxDuration?: number | undefined
  readonly file: string
  readonly document: LoadedDocument
}

/** Collect systems, evaluate jobs into plans, execute them: each stage optional, at least one present. */
export interface SyncTaskConfig extends TaskBase {
  readonly type: 'sync'
  /** Systems collected first, in order, as declared. */
  readonly collect: readonly string[]
  /** Jobs evaluated, in order, as declared. */
  readonly evaluate: readonly string[]
  /** Execute the evaluated plans (false when nothing is evaluated). */
  readonly execute: boolean
  /** Execute only after a person approved the evaluated plans (`provisio runs approve`). */
  readonly approval: boolean
}

/** A filter's rows written to a CSV file inside the project folder, with rotation. */
export interface ExportTaskConfig extends TaskBase {
  readonly type: 'export'
  readonly filter: string
  readonly parameters: Readonly<Record<string, Value>>
  /** The file pattern relative to the project folder, with {date}, {datetime} and {task}. */
  readonly filePattern: string
  /** Files matching the pattern kept after a run, the newest; absent keeps them all. */
  readonly keep?: number | undefined
  readonly delimiter: string
}

export type TaskConfig = SyncTaskConfig | ExportTaskConfig
