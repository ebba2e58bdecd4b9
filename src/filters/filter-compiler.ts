/**
 * Compiles a {@link FilterPlan} to one SQL statement over the vault's current-rows views.
 *
 * Shapes (P is the parent's alias, A the item's; match(A) is the join condition, the item's where and
 * the predicates of its nested items):
 * - any:      `INNER JOIN view AS A ON match` — one row per match, columns attached;
 * - multiple: `INNER JOIN view AS A ON match AND (SELECT COUNT(*) FROM view AS A WHERE match) >= 2`;
 * - optional: `LEFT JOIN view AS A ON match`, where match also requires the nested any/multiple items
 *   (as EXISTS / COUNT), whose own joins are then LEFT JOINs too: a row of A is attached only with
 *   its nested matches, and a row without any is kept with nulls;
 * - none:     `NOT EXISTS (SELECT 1 FROM view AS A WHERE match)`;
 * - all:      `EXISTS (… WHERE join) AND NOT EXISTS (… WHERE join AND (where AND nested) IS NOT TRUE)`.
 * Subqueries reuse the item's alias: inside them it shadows the outer table of the same alias, so one
 * compiled expression serves both places.
 *
 * The visitor tables are typed `Record<JoinMode, …>` and `Record<OperandNode['kind'], …>`, so a new
 * mode or operand does not compile until every handler exists. Dialects override only the small hooks.
 */
import type { Value } from '../core/index.ts'
import type { JoinMode } from '../config/index.ts'
import type { TypedExpr } from '../expr/index.ts'
import { type DialectName, quoteIdentifier } from '../vault/index.ts'
import { LOOKUP_VALUE_ALIAS } from './build-output.ts'
import { type ExpressionSqlContext, expressionSql, lowerSql } from './expressions.ts'
import {
  attachedJoins,
  type FilterPlan,
  type JoinConditionNode,
  type JoinNode,
  joinsInOrder,
  type LookupNode,
  type OperandNode,
  type TableSourceNode,
} from './filter-plan.ts'
import { conjunction, type Fragment, group, joinSql, raw, sql } from './sql-fragment.ts'

export interface FilterCompileOptions {
  /** The value of every declared parameter. */
  readonly paramValues: Readonly<Record<string, Value>>
  /** @default 'UTC' */
  readonly timeZone?: string | undefined
  /** @default the moment of compiling */
  readonly now?: Date | undefined
}

/** What the statement selects: the output columns (ordered), or only the start row of each output row. */
export type SelectKind = 'Output' | 'StartRow'

/** A table the statement reads, with the columns it reads (for the collected-tables check). */
export interface TableRead {
  readonly system: string
  readonly table: string
  readonly columns: readonly string[]
}

export abstract class DefaultFilterCompiler {
  abstract readonly dialect: DialectName
  private readonly sources = new Map<string, TableSourceNode>()
  private readonly computedSql = new Map<string, Fragment>()
  private readonly reads = new Map<string, { system: string; table: string; columns: Set<string> }>()

  constructor(
    protected readonly plan: FilterPlan,
    protected readonly options: FilterCompileOptions,
  ) {
    for (const source of [plan.start, ...joinsInOrder(plan.joins).map((j) => j.source)])
      this.sources.set(source.alias, source)
  }

  // ---- dialect hooks -------------------------------------------------------------------------

  /** Quotes an identifier (alias, column, result name). */
  protected quote(name: string): string {
    return quoteIdentifier(name)
  }

  /** Case folding for case-insensitive links and lookups: the expression language's lower(). */
  protected lower(fragment: Fragment): Fragment {
    return lowerSql(fragment, this.dialect)
  }

  /** True when the condition is false or null. */
  protected isNotTrue(condition: Fragment): Fragment {
    return sql`${group(condition)} IS NOT TRUE`
  }

  // ---- statement -----------------------------------------------------------------------------

