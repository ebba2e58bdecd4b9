/**
 * The plan of a filter: what {@link buildPlan} resolved from a FilterConfig (tables, join paths,
 * checked expressions, output columns) and what the compiler turns into SQL. Nodes are frozen plain
 * objects with a literal `kind` and a factory of the same name (the kysely operation-node idea), so a
 * plan can be truncated or shared (explain compiles prefixes of one plan) without copying surprises.
 */
import type { ColumnSchema, ColumnType, TableSchema } from '../core/index.ts'
import type { JoinMode } from '../config/index.ts'
import type { TypedExpr } from '../expr/index.ts'
import { describeVaultTable, sqlBaseName } from '../vault/index.ts'

function freeze<T extends object>(node: T): Readonly<T> {
  return Object.freeze(node)
}

/** A collected table as the plan reads it: its current-rows view under an alias. */
export interface TableSourceNode {
  readonly kind: 'TableSource'
  readonly system: string
  readonly table: string
  /** The SQL alias (the filter's alias, or an internal one such as `#l` that no user alias can be). */
  readonly alias: string
  /** Quoted name of the vault view of the current rows (`"hr500__employees"`). */
  readonly view: string
  readonly columns: readonly ColumnSchema[]
  /** Quoted side-table name per multi-valued column. */
  readonly sideTables: ReadonlyMap<string, string>
  /** The columns the vault indexes: the primary key and the reference keys. */
  readonly keyColumns: readonly string[]
}

export const TableSourceNode = freeze({
  create: (fields: Omit<TableSourceNode, 'kind'>): TableSourceNode => freeze({ kind: 'TableSource', ...fields }),
  is: (node: { kind: string }): node is TableSourceNode => node.kind === 'TableSource',
})

/** The plan node of a collected table under `alias`. */
export function tableSource(schema: TableSchema, alias: string): TableSourceNode {
  const vault = describeVaultTable(schema, sqlBaseName(schema.system, schema.name))
  return TableSourceNode.create({
    system: schema.system,
    table: schema.name,
    alias,
    view: vault.view,
    columns: schema.columns,
    sideTables: vault.sideTables,
    keyColumns: [...(schema.primaryKey === undefined ? [] : [schema.primaryKey]), ...schema.referenceKeys],
  })
}

/** One side of a join condition: a plain column, or a link's normalising expression over the side's alias. */
export type OperandNode = ColumnOperandNode | ExpressionOperandNode

export interface ColumnOperandNode {
  readonly kind: 'ColumnOperand'
  readonly alias: string
  readonly column: string
}

export const ColumnOperandNode = freeze({
  create: (alias: string, column: string): ColumnOperandNode => freeze({ kind: 'ColumnOperand', alias, column }),
  is: (node: { kind: string }): node is ColumnOperandNode => node.kind === 'ColumnOperand',
})

export interface ExpressionOperandNode {
  readonly kind: 'ExpressionOperand'
  /** The SQL alias the expression's columns belong to. */
  readonly alias: string
  /** Checked over one alias (the table's name); its columns are read from `alias`. */
  readonly expr: TypedExpr
}

export const ExpressionOperandNode = freeze({
  create: (alias: string, expr: TypedExpr): ExpressionOperandNode => freeze({ kind: 'ExpressionOperand', alias, expr }),
  is: (node: { kind: string }): node is ExpressionOperandNode => node.kind === 'ExpressionOperand',
})

/** `parent = child`, lower-cased on both sides when case-insensitive. */
export interface JoinConditionNode {
  readonly kind: 'JoinCondition'
  readonly parent: OperandNode
  readonly child: OperandNode
  readonly caseInsensitive: boolean
  /** How the path was found, for messages and explain: `relation contracts_employee_id`. */
  readonly description: string
}

export const JoinConditionNode = freeze({
  create: (fields: Omit<JoinConditionNode, 'kind'>): JoinConditionNode => freeze({ kind: 'JoinCondition', ...fields }),
  is: (node: { kind: string }): node is JoinConditionNode => node.kind === 'JoinCondition',
})

export interface JoinNode {
  readonly kind: 'Join'
  readonly mode: JoinMode
  readonly source: TableSourceNode
  readonly on: JoinConditionNode
  readonly where: TypedExpr | undefined
  readonly children: readonly JoinNode[]
}

