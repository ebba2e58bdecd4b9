/**
 * Zod schemas of the data shapes the lower layers return that several route areas answer with:
 * a positioned issue (core's Issue), as validation, explain and expression errors carry them.
 */
import { z } from 'zod'

/** core's Issue: one positioned problem, with a hint. */
export const issueSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  file: z.string().optional().describe('Project-relative file'),
  line: z.number().int().optional().describe('1-based'),
  column: z.number().int().optional().describe('1-based'),
  path: z
    .array(z.union([z.string(), z.number()]))
    .readonly()
    .optional(),
  value: z.unknown().optional(),
  excerpt: z.string().optional(),
  severity: z.enum(['error', 'warning']).optional().describe('absent means error'),
})

/** A row of the vault or of a filter: column name → value (a list for multi-valued columns). */
export const rowSchema = z.record(z.string(), z.unknown())
