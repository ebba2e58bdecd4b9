/**
 * The shapes plans, their steps, operations and executions have in answers of the mappings, jobs,
 * plans and runs routes, and how an operation is shown: as `--json` shows it, with its changes as
 * text (`password: (set)`). A secret's value is never stored, so it cannot be answered either.
 */
import { z } from 'zod'
import { describeChanges, operationJson, operationKey } from '../../engine/index.ts'
import type { StoredOperation } from '../../vault/index.ts'

export const thresholdSchema = z.object({
  limit: z.number(),
  described: z.string().describe('For people: `10% of 585 rows = 58`'),
  exceeded: z.boolean(),
})

/** A plan step (engine's StepEvaluation, with the job's threshold check). */
export const stepSchema = z.object({
  index: z.number().int(),
  source: z.number().int().optional().describe('The job step it comes from, from 0'),
  mapping: z.string(),
  system: z.string(),
  table: z.string(),
  function: z.string(),
  semantics: z.string(),
  operations: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  threshold: thresholdSchema.optional(),
  failures: z
    .array(z.object({ mapping: z.string(), row: z.string(), code: z.string(), message: z.string() }))
    .readonly()
    .optional()
    .describe('The first rows that could not be planned'),
})

export const stepsSchema = z.array(stepSchema).readonly()

export const operationSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  step: z.number().int(),
  mapping: z.string(),
  system: z.string(),
  table: z.string(),
  function: z.string(),
  semantics: z.string(),
  key: z.string().describe("The target row's key, `(new)` for a create, empty for a membership"),
  keyColumn: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()),
  before: z.record(z.string(), z.unknown()).optional(),
  secrets: z.array(z.string()).readonly().describe('Names of the secrets it sets; their values are never stored'),
  changes: z.string().describe('For people, as the CLI prints it: `sn: "Old" → "New", password: (set)`'),
  status: z.string(),
  attempts: z.number().int(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
})

/** An operation as the API answers it. */
export function operationView(o: StoredOperation): z.input<typeof operationSchema> {
  const json = operationJson(o) as z.input<typeof operationSchema> & { key?: unknown }
  return {
    ...json,
    key: operationKey(o),
    ...(o.keyColumn === undefined ? {} : { keyColumn: o.keyColumn }),
    secrets: [...o.secrets],
    changes: describeChanges(o),
  }
}

export const planSchema = z.object({
  id: z.number().int(),
  source: z.object({ kind: z.enum(['job', 'mapping']), name: z.string() }),
  status: z.string(),
  createdAt: z.string(),
  executedAt: z.string().optional(),
  counts: z.record(z.string(), z.number()).describe('Operations per status'),
  steps: stepsSchema,
})

export const executionSchema = z.object({
  planId: z.number().int(),
  status: z.string().describe('The plan’s status after executing'),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  settledInDoubt: z.number().int(),
})

export const nameParams = z.object({ name: z.string().min(1) })
export const idParams = z.object({ id: z.coerce.number().int().positive() })
