/**
 * The `Filter` document: a named query over the vault (DESIGN.md §1) with a start table, nested
 * joins through relations and links, conditions, lookups, parameters and computed columns. This is
 * the shape the user writes; filter-checks.ts checks it against the data model and filter-config.ts
 * resolves it into a {@link FilterConfig}.
 *
 * @example
 * kind: Filter
 * name: employees_without_account
 * start: hr500.employees AS e
 * joins:
 *   - table: directory.users AS u
 *     mode: none
 *     via: employee_account
 */
import { z } from 'zod'
import { COLUMN_TYPES, type ColumnType } from '../core/index.ts'
import { JOIN_MODES, type JoinMode } from './filter-model.ts'
import { columnPathSchema } from './link-schema.ts'
import { configHints } from './schema-walk.ts'
import { COLUMN_TYPE_ALIASES, IDENTIFIER } from './system-schema.ts'

/** `system.table` or `system.table AS alias` (`AS` in any case); the alias is an identifier. */
export const TABLE_REF = /^([^.\s]+)\.([^.\s]+)(?:\s+as\s+([A-Za-z_][A-Za-z0-9_]*))?$/i

/** The parts of a table reference the schema accepted. */
export function parseTableRef(text: string): { system: string; table: string; alias: string | undefined } {
  const match = TABLE_REF.exec(text)
  return { system: match?.[1] ?? '', table: match?.[2] ?? '', alias: match?.[3] }
}

const tableRef = z.string().regex(TABLE_REF, {
  error: (issue) =>
    `Expected 'system.table' or 'system.table AS alias' (an alias starts with a letter or '_', then letters, digits and '_'), received '${String(issue.input)}'.`,
})

const identifier = (what: string) =>
  z.string().regex(IDENTIFIER, {
    error: (issue) =>
      `${what} '${String(issue.input)}' is not valid: start with a letter or '_', then use only letters, digits and '_'.`,
  })

const expression = z.string().min(1)

const parameterType = z.enum(COLUMN_TYPES as [ColumnType, ...ColumnType[]])
configHints.add(parameterType, { aliases: COLUMN_TYPE_ALIASES })

const parameterObject = z.strictObject({
  /** The parameter's type, one of the column types. */
  type: parameterType,
  /**
   * Used when a run gives no value: text for string, a number for integer and number, true or false,
   * 'YYYY-MM-DD' for date, ISO 8601 with a zone for datetime, a list of text for string[].
   * @default none: a run must give the value
   */
  default: z.unknown().optional(),
  description: z.string().optional(),
})

/** A parameter: a type name (`date`) as shorthand, or a mapping with `type` and `default`. */
export const parameterSchema = z.preprocess((v) => (typeof v === 'string' ? { type: v } : v), parameterObject)
configHints.add(parameterSchema, { expected: 'a type name (string) or a mapping with `type:`' })

const joinMode = z.enum(JOIN_MODES as [JoinMode, ...JoinMode[]])

/** One join item as written; items nest under `joins:`. */
export interface JoinDocument {
  readonly table: string
  readonly mode: JoinMode
  readonly via?: string | undefined
  readonly where?: string | undefined
  readonly joins?: readonly JoinDocument[] | undefined
}

/** One entry under `joins:`: a table joined to its parent through a relation or link. */
export const joinSchema: z.ZodType<JoinDocument> = z.lazy(() =>
  z.strictObject({
    /** `system.table` or `system.table AS alias`. @default alias: the table's name */
    table: tableRef,
    /** any | none | multiple | all | optional (see JoinMode). */
    mode: joinMode,
    /** A relation (of the parent's or the joined table's system) or a Link. @default the only one connecting the tables */
    via: z.string().min(1).optional(),
    /** A condition on the joined rows. @default none */
    where: expression.optional(),
    /** Joins to this item's table. @default [] */
    joins: z.array(joinSchema).optional(),
  }),
)

/** One entry under `lookups:`. */
export const lookupSchema = z.strictObject({
  /** The lookup's name, unique in the filter. @default `lookup<n>`, n counting from 1 */
  name: identifier('Lookup name').optional(),
  /** include: keep rows whose value exists in `in`; exclude: keep rows whose value does not. */
  mode: z.enum(['include', 'exclude']),
  /** An expression over the filter's attached aliases and parameters. */
  value: expression,
  /** `system.table.column` of any system. */
  in: columnPathSchema,
  /** Compare lower-cased values. @default false */
  caseInsensitive: z.boolean().optional(),
})

/** A whole `kind: Filter` document. Objects are strict: unknown keys are errors. */
export const filterSchema = z.strictObject({
  kind: z.literal('Filter'),
  name: z.string(),
  description: z.string().optional(),
  /** The start table: `system.table` or `system.table AS alias`. @default alias: the table's name */
  start: tableRef,
  /** Typed parameters (`:name` in expressions). @default {} */
  parameters: z.record(identifier('Parameter name'), parameterSchema).optional(),
  /** A condition on the start table and the attached joins. @default none */
  where: expression.optional(),
  /** @default [] */
  joins: z.array(joinSchema).optional(),
  /** @default [] */
  lookups: z.array(lookupSchema).optional(),
  /** Computed columns: name → expression. @default {} */
  columns: z.record(identifier('Computed column name'), expression).optional(),
  /** `alias.column`, `alias.*` or a computed column's name. @default every attached column, then the computed ones */
  output: z.array(z.string().min(1)).optional(),
  /** Output rows per start row that joins may produce before a run warns. @default 10 */
  maxMultiplication: z.number().int().min(1).optional(),
})

/** A Filter document as written, after the schema has checked its shape. */
export type FilterDocument = z.output<typeof filterSchema>
/** A parameter as written, with the type-name shorthand expanded to `{ type }`. */
export type ParameterDocument = z.output<typeof parameterObject>
/** A lookup as written. */
export type LookupDocument = z.output<typeof lookupSchema>
