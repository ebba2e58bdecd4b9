/**
 * The `Job` document (docs/jobs.md): ordered steps, each a mapping with an enabled flag and a
 * threshold, the most operations the step may plan before the job stops without writing anything
 * (DESIGN.md §8 "Thresholds"). This is the shape the user writes; job-checks.ts resolves it into a
 * {@link JobConfig}.
 *
 * @example
 * kind: Job
 * name: directory_accounts
 * steps:
 *   - create_accounts                  # shorthand for { mapping: create_accounts }
 *   - mapping: disable_leavers
 *     threshold: 5%
 */
import { z } from 'zod'
import type { OperationLimit } from './engine-model.ts'
import { configHints } from './schema-walk.ts'

const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/

/**
 * A threshold as written: a whole number of operations (`100`), or a percentage of the target
 * table's current rows (`'10%'`, decimals allowed). A percentage may exceed 100%: a create step may
 * add more rows than the table holds.
 */
export const thresholdSchema = z.union([z.number(), z.string()]).transform((raw, ctx): OperationLimit => {
  if (typeof raw === 'number') {
    if (Number.isSafeInteger(raw) && raw >= 0) return { kind: 'count', value: raw }
    ctx.addIssue({
      code: 'custom',
      message: `An operation count must be a whole number of 0 or more, received ${raw}.`,
    })
    return z.NEVER
  }
  const match = PERCENT.exec(raw.trim())
  if (match?.[1] === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `Expected a number of operations (100) or a percentage of the target table ('10%'), received '${raw}'.`,
    })
    return z.NEVER
  }
  return { kind: 'percent', value: Number(match[1]) }
})
configHints.add(thresholdSchema, { expected: "a number of operations (100) or a percentage ('10%')" })

const stepObject = z.strictObject({
  /** The Mapping the step evaluates and executes. */
  mapping: z.string().min(1),
  /** A disabled step is skipped; the job's other steps run. @default true */
  enabled: z.boolean().optional(),
  /**
   * The most operations the step may plan. @default none, except 10% of the target table for delete
   * and disable functions (applied by the jobs layer, which knows the function's semantics)
   */
  threshold: thresholdSchema.optional(),
})

/** A step: a mapping's name as shorthand, or a mapping with `mapping:` and options. */
export const stepSchema = z.preprocess((v) => (typeof v === 'string' ? { mapping: v } : v), stepObject)
configHints.add(stepSchema, { expected: 'a mapping name or a mapping with `mapping:`' })

/** A whole `kind: Job` document. Objects are strict: unknown keys are errors. */
export const jobSchema = z.strictObject({
  kind: z.literal('Job'),
  name: z.string(),
  description: z.string().optional(),
  /** In order; at least one. */
  steps: z.array(stepSchema).min(1),
})

/** A Job document as written, after the schema has checked its shape. */
export type JobDocument = z.output<typeof jobSchema>
/** A step as written, with the shorthand expanded to `{ mapping }`. */
export type StepDocument = z.output<typeof stepObject>