export const JoinNode = freeze({
  create: (fields: Omit<JoinNode, 'kind'>): JoinNode =>
    freeze({ kind: 'Join', ...fields, children: Object.freeze([...fields.children]) }),
  is: (node: { kind: string }): node is JoinNode => node.kind === 'Join',
})

export interface LookupNode {
  readonly kind: 'Lookup'
  readonly name: string
  readonly mode: 'include' | 'exclude'
  readonly value: TypedExpr
  /** The looked-up table under the internal alias `#l`. */
  readonly target: TableSourceNode
  readonly column: string
  /** The target column is string[]: the lookup reads its side table. */
  readonly multiValued: boolean
  readonly caseInsensitive: boolean
}

export const LookupNode = freeze({
  create: (fields: Omit<LookupNode, 'kind'>): LookupNode => freeze({ kind: 'Lookup', ...fields }),
  is: (node: { kind: string }): node is LookupNode => node.kind === 'Lookup',
})

export interface ComputedNode {
  readonly kind: 'Computed'
  readonly name: string
  readonly expr: TypedExpr
  readonly type: ColumnType
}

export const ComputedNode = freeze({
  create: (name: string, expr: TypedExpr, type: ColumnType): ComputedNode =>
    freeze({ kind: 'Computed', name, expr, type }),
  is: (node: { kind: string }): node is ComputedNode => node.kind === 'Computed',
})

/** One output column: `name` is the result key (`e.employee_id`, or a computed column's name). */
export interface OutputNode {
  readonly kind: 'Output'
  readonly name: string
  readonly type: ColumnType
  readonly source:
    | { readonly kind: 'Column'; readonly alias: string; readonly column: string }
    | { readonly kind: 'Computed'; readonly name: string }
}

export const OutputNode = freeze({
  create: (name: string, type: ColumnType, source: OutputNode['source']): OutputNode =>
    freeze({ kind: 'Output', name, type, source: freeze({ ...source }) }),
  is: (node: { kind: string }): node is OutputNode => node.kind === 'Output',
})

export interface FilterPlan {
  readonly kind: 'Filter'
  readonly name: string
  readonly start: TableSourceNode
  readonly where: TypedExpr | undefined
  readonly joins: readonly JoinNode[]
  readonly lookups: readonly LookupNode[]
  readonly computed: readonly ComputedNode[]
  readonly output: readonly OutputNode[]
  readonly maxMultiplication: number
}

export const FilterPlan = freeze({
  create: (fields: Omit<FilterPlan, 'kind'>): FilterPlan =>
    freeze({
      kind: 'Filter',
      ...fields,
      joins: Object.freeze([...fields.joins]),
      lookups: Object.freeze([...fields.lookups]),
      computed: Object.freeze([...fields.computed]),
      output: Object.freeze([...fields.output]),
    }),
  is: (node: { kind: string }): node is FilterPlan => node.kind === 'Filter',
})

export type PlanNode =
  | TableSourceNode
  | ColumnOperandNode
  | ExpressionOperandNode
  | JoinConditionNode
  | JoinNode
  | LookupNode
  | ComputedNode
  | OutputNode
  | FilterPlan

export type PlanNodeKind = PlanNode['kind']

/** The join items in document order (each item, then its nested items). */
export function joinsInOrder(joins: readonly JoinNode[]): JoinNode[] {
  return joins.flatMap((j) => [j, ...joinsInOrder(j.children)])
}

/** The joins whose columns are attached to the output rows: any, multiple and optional, outside none/all. */
export function attachedJoins(joins: readonly JoinNode[]): JoinNode[] {
  return joins
    .filter((j) => j.mode === 'any' || j.mode === 'multiple' || j.mode === 'optional')
    .flatMap((j) => [j, ...attachedJoins(j.children)])
}

/** Whether an item's where and those of its nested items read only the item's table and the tables nested in it. */
export function isSelfContained(node: JoinNode): boolean {
  const inside = joinsInOrder([node])
  const aliases = new Set(inside.map((j) => j.source.alias))
  return inside.every((j) => (j.where?.columns ?? []).every((c) => aliases.has(c.alias)))
}
