/**
 * Building the typed events of a run (src/core/events.ts) from what the jobs layer has at hand, and
 * handing them to the run's EventSink. Every builder is skipped when the sink does not want the
 * type: a plan of a million operations builds a million `mapping.executed` events only when an
 * EventAction listens to them.
 */
import type {
  Clock,
  EventPlanStep,
  EventSink,
  EventType,
  ProvisioError,
  ProvisioEvent,
  TaskFinishedEvent,
} from '../core/index.ts'
import type { CollectionResult, OperationOutcome } from '../vault/index.ts'
import type { JobEvaluation, JobStepEvaluation } from './run-job.ts'
import { plannedOperations } from './plan-outcome.ts'

/** Where a run's events come from: the run, and the task it belongs to. */
export interface EventContext {
  readonly events?: EventSink | undefined
  readonly clock: Clock
  readonly runId?: number | undefined
  readonly task?: string | undefined
}

/** Emits the event `build` makes, when the sink wants its type. */
function emit(context: EventContext, type: EventType, build: (at: string) => ProvisioEvent): void {
  const events = context.events
  if (events === undefined || !events.wants(type)) return
  events.emit(build(context.clock.now().toISOString()))
}

function base(context: EventContext, at: string) {
  return {
    at,
    ...(context.runId === undefined ? {} : { runId: context.runId }),
    ...(context.task === undefined ? {} : { task: context.task }),
  }
}

export function emitCollectionFinished(context: EventContext, result: CollectionResult): void {
  emit(context, 'collection.finished', (at) => ({
    type: 'collection.finished',
    name: result.system,
    success: true,
    ...base(context, at),
    system: result.system,
    collectionId: result.id,
    durationMs: result.durationMs,
    rows: result.tables.reduce((n, t) => n + t.rowsAfter, 0),
    tables: result.tables.map((t) => ({
      table: t.table,
      rows: t.rowsAfter,
      added: t.added,
      changed: t.changed,
      removed: t.removed,
    })),
  }))
}

/** A collection that was not committed: a guard rejected it, or reading failed. */
export function emitCollectionRejected(context: EventContext, system: string, error: Error): void {
  emit(context, 'collection.rejected', (at) => ({
    type: 'collection.rejected',
    name: system,
    success: false,
    ...base(context, at),
    system,
    ...((error as Partial<ProvisioError>).code === undefined ? {} : { code: (error as ProvisioError).code }),
    message: error.message,
  }))
}

function eventStep(step: JobStepEvaluation): EventPlanStep {
  return {
    step: step.index,
    mapping: step.mapping,
    system: step.system,
    table: step.table,
    function: step.function,
    operations: step.operations,
    unchanged: step.unchanged,
    failed: step.failed,
    ...(step.threshold === undefined ? {} : { threshold: step.threshold.described }),
    exceeded: step.threshold?.exceeded === true,
  }
}

/** `job.evaluated`, and `job.stopped` when a threshold stopped the plan. */
export function emitEvaluation(context: EventContext, evaluation: JobEvaluation): void {
  emit(context, 'job.evaluated', (at) => ({
    type: 'job.evaluated',
    name: evaluation.job,
    success: !evaluation.stopped,
    ...base(context, at),
    job: evaluation.job,
    planId: evaluation.planId,
    planned: plannedOperations(evaluation),
    stopped: evaluation.stopped,
    steps: evaluation.steps.map(eventStep),
  }))
  if (!evaluation.stopped) return
  emit(context, 'job.stopped', (at) => ({
    type: 'job.stopped',
    name: evaluation.job,
    success: false,
    ...base(context, at),
    job: evaluation.job,
    planId: evaluation.planId,
    exceeded: evaluation.exceeded.map(eventStep),
  }))
}

/**
 * The listener for an execution's outcomes: `mapping.executed` for every operation and
 * `operation.failed` for each that failed. Undefined when the sink wants neither, so the executor
 * is not slowed down for nothing.
 */
export function outcomeListener(
  context: EventContext,
  job: string | undefined,
): ((outcome: OperationOutcome) => void) | undefined {
  const events = context.events
  if (events === undefined) return undefined
  const everyOutcome = events.wants('mapping.executed')
  if (!everyOutcome && !events.wants('operation.failed')) return undefined
  return (outcome) => {
    // Only failures are wanted: a million succeeded operations build nothing.
    if (!everyOutcome && outcome.status !== 'failed') return
    const op = outcome.operation
    const fields = {
      name: op.mapping,
      mapping: op.mapping,
      ...(job === undefined ? {} : { job }),
      planId: op.planId,
      seq: op.seq,
      operationId: op.id,
      system: op.system,
      table: op.table,
      function: op.function,
      ...(op.keyColumn === undefined ? {} : { keyColumn: op.keyColumn }),
      ...(op.keyValue === undefined ? {} : { key: scalarKey(op.keyValue) }),
      // Stored attributes never hold a secret parameter's value: only its name is in `secrets`.
      attributes: op.attributes,
      secrets: op.secrets,
      status: outcome.status,
      ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
      ...(outcome.message === undefined ? {} : { message: outcome.message }),
    }
    emit(context, 'mapping.executed', (at) => ({
      type: 'mapping.executed',
      success: outcome.status !== 'failed',
      ...base(context, at),
      ...fields,
    }))
    if (outcome.status === 'failed') {
      emit(context, 'operation.failed', (at) => ({
        type: 'operation.failed',
        success: false,
        ...base(context, at),
        ...fields,
      }))
    }
  }
}

function scalarKey(value: unknown): string | number | boolean | null {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value
  return JSON.stringify(value)
}

export function emitTaskFinished(
  context: EventContext & { readonly runId: number; readonly task: string },
  finished: Pick<TaskFinishedEvent, 'taskType' | 'status' | 'counts' | 'planIds'> & {
    readonly error?: Error | undefined
  },
): void {
  const { error, ...fields } = finished
  emit(context, 'task.finished', (at) => ({
    type: 'task.finished',
    name: context.task,
    success: fields.status === 'succeeded',
    ...base(context, at),
    runId: context.runId,
    task: context.task,
    ...fields,
    ...((error as Partial<ProvisioError> | undefined)?.code === undefined
      ? {}
      : { errorCode: (error as ProvisioError).code }),
    ...(error === undefined ? {} : { message: error.message }),
  }))
}
