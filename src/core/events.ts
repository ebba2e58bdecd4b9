/**
 * Typed events (DESIGN.md §2, docs/events.md): what happened during a run, as plain JSON-safe data.
 * Defined in core because the config layer checks EventActions against them; the jobs layer emits
 * them into an EventSink; the events layer (src/events) matches them against the project's
 * EventActions (mail, webhook). An event never carries a secret: operation attributes
 * are the stored ones, in which a secret parameter is never present (only its name, in `secrets`).
 */
import type { ColumnType, Row, Value } from './data-model.ts'

/** Every event type, the `event:` of an EventAction. */
export const EVENT_TYPES = [
  'collection.finished',
  'collection.rejected',
  'job.evaluated',
  'job.stopped',
  'operation.failed',
  'mapping.executed',
  'run.awaiting-approval',
  'task.finished',
] as const

export type EventType = (typeof EVENT_TYPES)[number]

/** What every event has. */
interface EventBase {
  readonly type: EventType
  /** The system, job, mapping or task the event is about: what an EventAction's `name` matches. */
  readonly name: string
  /** Whether what happened went well: what an EventAction's `on: success | failure` matches. */
  readonly success: boolean
  /** When it happened (ISO 8601, UTC). */
  readonly at: string
  /** The run it happened in, when there is one. */
  readonly runId?: number | undefined
  /** The task the run belongs to, when a task runs. */
  readonly task?: string | undefined
}

/** A system's collection committed to the vault. */
export interface CollectionFinishedEvent extends EventBase {
  readonly type: 'collection.finished'
  readonly system: string
  readonly collectionId: number
  readonly durationMs: number
  /** Rows in the vault after the collection, all tables. */
  readonly rows: number
  readonly tables: readonly {
    readonly table: string
    readonly rows: number
    readonly added: number
    readonly changed: number
    readonly removed: number
  }[]
}

/** A collection was not committed: a guard rejected it, or reading failed. */
export interface CollectionRejectedEvent extends EventBase {
  readonly type: 'collection.rejected'
  readonly success: false
  readonly system: string
  readonly code?: string | undefined
  readonly message: string
}

/** One plan step of a job evaluation, as events report it. */
export interface EventPlanStep {
  readonly step: number
  readonly mapping: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly operations: number
  readonly unchanged: number
  readonly failed: number
  /** The threshold as written (`10%`, `500`), when the step has one. */
  readonly threshold?: string | undefined
  readonly exceeded: boolean
}

/** A job was evaluated into a stored plan. `success` is false when a threshold stopped it. */
export interface JobEvaluatedEvent extends EventBase {
  readonly type: 'job.evaluated'
  readonly job: string
  readonly planId: number
  /** Operations planned, all steps. */
  readonly planned: number
  readonly stopped: boolean
  readonly steps: readonly EventPlanStep[]
}

/** A job's plan was stopped by a threshold: nothing of it is executed. */
export interface JobStoppedEvent extends EventBase {
  readonly type: 'job.stopped'
  readonly success: false
  readonly job: string
  readonly planId: number
  /** The steps whose threshold was exceeded. */
  readonly exceeded: readonly EventPlanStep[]
}

/** One operation as events report it: a mapping executed for one row. */
interface OperationEventBase extends EventBase {
  readonly mapping: string
  readonly job?: string | undefined
  readonly planId: number
  readonly seq: number
  readonly operationId: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly keyColumn?: string | undefined
  readonly key?: string | number | boolean | null | undefined
  /** The values written, by parameter name; secret parameters are never here. */
  readonly attributes: Row
  /** Names of the secret parameters the operation set (their values are never in an event). */
  readonly secrets: readonly string[]
  readonly status: 'succeeded' | 'failed' | 'skipped'
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
}

/** A mapping was executed for one row (one per operation, whatever its outcome). */
export interface MappingExecutedEvent extends OperationEventBase {
  readonly type: 'mapping.executed'
}

/** An operation failed (after its retries). */
export interface OperationFailedEvent extends OperationEventBase {
  readonly type: 'operation.failed'
  readonly success: false
}

/** A task run evaluated its jobs and waits for `provisio runs approve|reject`. */
export interface RunAwaitingApprovalEvent extends EventBase {
  readonly type: 'run.awaiting-approval'
  readonly runId: number
  readonly task: string
  readonly planIds: readonly number[]
  readonly planned: number
}

/** A task run ended, whatever the outcome. */
export interface TaskFinishedEvent extends EventBase {
  readonly type: 'task.finished'
  readonly runId: number
  readonly task: string
  readonly taskType: 'sync' | 'export'
  /** The run's status (`succeeded`, `failed`, `partially-failed`, `stopped`, `interrupted`, `awaiting-approval`, `rejected`). */
  readonly status: string
  readonly counts: Readonly<Record<string, number>>
  /** The plans the run evaluated, in job order: what a template's plan report shows. */
  readonly planIds: readonly number[]
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
}

