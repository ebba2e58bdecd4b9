/**
 * The `Job` document (docs/jobs.md): ordered steps, each a mapping or the group memberships of one
 * system (roles), with an enabled flag and a threshold, the most operations the step may plan
 * before the job stops without writing anything (DESIGN.md §8 "Thresholds"). This is the shape the user writes; job-checks.ts resolves it into a
 * {@link JobConfig}.
 *
 * @example
 * kind: Job
 * name: directory_accounts
 * steps:
 *   - create_accounts                  # shorthand for { mapping: create_accounts }
 *   - mapping: disable_leavers
 *     threshold: 5%
 *   - memberships: directory           # the active role model's groups on system directory
 *     threshold: { add: 1000, remove: 5% }
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

/** Hands the issues of the schema a threshold was parsed with on to the enclosing parse, paths kept. */
function forward(ctx: z.core.$RefinementCtx, issues: readonly z.core.$ZodIssue[]): void {
  // A parsed issue is a raw issue with its message filled in; zod takes it back as it is.
  for (const issue of issues) ctx.addIssue(issue as z.core.$ZodSuperRefineIssue)
}

/**
 * A memberships step's threshold: one limit for adds and removes each (`500`, `'5%'`), or
 * `{ add, remove }` with a limit for either. The value's shape picks the schema it is parsed with,
 * so problems are reported as that schema words them (a union would only say "invalid input");
 * the loose object shape keeps unknown keys for the strict one and tells the did-you-mean walk the keys.
 */
const limitPairSchema = z.strictObject({
  /** The most membership adds the step may plan. @default no limit */
  add: thresholdSchema.optional(),
  /** The most membership removes the step may plan. @default 10% of the memberships table (the jobs layer's) */
  remove: thresholdSchema.optional(),
})

/** A step's threshold as written: a limit, or (memberships steps) `{ add, remove }`. */
export const stepThresholdSchema = z
  .union([z.number(), z.string(), z.looseObject({ add: z.unknown().optional(), remove: z.unknown().optional() })])
  .transform((raw, ctx): StepThreshold => {
    if (typeof raw === 'object') {
      const pair = limitPairSchema.safeParse(raw)
      if (pair.success) return { kind: 'pair', ...pair.data }
      forward(ctx, pair.error.issues)
    } else {
      const single = thresholdSchema.safeParse(raw)
      if (single.success) return { kind: 'single', limit: single.data }
      forward(ctx, single.error.issues)
    }
    return z.NEVER
  })
configHints.add(stepThresholdSchema, {
  expected: "a number of operations (100), a percentage ('10%') or, for a memberships step, { add, remove }",
})

/** A threshold as written: one limit, or limits for adds and removes (memberships steps only). */
export type StepThreshold =
  | { readonly kind: 'single'; readonly limit: OperationLimit }
  | { readonly kind: 'pair'; readonly add?: OperationLimit | undefined; readonly remove?: OperationLimit | undefined }

/**
 * A step names what it runs with exactly one of `mapping:` and `memberships:` (job-checks.ts says
 * which is missing or too many, where the schema's error would be vaguer).
 */
const stepObject = z.strictObject({
  /** The Mapping the step evaluates and executes. */
  mapping: z.string().min(1).optional(),
  /** The target system whose group memberships the step brings in line with the active role model. */
  memberships: z.string().min(1).optional(),
  /** A disabled step is skipped; the job's other steps run. @default true */
  enabled: z.boolean().optional(),
  /**
   * The most operations the step may plan. A mapping step takes one limit. A memberships step takes
   * one limit for adds and removes each, or `{ add, remove }`. @default none, except 10% of the
   * target table for delete and disable functions and for membership removes (applied by the jobs
   * layer, which knows the function's semantics)
   */
  threshold: stepThresholdSchema.optional(),
})

/** A step: a mapping's name as shorthand, or a step with `mapping:` or `memberships:` and options. */
export const stepSchema = z.preprocess((v) => (typeof v === 'string' ? { mapping: v } : v), stepObject)
configHints.add(stepSchema, { expected: 'a mapping name, or a step with `mapping:` or `memberships:`' })

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
