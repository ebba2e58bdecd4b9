/**
 * The event types and the fields an EventAction's `filter:` reads (core's EVENT_FIELDS), each with a
 * sentence for the Studio's filter help (docs/events.md says the same). The types come from core, so
 * a field added there is listed here at once; only its sentence falls back to a generic one.
 */
import { EVENT_FIELDS, EVENT_TYPES, type EventType, TASK_COUNT_NAMES } from '../../core/index.ts'

const TYPE_DESCRIPTIONS: Readonly<Record<EventType, string>> = {
  'collection.finished': "A system's collection was committed to the vault.",
  'collection.rejected': 'A collection was not committed: a guard rejected it, or reading failed.',
  'job.evaluated': 'A job was evaluated into a stored plan; `success` is false when a threshold stopped it.',
  'job.stopped': "A job's plan was stopped by a threshold: nothing of it is executed.",
  'operation.failed': 'An operation failed (after its retries).',
  'mapping.executed': 'A mapping was executed for one row (one event per operation, whatever its outcome).',
  'run.awaiting-approval': 'A task run evaluated its jobs and waits for approval.',
  'task.finished': 'A task run ended, whatever the outcome.',
}

const FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {
  type: 'The event type.',
  name: 'The system, job, mapping or task the event is about (what `source:` matches).',
  success: 'Whether it went well (what `on: success | failure` matches).',
  at: 'When it happened (UTC).',
  runId: 'The run it happened in.',
  task: 'The task the run belongs to, when a task runs.',
  system: 'The system.',
  collectionId: 'The collection stored in the vault.',
  durationMs: 'How long the collection took, in milliseconds.',
  rows: 'Rows in the vault after the collection, all tables.',
  code: 'The error code, when reading failed or a guard rejected the collection.',
  message: 'What went wrong, when something did.',
  job: 'The job.',
  planId: 'The stored plan.',
  planned: 'Operations planned, all steps.',
  stopped: 'Whether a threshold stopped the plan.',
  mapping: 'The mapping.',
  seq: "The operation's position in its plan.",
  operationId: 'The operation.',
  table: 'The target table.',
  function: 'The function the mapping calls (create, update, …).',
  keyColumn: "The column that identifies the operation's row.",
  key: "The row's key, as text.",
  status: 'The outcome (an operation: succeeded, failed, skipped; a run: succeeded, failed, partially-failed, …).',
  errorCode: 'The error code, when it failed.',
  taskType: 'sync or export.',
}

export interface EventFieldHelp {
  readonly name: string
  /** The expression type the filter sees the field as. */
  readonly type: string
  readonly description: string
}

export interface EventTypeHelp {
  readonly type: EventType
  readonly description: string
  readonly fields: EventFieldHelp[]
  /** Fields read by a prefix (`attributes.<name>`): their names depend on the mapping. */
  readonly fieldPatterns: EventFieldHelp[]
}

/** Every event type with the fields its filter reads. */
export function eventTypeHelp(): EventTypeHelp[] {
  return EVENT_TYPES.map((type) => {
    const fields: EventFieldHelp[] = Object.entries(EVENT_FIELDS[type]).map(([name, fieldType]) => ({
      name,
      type: fieldType,
      description: FIELD_DESCRIPTIONS[name] ?? `The event's ${name}.`,
    }))
    if (type === 'task.finished') {
      for (const count of TASK_COUNT_NAMES)
        fields.push({
          name: `counts.${count}`,
          type: 'integer',
          description: `The run's ${count} figure (0 when none).`,
        })
    }
    const operation = type === 'mapping.executed' || type === 'operation.failed'
    return {
      type,
      description: TYPE_DESCRIPTIONS[type],
      fields,
      fieldPatterns: operation
        ? [
            {
              name: 'attributes.<name>',
              type: 'string',
              description: 'A value the operation wrote, as text (several values joined with |); never a secret.',
            },
          ]
        : [],
    }
  })
}