export type ProvisioEvent =
  | CollectionFinishedEvent
  | CollectionRejectedEvent
  | JobEvaluatedEvent
  | JobStoppedEvent
  | MappingExecutedEvent
  | OperationFailedEvent
  | RunAwaitingApprovalEvent
  | TaskFinishedEvent

/**
 * Where events go. `emit` is called synchronously and must not throw; a sink that does slow work
 * (mail, webhooks) queues it. `wants` lets the emitter skip building events nobody listens to:
 * a plan of a million operations makes a million `mapping.executed` events only when asked for.
 */
export interface EventSink {
  wants(type: EventType): boolean
  emit(event: ProvisioEvent): void
}

/** The scalar fields every event has, as an EventAction's `filter:` reads them. */
const BASE_FIELDS = {
  type: 'string',
  name: 'string',
  success: 'boolean',
  at: 'datetime',
  runId: 'integer',
  task: 'string',
} as const satisfies Record<string, ColumnType>

const OPERATION_FIELDS = {
  ...BASE_FIELDS,
  mapping: 'string',
  job: 'string',
  planId: 'integer',
  seq: 'integer',
  operationId: 'string',
  system: 'string',
  table: 'string',
  function: 'string',
  keyColumn: 'string',
  key: 'string',
  status: 'string',
  errorCode: 'string',
  message: 'string',
} as const satisfies Record<string, ColumnType>

/**
 * The scalar fields of each event type, with the expression type an EventAction's `filter:` sees
 * them as (docs/events.md). Lists (tables, steps, planIds, secrets) are not fields: an expression
 * compares scalars. `key` reads as text whatever the key column's type.
 */
export const EVENT_FIELDS: Readonly<Record<EventType, Readonly<Record<string, ColumnType>>>> = {
  'collection.finished': {
    ...BASE_FIELDS,
    system: 'string',
    collectionId: 'integer',
    durationMs: 'integer',
    rows: 'integer',
  },
  'collection.rejected': { ...BASE_FIELDS, system: 'string', code: 'string', message: 'string' },
  'job.evaluated': { ...BASE_FIELDS, job: 'string', planId: 'integer', planned: 'integer', stopped: 'boolean' },
  'job.stopped': { ...BASE_FIELDS, job: 'string', planId: 'integer' },
  'operation.failed': OPERATION_FIELDS,
  'mapping.executed': OPERATION_FIELDS,
  'run.awaiting-approval': { ...BASE_FIELDS, planned: 'integer' },
  'task.finished': { ...BASE_FIELDS, taskType: 'string', status: 'string', errorCode: 'string', message: 'string' },
}

/** The figures a `task.finished` event's `counts` may hold; each reads as `counts.<name>`, 0 when the run had no such stage. */
export const TASK_COUNT_NAMES = [
  'collected',
  'collectedRows',
  'evaluated',
  'planned',
  'settledInDoubt',
  'succeeded',
  'failed',
  'skipped',
  'exportedRows',
] as const

/**
 * The row an EventAction's `filter:` expression is evaluated on: the event's scalar fields by name
 * (absent ones null), `counts.<name>` for a task.finished event's figures and `attributes.<name>`
 * for an operation's attributes. Attributes read as text (numbers and booleans as written, several
 * values joined with `|`), since their types depend on the mapping.
 */
export function eventFilterRow(event: ProvisioEvent): Record<string, Value> {
  const row: Record<string, Value> = {}
  for (const field of Object.keys(EVENT_FIELDS[event.type])) row[field] = eventFieldValue(event, field)
  if (event.type === 'task.finished') {
    for (const name of TASK_COUNT_NAMES) row[`counts.${name}`] = 0
    for (const name of Object.keys(event.counts)) row[`counts.${name}`] = eventCountValue(event, name)
  }
  if (event.type === 'mapping.executed' || event.type === 'operation.failed') {
    for (const name of Object.keys(event.attributes)) row[`attributes.${name}`] = eventAttributeValue(event, name)
  }
  return row
}

/** One scalar field of an event as a filter reads it: null when absent, the key as text. */
export function eventFieldValue(event: ProvisioEvent, field: string): Value {
  const value = (event as unknown as Readonly<Record<string, Value | undefined>>)[field]
  return value === undefined || value === null ? null : field === 'key' ? String(value) : value
}

/** One of a task.finished event's figures as a filter reads it (0 when the run had none). */
export function eventCountValue(event: ProvisioEvent, name: string): Value {
  return event.type === 'task.finished' ? (event.counts[name] ?? 0) : null
}

/** One of an operation's attributes as a filter reads it: text, or null. */
export function eventAttributeValue(event: ProvisioEvent, name: string): Value {
  if (event.type !== 'mapping.executed' && event.type !== 'operation.failed') return null
  const value = event.attributes[name]
  return value === undefined ? null : attributeText(value)
}

function attributeText(value: Value): string | null {
  if (value === null) return null
  if (Array.isArray(value)) return value.join('|')
  return String(value)
}
