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

/** One document of the project in a list: where it is and whether it is valid. */
export const documentSummarySchema = z.object({
  kind: z.string(),
  name: z.string(),
  file: z.string().describe('Project-relative, with / separators'),
  index: z.number().int().describe('Position among the documents of its file, from 0'),
  valid: z.boolean().describe('No error-level issue (warnings allowed)'),
  errors: z.number().int(),
  warnings: z.number().int(),
})

/** One document with its text, parsed value and own issues. */
export const documentDetailSchema = documentSummarySchema.extend({
  source: z.string().describe('The YAML text as written, comments included'),
  value: z.record(z.string(), z.unknown()).describe('The parsed YAML, before validation'),
  issues: z.array(issueSchema),
})

/** The configuration revision a client sends back with an edit: the project's sha256, hex. */
export const revisionSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('The configuration revision (sha256 of the project’s documents, as GET answers give it)')

/** An issue of a document edit's check: in the sent text (`inSource`), or in another document it names. */
export const editIssueSchema = issueSchema.extend({
  inSource: z.boolean().describe('In the sent text: line and column count from its first line, and there is no `file`'),
  kind: z.string().optional().describe('The other document the issue is in'),
  name: z.string().optional(),
})
