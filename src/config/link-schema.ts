/**
 * The `Link` document: an inter-system relation (DESIGN.md §1), equality between a column of one
 * system and a column of another, optionally after normalising expressions and ignoring case.
 * link-checks.ts checks the references against the data model and resolves a {@link LinkConfig}.
 *
 * @example
 * kind: Link
 * name: employee_account
 * left: hr500.employees.employee_id
 * right: directory.users.employeeID
 * rightExpression: upper(employeeID)
 */
import { z } from 'zod'
import { COLUMN_PATH } from './filter-references.ts'

/** `system.table.column`, the shape of link sides and lookup columns. */
export const columnPathSchema = z.string().regex(COLUMN_PATH, {
  error: (issue) => `Expected 'system.table.column', received '${String(issue.input)}'.`,
})

const expression = z.string().min(1)

/** A whole `kind: Link` document. Objects are strict: unknown keys are errors. */
export const linkSchema = z.strictObject({
  kind: z.literal('Link'),
  name: z.string(),
  description: z.string().optional(),
  /** One side, `system.table.column`. */
  left: columnPathSchema,
  /** The other side, `system.table.column`; usually of another system, the same system is allowed. */
  right: columnPathSchema,
  /** Compare lower-cased values. @default false */
  caseInsensitive: z.boolean().optional(),
  /** An expression over the left table's columns (bare names) that normalises the value. @default the column */
  leftExpression: expression.optional(),
  /** An expression over the right table's columns (bare names) that normalises the value. @default the column */
  rightExpression: expression.optional(),
})

/** A Link document as written, after the schema has checked its shape. */
export type LinkDocument = z.output<typeof linkSchema>