  compile(select: SelectKind = 'Output'): Fragment {
    const { plan } = this
    const clauses = [
      sql`SELECT ${this.selectList(select)}`,
      sql`FROM ${this.source(plan.start)}`,
      ...plan.joins.flatMap((j) => this.joined(j, false)),
    ]
    const where = conjunction([
      ...this.childConditions(plan.joins, false),
      ...(plan.where === undefined ? [] : [this.expr(plan.where)]),
      ...plan.lookups.map((l) => this.lookup(l)),
    ])
    if (where !== undefined) clauses.push(sql`WHERE ${where}`)
    if (select === 'Output') {
      const order = [plan.start, ...attachedJoins(plan.joins).map((j) => j.source)]
      clauses.push(raw(`ORDER BY ${order.map((s) => this.columnRef(s.alias, '_rid')).join(', ')}`))
    }
    return joinSql(clauses, '\n')
  }

  /** The tables and columns the compiled statements read. */
  tableReads(): TableRead[] {
    return [...this.reads.values()].map((r) => ({ system: r.system, table: r.table, columns: [...r.columns] }))
  }

  private selectList(select: SelectKind): Fragment {
    if (select === 'StartRow') return raw(`${this.columnRef(this.plan.start.alias, '_rid')} AS ${this.quote('rid')}`)
    return joinSql(
      this.plan.output.map((o) => {
        const value =
          o.source.kind === 'Column'
            ? raw(this.columnRef(o.source.alias, o.source.column))
            : this.computed(o.source.name)
        return sql`${value} AS ${raw(this.quote(o.name))}`
      }),
      ', ',
    )
  }

  private source(source: TableSourceNode): Fragment {
    return raw(`${source.view} AS ${this.quote(source.alias)}`)
  }

  // ---- joins ---------------------------------------------------------------------------------

  /** The JOIN clauses of an item joined into the main query, then those of its nested items. */
  private joined(node: JoinNode, parentNullable: boolean): Fragment[] {
    if (node.mode === 'none' || node.mode === 'all') return []
    const nullable = parentNullable || node.mode === 'optional'
    const on = conjunction([
      this.condition(node.on),
      ...(node.where === undefined ? [] : [this.expr(node.where)]),
      // Under a nullable parent, the parent's ON clause already requires this item's matches.
      ...(node.mode === 'multiple' && !parentNullable ? [this.predicate(node)!] : []),
      ...this.childConditions(node.children, nullable),
    ])!
    const keyword = nullable ? 'LEFT JOIN' : 'INNER JOIN'
    return [
      sql`${raw(keyword)} ${this.source(node.source)} ON ${on}`,
      ...node.children.flatMap((c) => this.joined(c, nullable)),
    ]
  }

  /**
   * The conditions nested items put on their parent's rows: none and all always; any and multiple
   * only when the parent may be null (an optional item), because their joins are LEFT JOINs then.
   */
  private childConditions(children: readonly JoinNode[], nullable: boolean): Fragment[] {
    return children.flatMap((c) => {
      const asCondition = c.mode === 'none' || c.mode === 'all' || (nullable && c.mode !== 'optional')
      const predicate = asCondition ? this.predicate(c) : undefined
      return predicate === undefined ? [] : [predicate]
    })
  }

  private match(node: JoinNode): Fragment {
    return conjunction([
      this.condition(node.on),
      ...(node.where === undefined ? [] : [this.expr(node.where)]),
      ...node.children.flatMap((c) => this.predicate(c) ?? []),
    ])!
  }

  private readonly predicates: Record<JoinMode, (node: JoinNode) => Fragment | undefined> = {
    any: (node) => sql`EXISTS (SELECT 1 FROM ${this.source(node.source)} WHERE ${this.match(node)})`,
    none: (node) => sql`NOT EXISTS (SELECT 1 FROM ${this.source(node.source)} WHERE ${this.match(node)})`,
    multiple: (node) => sql`(SELECT COUNT(*) FROM ${this.source(node.source)} WHERE ${this.match(node)}) >= 2`,
    all: (node) => {
      const from = this.source(node.source)
      const join = this.condition(node.on)
      const exists = sql`EXISTS (SELECT 1 FROM ${from} WHERE ${join})`
      const condition = conjunction([
        ...(node.where === undefined ? [] : [this.expr(node.where)]),
        ...node.children.flatMap((c) => this.predicate(c) ?? []),
      ])
      if (condition === undefined) return exists
      const failing = sql`NOT EXISTS (SELECT 1 FROM ${from} WHERE ${join} AND ${this.isNotTrue(condition)})`
      return sql`(${exists} AND ${failing})`
    },
    optional: () => undefined,
  }

