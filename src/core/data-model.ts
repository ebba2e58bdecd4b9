/**
 * The data model of a system as the vault holds it (DESIGN.md §1: system, table, column, key,
 * relation). These are the resolved, validated shapes that every layer after `config` works with;
 * the YAML that describes them is parsed and checked in src/config.
 */

/** Column types a table may declare. `string[]` is a multi-valued string (memberOf, proxyAddresses). */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'string[]'

export const COLUMN_TYPES: readonly ColumnType[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'string[]',
]

/**
 * A stored value. Dates are `YYYY-MM-DD` strings, datetimes ISO 8601 strings in UTC
 * (`2026-12-04T15:46:10.000Z`), multi-valued strings sorted arrays without duplicates.
 */
export type Value = string | number | boolean | null | readonly string[]

/** One row of a table, keyed by column name. */
export type Row = Record<string, Value>

export interface ColumnSchema {
  readonly name: string
  readonly type: ColumnType
  /** Name of the field in the source (CSV header, LDAP attribute); defaults to `name`. */
  readonly source: string
  /** Parse format for dates and datetimes read from text (`DD-MM-YYYY`); ISO 8601 when absent. */
  readonly format?: string | undefined
  /** Separator of the values of a multi-valued column read from text. @default '|' */
  readonly separator?: string | undefined
  /** Decimal separator of numbers read from text (`,` in many European exports). @default '.' */
  readonly decimalSeparator?: '.' | ',' | undefined
  /** Compare case-insensitively when diffing (AD attributes are mostly case-insensitive). @default false */
  readonly caseInsensitive?: boolean | undefined
  /**
   * When the engine compares a mapped value with the vault's: an empty text equals no value (a
   * directory cannot hold an empty attribute). Say false for a column where '' and null differ. @default true
   */
  readonly emptyIsNull?: boolean | undefined
}

export interface TableSchema {
  readonly system: string
  readonly name: string
  readonly columns: readonly ColumnSchema[]
  /** The primary key column; absent for tables whose rows are identified by all their values (memberships). */
  readonly primaryKey?: string | undefined
  /** Further unique columns, usable as relation targets and link columns. */
  readonly referenceKeys: readonly string[]
  /** Connector-specific options of the table (the CSV file name, an LDAP base DN), validated by the connector. */
  readonly options: Readonly<Record<string, unknown>>
}

/** An intra-system 1-N relation: each row of `from` points to at most one row of `to`. */
export interface RelationSchema {
  readonly system: string
  readonly name: string
  /** The referencing (N) side. */
  readonly fromTable: string
  readonly fromColumn: string
  /** The referenced (1) side; `toColumn` is the primary key or a reference key of `toTable`. */
  readonly toTable: string
  readonly toColumn: string
}

export function qualifiedName(table: Pick<TableSchema, 'system' | 'name'>): string {
  return `${table.system}.${table.name}`
}

/**
 * What a function does to its table (DESIGN.md §1 "function"). The planner reads it: a `create`
 * makes one operation per filter row; the others find their target row by key first.
 */
export type FunctionSemantics =
  | 'create'
  | 'update'
  | 'delete'
  | 'enable'
  | 'disable'
  | 'move'
  | 'membership-add'
  | 'membership-remove'
  | 'custom'

export const FUNCTION_SEMANTICS: readonly FunctionSemantics[] = [
  'create',
  'update',
  'delete',
  'enable',
  'disable',
  'move',
  'membership-add',
  'membership-remove',
  'custom',
]

/**
 * The parameters of every membership-add and membership-remove function, whatever the connector:
 * the group and the member, as the memberships table holds them (each parameter's `column` names
 * that table's column). Role planning relies on this convention.
 */
export const MEMBERSHIP_PARAMETERS = ['group', 'member'] as const

/**
 * Whether a mapping must, may or must not give a parameter (NIM's allowance metadata): a missing
 * mandatory or a given prohibited parameter fails `provisio validate`.
 */
export type ParameterAllowance = 'mandatory' | 'optional' | 'prohibited'

export interface FunctionParameter {
  readonly name: string
  readonly type: ColumnType
  readonly allowance: ParameterAllowance
  /**
   * A write-only value (a password): never read back, never stored in the vault, a plan, a log or
   * the audit, which show only that it was set. @default false
   */
  readonly secret?: boolean | undefined
  /** The table column the parameter writes, when it writes one (write-back and update diffs use it). @default `name` when the table has such a column */
  readonly column?: string | undefined
  readonly description?: string | undefined
}

/** A write operation a connector offers on one table (`users_create`). */
export interface FunctionSchema {
  readonly name: string
  readonly table: string
  readonly semantics: FunctionSemantics
  readonly parameters: readonly FunctionParameter[]
  /**
   * For every semantics but `create`: the column whose value identifies the target row; the
   * mapping's `key` gives its value. @default the table's primary key
   */
  readonly keyColumn?: string | undefined
  readonly description?: string | undefined
}
