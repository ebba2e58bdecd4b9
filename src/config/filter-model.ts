/**
 * The resolved shapes of the `Link` and `Filter` kinds (docs/filters.md), as the filters layer
 * consumes them. The config layer validates the YAML and resolves documents into these; the
 * filters layer resolves join paths, type-checks the expressions and compiles them to SQL.
 */
import type { ColumnType, Value } from '../core/index.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** `SYSTEM.TABLE.COLUMN`, resolved against the data model (names as declared there). */
export interface ColumnRef {
  readonly system: string
  readonly table: string
  readonly column: string
}

/** An inter-system relation: equality between a column of one system and a column of another. */
export interface LinkConfig {
  readonly name: string
  readonly description?: string | undefined
  readonly left: ColumnRef
  readonly right: ColumnRef
  /** Compare lower-cased values. @default false */
  readonly caseInsensitive: boolean
  /** Expressions over the side's table (its columns by bare name) that normalise the value before comparing. */
  readonly leftExpression?: string | undefined
  readonly rightExpression?: string | undefined
  readonly file: string
  readonly document: LoadedDocument
}

/**
 * How a join item keeps rows of its parent:
 * - `any`: rows with at least one match; the matches' columns are attached (one output row per match);
 * - `none`: rows without any match; nothing is attached;
 * - `multiple`: rows with two or more matches; the matches' columns are attached;
 * - `all`: rows with at least one match, all of whose matches meet the item's condition; nothing attached;
 * - `optional`: every row; the matches' columns are attached when present, nulls otherwise.
 */
export type JoinMode = 'any' | 'none' | 'multiple' | 'all' | 'optional'

export const JOIN_MODES: readonly JoinMode[] = ['any', 'none', 'multiple', 'all', 'optional']

/**
 * The relation or link by which a join reaches its table, as validation resolved it (from `via:`,
 * or the only relation or link that connects the two tables). A relation may point either way
 * between the parent and the joined table; a link has one side on each.
 */
export type JoinVia =
  | { readonly kind: 'relation'; readonly system: string; readonly name: string }
  | { readonly kind: 'link'; readonly name: string }

export interface JoinItem {
  readonly system: string
  readonly table: string
  /** Unique within the filter; how expressions refer to this table's columns (`c.end_date`). */
  readonly alias: string
  readonly mode: JoinMode
  /**
   * The relation (of the parent's or the joined table's system) or link by which the table is reached. Absent: the one
   * relation or link that connects the parent table and this table (ambiguity is an error).
   */
  readonly via?: string | undefined
  /**
   * The relation or link the join goes through, resolved (names as declared). validateProject sets
   * it on every join of a valid filter; optional only so that hand-built items may leave it out.
   */
  readonly through?: JoinVia | undefined
  /** A condition on the joined rows (an expression that may also use the parent aliases and parameters). */
  readonly where?: string | undefined
  readonly joins: readonly JoinItem[]
  /** Where the item sits in its document, for positioned issues (`['joins', 0]`). */
  readonly path: DocumentPath
}

export interface LookupItem {
  /** @default `lookup<n>` */
  readonly name: string
  /** `include` keeps rows whose value exists in `in`; `exclude` keeps rows whose value does not. */
  readonly mode: 'include' | 'exclude'
  /** An expression over the filter's attached aliases and its parameters (computed columns are not in scope). */
  readonly value: string
  /** The column the value is looked up in, in any system, without a relation. */
  readonly in: ColumnRef
  /** Compare lower-cased values. @default false */
  readonly caseInsensitive: boolean
  readonly path: DocumentPath
}

export interface FilterParameter {
  readonly name: string
  readonly type: ColumnType
  /** Used when a run gives no value; a parameter without a default must be given. */
  readonly default?: Value | undefined
  readonly path: DocumentPath
}

export interface ComputedColumn {
  readonly name: string
  readonly expression: string
  readonly path: DocumentPath
}

export interface FilterConfig {
  readonly name: string
  readonly description?: string | undefined
  /** The start table: rows originate here. */
  readonly start: { readonly system: string; readonly table: string; readonly alias: string }
  /** A condition on the start table (and the attached aliases). */
  readonly where?: string | undefined
  readonly parameters: readonly FilterParameter[]
  readonly joins: readonly JoinItem[]
  readonly lookups: readonly LookupItem[]
  readonly computed: readonly ComputedColumn[]
  /**
   * Output columns, as `alias.column`, `alias.*` or a computed column's name, in order.
   * @default every column of the start table and of `any`/`multiple`/`optional` joins, named
   * `alias.column`, then the computed columns
   */
  readonly output?: readonly string[] | undefined
  /** The most output rows per start row that joins may produce before a run warns. @default 10 */
  readonly maxMultiplication: number
  readonly file: string
  readonly document: LoadedDocument
}
