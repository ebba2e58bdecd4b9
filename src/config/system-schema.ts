/**
 * The `System` document: one configured connection to an external application, with its tables,
 * columns, keys, relations and collection guards (DESIGN.md §1, §3). This is the shape the user
 * writes; system-checks.ts checks what a schema cannot (references between fields) and
 * system-config.ts turns it into core's data model.
 *
 * @example
 * kind: System
 * name: hr500
 * connector: csv
 * config: { folder: files/hr500 }
 * tables:
 *   employees:
 *     primaryKey: employee_id
 *     columns: { employee_id: string, birth_date: { type: date, format: DD-MM-YYYY } }
 */
import { z } from 'zod'
import { COLUMN_TYPES, type ColumnType } from '../core/index.ts'
import { guardsSchema } from './guards.ts'
import { executionSchema } from './system-execution.ts'
import { configHints } from './schema-walk.ts'

/** Table and column names become SQL identifiers later (always quoted, but kept portable). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

const identifier = (what: string) =>
  z.string().regex(IDENTIFIER, {
    error: (issue) =>
      `${what} '${String(issue.input)}' is not valid: start with a letter or '_', then use only letters, digits and '_'.`,
  })

/** Common spellings from other tools and SQL, mapped to the column type they mean. */
export const COLUMN_TYPE_ALIASES: Readonly<Record<string, ColumnType>> = {
  int: 'integer',
  bigint: 'integer',
  long: 'integer',
  text: 'string',
  varchar: 'string',
  str: 'string',
  bool: 'boolean',
  float: 'number',
  double: 'number',
  decimal: 'number',
  timestamp: 'datetime',
  'date-time': 'datetime',
  array: 'string[]',
  list: 'string[]',
  multi: 'string[]',
}

const columnType = z.enum(COLUMN_TYPES as [ColumnType, ...ColumnType[]])
configHints.add(columnType, { aliases: COLUMN_TYPE_ALIASES })

const columnObject = z.strictObject({
  /** The column's type. */
  type: columnType,
  /** The field's name in the source (CSV header, LDAP attribute). @default the column's name */
  source: z.string().min(1).optional(),
  /** Parse format of date and datetime columns read from text (`DD-MM-YYYY`). @default ISO 8601 */
  format: z.string().min(1).optional(),
  /** Separator between the values of a `string[]` column read from text. @default '|' */
  separator: z.string().min(1).optional(),
  /** Decimal separator of `number` columns read from text. @default '.' */
  decimalSeparator: z.enum(['.', ',']).optional(),
  /** Compare values case-insensitively when diffing. @default false */
  caseInsensitive: z.boolean().optional(),
  /** Treat an empty text as no value when the engine compares a mapped value with this column. @default true */
  emptyIsNull: z.boolean().optional(),
  description: z.string().optional(),
})

/** A column: a type name (`string`) as shorthand, or a mapping with `type` and options. */
export const columnSchema = z.preprocess((v) => (typeof v === 'string' ? { type: v } : v), columnObject)
configHints.add(columnSchema, { expected: 'a type name (string) or a mapping with `type:`' })

/** One entry under `tables:`. */
export const tableSchema = z.strictObject({
  description: z.string().optional(),
  /** Connector-specific options (the CSV file, an LDAP base DN), validated by the connector. @default {} */
  options: z.record(z.string(), z.unknown()).optional(),
  /** The column that identifies a row. @default none: rows are identified by all their values */
  primaryKey: z.string().optional(),
  /** Further unique columns, usable as relation targets and link columns. @default [] */
  referenceKeys: z.array(z.string()).optional(),
  /** Overrides the system's guards for this table, field by field. @default the system's guards */
  guards: guardsSchema.optional(),
  columns: z.record(identifier('Column name'), columnSchema).refine((c) => Object.keys(c).length > 0, {
    message: 'A table needs at least one column.',
  }),
})

const qualifiedColumn = z.string().regex(/^[^.\s]+\.[^.\s]+$/, {
  error: (issue) => `Expected 'table.column', received '${String(issue.input)}'.`,
})

/** One entry under `relations:`: an intra-system 1-N relation. */
export const relationSchema = z.strictObject({
  /** The relation's name, unique in the system. @default `<fromTable>_<fromColumn>` */
  name: identifier('Relation name').optional(),
  /** The referencing column, `table.column` (the N side). */
  from: qualifiedColumn,
  /** The referenced key column, `table.column` (the 1 side): a primary key or reference key. */
  to: qualifiedColumn,
})

/** A whole `kind: System` document. Objects are strict: unknown keys are errors. */
export const systemSchema = z.strictObject({
  kind: z.literal('System'),
  name: z.string(),
  description: z.string().optional(),
  /** The connector type (`csv`); whether it exists is checked by the connectors layer. */
  connector: z.string().min(1),
  /** The connector's configuration, validated by the connector's own schema. */
  config: z.record(z.string(), z.unknown()),
  /** Collection guards for all tables. @default { maxRemoved: '10%' } when absent */
  guards: guardsSchema.optional(),
  tables: z.record(identifier('Table name'), tableSchema).refine((t) => Object.keys(t).length > 0, {
    message: 'A system needs at least one table.',
  }),
  /** Intra-system 1-N relations. @default [] */
  relations: z.array(relationSchema).optional(),
  /** How operations are executed against the system (system-execution.ts). @default concurrency 4, 5 attempts, 1s doubling to 1m */
  execution: executionSchema.optional(),
})

/** A System document as written, after the schema has checked its shape. */
export type SystemDocument = z.output<typeof systemSchema>
/** A table as written (after the schema). */
export type TableDocument = z.output<typeof tableSchema>
/** A column as written, with the type-name shorthand expanded to `{ type }`. */
export type ColumnDocument = z.output<typeof columnObject>
/** A relation as written (after the schema). */
export type RelationDocument = z.output<typeof relationSchema>
