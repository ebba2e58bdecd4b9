/**
 * core: the glossary's types, the error model, and small pure helpers. No I/O lives here, and every
 * other layer may import it.
 */
export * from './errors/index.ts'
export * from './data-model.ts'
export { closestMatch, didYouMean } from './did-you-mean.ts'
export { type Logger, silentLogger } from './logger.ts'
export { type Clock, systemClock, type ZonedParts, zonedParts } from './clock.ts'
export { type ProgressEvent, type ProgressListener, noProgress } from './progress.ts'
export { durationSchema } from './duration.ts'
export { escapeDnValue } from './dn-escape.ts'
export { secretRef, resolveReferences, resolveAllReferences, type SecretSource } from './secret-ref.ts'
