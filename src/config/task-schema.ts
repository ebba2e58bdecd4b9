/**
 * The `Task` document (docs/tasks.md): a sync task (collect systems, evaluate jobs, execute their
 * plans) or an export task (a filter's rows to a CSV file), with an optional schedule. Which keys
 * belong to which type is checked by task-checks.ts, where the message can name the type.
 *
 * @example
 * kind: Task
 * name: nightly_sync
 * type: sync
 * schedule: { cron: '0 2 * * *', timeZone: Europe/Amsterdam }
 * collect: [hr500, directory]
 * evaluate: [directory_accounts]
 */
import { z } from 'zod'
import { durationSchema } from '../core/index.ts'

const nameList = z.array(z.string().min(1))

/** A whole `kind: Task` document. Objects are strict: unknown keys are errors. */
export const taskSchema = z.strictObject({
  kind: z.literal('Task'),
  name: z.string(),
  description: z.string().optional(),
  /** `sync`: collect, evaluate, execute. `export`: a filter's rows to a CSV file. */
  type: z.enum(['sync', 'export']),
  /** A disabled task is not scheduled; `provisio task run` still runs it. @default true */
  enabled: z.boolean().optional(),
  /** When the task runs by itself: a cron pattern, read in `timeZone` (an IANA name). */
  schedule: z
    .strictObject({
      cron: z.string().min(1),
      /** @default the time zone of the machine */
      timeZone: z.string().min(1).optional(),
    })
    .optional(),
  /** A run still going after this long is aborted and recorded as failed. @default no limit */
  maxDuration: durationSchema.optional(),
  /** sync: the systems collected first, in order. */
  collect: nameList.optional(),
  /** sync: the jobs evaluated, in order, into one plan each. */
  evaluate: nameList.optional(),
  /** sync: execute the evaluated plans, in order. @default true when `evaluate` is given */
  execute: z.boolean().optional(),
  /** sync: after evaluating, wait as `awaiting-approval` until `provisio runs approve|reject ID`. @default false */
  approval: z.boolean().optional(),
  /** export: the filter whose rows are written. */
  filter: z.string().min(1).optional(),
  /** export: values for the filter's parameters. @default the filter's defaults */
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** export: the CSV file, relative to the project folder; {date}, {datetime} and {task} are filled in. */
  file: z.string().min(1).optional(),
  /** export: how many files matching `file` are kept, the newest. @default all */
  keep: z.number().int().min(1).optional(),
  /** export: the field delimiter, one character. @default ',' */
  delimiter: z.string().length(1).optional(),
})

/** A Task document as written, after the schema has checked its shape. */
export type TaskDocument = z.output<typeof taskSchema>