  /** The item as a condition on its parent's row; undefined for optional (it never removes rows). */
  private predicate(node: JoinNode): Fragment | undefined {
    return this.predicates[node.mode](node)
  }

  private condition(on: JoinConditionNode): Fragment {
    let parent = this.operand(on.parent)
    let child = this.operand(on.child)
    if (on.caseInsensitive) {
      parent = this.lower(parent)
      child = this.lower(child)
    }
    return sql`(${parent} = ${child})`
  }

  private readonly operands: { [K in OperandNode['kind']]: (node: Extract<OperandNode, { kind: K }>) => Fragment } = {
    ColumnOperand: (node) => raw(this.columnRef(node.alias, node.column)),
    // A link's normaliser is checked over its table's name and read from the join's alias.
    ExpressionOperand: (node) => expressionSql(node.expr, this.expressionContext, () => node.alias),
  }

  private operand(node: OperandNode): Fragment {
    return node.kind === 'ColumnOperand' ? this.operands.ColumnOperand(node) : this.operands.ExpressionOperand(node)
  }

  // ---- lookups -------------------------------------------------------------------------------

  private lookup(node: LookupNode): Fragment {
    const target = node.target
    let from = this.source(target)
    let column: Fragment
    if (node.multiValued) {
      // The side table holds one row per value (and per version); joining the view keeps current rows.
      const side = target.sideTables.get(node.column)!
      const v = LOOKUP_VALUE_ALIAS
      from = sql`${from} INNER JOIN ${raw(`${side} AS ${this.quote(v)}`)} ON (${raw(`${this.quote(v)}.${this.quote('_rid')} = ${this.quote(target.alias)}.${this.quote('_rid')}`)})`
      column = raw(`${this.quote(v)}.${this.quote('value')}`)
    } else {
      column = raw(`${this.quote(target.alias)}.${this.quote(node.column)}`)
    }
    this.read(target, node.column)
    let value = this.expr(node.value)
    if (node.caseInsensitive) {
      column = this.lower(column)
      value = this.lower(value)
    }
    // An IN over the looked-up column's values, not a correlated EXISTS: both databases evaluate it
    // once (a hashed subplan on PostgreSQL, a transient index on SQLite), so a lookup costs
    // O(rows + values) even when lower() keeps indexes out of play. Nulls are kept out of the set
    // (NOT IN over a set with a null is never true), and a null value is never found.
    const values = sql`SELECT ${column} FROM ${from} WHERE ${column} IS NOT NULL`
    return node.mode === 'include' ? sql`((${value}) IN (${values}))` : sql`((${value}) IS NULL OR (${value}) NOT IN (${values}))`
  }

  // ---- expressions and columns ---------------------------------------------------------------

  private get expressionContext(): ExpressionSqlContext {
    return {
      ...this.options,
      dialect: this.dialect,
      column: (alias, column) => this.columnRef(alias, column),
    }
  }

  private expr(expr: TypedExpr): Fragment {
    return expressionSql(expr, this.expressionContext)
  }

  /** A computed column's SQL, compiled when first used (counting statements never use it). */
  private computed(name: string): Fragment {
    let fragment = this.computedSql.get(name)
    if (fragment === undefined) {
      const node = this.plan.computed.find((c) => c.name === name)
      if (node === undefined) throw new Error(`Unknown computed column ${name}`)
      fragment = this.expr(node.expr)
      this.computedSql.set(name, fragment)
    }
    return fragment
  }

  private columnRef(alias: string, column: string): string {
    const source = this.sources.get(alias)
    if (source !== undefined && column !== '_rid') this.read(source, column)
    return `${this.quote(alias)}.${this.quote(column)}`
  }

  private read(source: TableSourceNode, column: string): void {
    const key = `${source.system}.${source.table}`
    let entry = this.reads.get(key)
    if (entry === undefined) {
      entry = { system: source.system, table: source.table, columns: new Set() }
      this.reads.set(key, entry)
    }
    entry.columns.add(column)
  }
}
