/**
 * A System's `execution:` block: how the executor writes to the system (DESIGN.md §8 "Execution"):
 * how many operations run at once, and how a retryable failure is tried again, with a delay that
 * doubles after each try up to a cap. A `Retry-After` the target sends wins over the computed delay.
 *
 * @example
 * execution:
 *   concurrency: 8
 *   maxAttempts: 5
 *   retryDelay: 500ms
 *   maxRetryDelay: 30s
 */
import { z } from 'zod'
import { durationSchema } from '../core/index.ts'
import { configHints } from './schema-walk.ts'

/** The resolved `execution:` block; delays in milliseconds. */
export interface ExecutionConfig {
  /** Operations against this system that run at the same time, 1..64. @default 4 */
  readonly concurrency: number
  /** Tries of an operation whose failure is retryable, the first included. @default 5 */
  readonly maxAttempts: number
  /** Wait before the second try; doubled before each further try. @default 1000 (1s) */
  readonly retryDelayMs: number
  /** The longest wait between two tries. @default 60000 (1m) */
  readonly maxRetryDelayMs: number
}

/** What a System without an `execution:` block (or without some of its keys) gets. */
export const DEFAULT_EXECUTION: ExecutionConfig = {
  concurrency: 4,
  maxAttempts: 5,
  retryDelayMs: 1000,
  maxRetryDelayMs: 60_000,
}

// The hint shown with a wrong duration in a YAML file (core has no config hints).
configHints.add(durationSchema, { expected: "a duration: milliseconds (1500) or text with a unit ('1s')" })

/** The `execution:` block of a System document. */
export const executionSchema = z
  .strictObject({
    /** Operations against this system that run at the same time. @default 4 */
    concurrency: z.number().int().min(1).max(64).optional(),
    /** Tries of an operation whose failure is retryable, the first included; 1 means no retry. @default 5 */
    maxAttempts: z.number().int().min(1).max(100).optional(),
    /** Wait before the second try, doubled before each further try. @default '1s' */
    retryDelay: durationSchema.optional(),
    /** The longest wait between two tries. @default '1m' */
    maxRetryDelay: durationSchema.optional(),
  })
  .superRefine((block, ctx) => {
    const first = block.retryDelay ?? DEFAULT_EXECUTION.retryDelayMs
    const cap = block.maxRetryDelay ?? DEFAULT_EXECUTION.maxRetryDelayMs
    if (first <= cap) return
    ctx.addIssue({
      code: 'custom',
      path: [block.maxRetryDelay === undefined ? 'retryDelay' : 'maxRetryDelay'],
      message: `retryDelay (${first} ms) is longer than maxRetryDelay (${cap} ms), the longest wait between two tries.`,
      input: block.maxRetryDelay ?? block.retryDelay,
    })
  })

/** The `execution:` block as written, durations in milliseconds. */
export type ExecutionDocument = z.output<typeof executionSchema>

/** The block with the defaults applied. */
export function resolveExecution(block: ExecutionDocument | undefined): ExecutionConfig {
  return {
    concurrency: block?.concurrency ?? DEFAULT_EXECUTION.concurrency,
    maxAttempts: block?.maxAttempts ?? DEFAULT_EXECUTION.maxAttempts,
    retryDelayMs: block?.retryDelay ?? DEFAULT_EXECUTION.retryDelayMs,
    maxRetryDelayMs: block?.maxRetryDelay ?? DEFAULT_EXECUTION.maxRetryDelayMs,
  }
}

/** The execution settings of a system; hand-built configurations without them get the defaults. */
export function executionOf(system: { readonly execution?: ExecutionConfig | undefined }): ExecutionConfig {
  return system.execution ?? DEFAULT_EXECUTION
}
