/**
 * core: the glossary's types, the error model, and small pure helpers. No I/O lives here but the
 * durable file write every layer that replaces a file shares (durable-write.ts), and every other
 * layer may import it.
 */
export * from './errors/index.ts'
export * from './data-model.ts'
export { closestMatch, didYouMean } from './did-you-mean.ts'
export { type Logger, silentLogger } from './logger.ts'
export { type Clock, systemClock, type ZonedParts, zonedParts } from './clock.ts'
export { type ProgressEvent, type ProgressListener, noProgress } from './progress.ts'
export { durationSchema } from './duration.ts'
export { type Sleep, sleep } from './sleep.ts'
export { escapeDnValue } from './dn-escape.ts'
export {
  type DurableWriteOptions,
  writeFileDurably,
  writeFileDurablySync,
  renameDurably,
  renameDurablySync,
  syncDirectory,
  syncDirectorySync,
  makeDirectoryDurably,
  makeDirectoryDurablySync,
} from './durable-write.ts'
export {
  secretRef,
  resolveReferences,
  resolveAllReferences,
  secretReferenceNames,
  type SecretSource,
} from './secret-ref.ts'
export {
  EVENT_TYPES,
  EVENT_FIELDS,
  TASK_COUNT_NAMES,
  eventFilterRow,
  eventFieldValue,
  eventCountValue,
  eventAttributeValue,
  type EventType,
  type EventSink,
  type ProvisioEvent,
  type EventPlanStep,
  type CollectionFinishedEvent,
  type CollectionRejectedEvent,
  type JobEvaluatedEvent,
  type JobStoppedEvent,
  type MappingExecutedEvent,
  type OperationFailedEvent,
  type RunAwaitingApprovalEvent,
  type TaskFinishedEvent,
} from './events.ts'
