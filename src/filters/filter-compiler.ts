/**
 * Compiles a {@link FilterPlan} to one SQL statement over the vault's current-rows views.
 *
 * Shapes (P is the parent's alias, A the item's; match(A) is the join condition, the item's where and
 * the predicates of its nested items):
 * - any:      `INNER JOIN view AS A ON match` — one row per match, columns attached;
 * - multiple: `INNER JOIN view AS A ON match AND EXISTS (SELECT 1 FROM (SELECT key FROM view … GROUP BY 1
 *   HAVING COUNT(*) >= 2) AS A WHERE parent key = A.key)` (a COUNT(*) per row when the where reads a parent);
 * - optional: `LEFT JOIN view AS A ON match`, where match also requires the nested any/multiple items
 *   (as EXISTS / COUNT), whose own joins are then LEFT JOINs too: a row of A is attached only with
 *   its nested matches, and a row without any is kept with nulls;
 * - none:     `NOT EXISTS (SELECT 1 FROM view AS A WHERE match)`;
 * - all:      `EXISTS (… WHERE join) AND NOT EXISTS (… WHERE join AND (where AND nested) IS NOT TRUE)`.
 * Subqueries reuse the item's alias: inside them it shadows the outer table of the same alias, so one
 * compiled expression serves both places. Lookups are `value IN (SELECT column …)` (NOT IN for
 * exclude), a set each database builds once.
 *
 * Every joined table passes the keyedTable() hook with how it is read: SQLite reads a table through a
 * materialized CTE holding the key as a column when it could not otherwise use an index (an
 * expression key, or a per-row subquery on a column the vault does not index); PostgreSQL hashes
 * joins and (NOT) EXISTS on any expression and reads the view as it is.
 *
 * Lifted parameters (lifted-parameters.ts): with `bindings`, a table of the bindings (alias `#b`, one row per
 * binding: its index and one typed column per lifted parameter) is joined right after the start table,
 * and every :parameter it lifts reads its column instead of a bound value. The statement then yields
 * each binding's rows in one run, `#binding` first and ordered first; every mode, where and lookup
 * works unchanged because `#b` is an outer table to all of them.
 *
 * The visitor tables are typed `Record<JoinMode, …>` and `Record<OperandNode['kind'], …>`, so a new
 * mode or operand does not compile until every handler exists. Dialects override only the small hooks.
 */
import type { ColumnType, Value } from '../core/index.ts'
import type { JoinMode } from '../config/index.ts'
import type { TypedExpr } from '../expr/index.ts'
import { type DialectName, quoteIdentifier } from '../vault/index.ts'
import { type ExpressionSqlContext, expressionSql, lowerSql } from './expressions.ts'
import { lookupSql, type LookupSqlContext } from './lookup-sql.ts'
import {
  attachedJoins,
  type FilterPlan,
  type JoinNode,
  isSelfContained,
  joinsInOrder,
  type OperandNode,
  type TableSourceNode,
} from './filter-plan.ts'
import { bound, type BoundValue, conjunction, type Fragment, group, joinSql, raw, sql } from './sql-fragment.ts'

export interface FilterCompileOptions {
  /** The value of every declared parameter. */
  readonly paramValues: Readonly<Record<string, Value>>
  /** @default 'UTC' */
  readonly timeZone?: string | undefined
  /** @default the moment of compiling */
  readonly now?: Date | undefined
  /** Lifted parameters: the statement yields the filter's rows once per binding. @default none */
  readonly bindings?: LiftedBindings | undefined
}

/** The bindings of lifted parameters, as the statement reads them. */
export interface LiftedBindings {
  /** One JSON array of binding tuples (values in `parameters` order, encoded as bound values are). */
  readonly json: string
  /** The lifted parameters, in tuple order, with their declared types. */
  readonly parameters: readonly { readonly name: string; readonly type: ColumnType }[]
  /** Order the output (by binding, then as the filter does). @default true */
  readonly ordered?: boolean | undefined
}

/** The bindings table's alias, index column and value columns ('#' keeps them apart from user aliases). */
export const BINDINGS = { alias: '#b', index: '#binding', value: (i: number) => `#p${i}` } as const

/** How a joined table is read, for {@link DefaultFilterCompiler.keyedTable}. */
export interface KeyAccess {
  /** Read in a subquery evaluated once per parent row (EXISTS, NOT EXISTS, COUNT), not in the main FROM. */
  readonly correlated: boolean
  /** The key is an expression (lower(), a link's normaliser), not a plain column. */
  readonly expression: boolean
  /** The key is a plain column the vault indexes (the table's primary key or a reference key). */
  readonly indexed: boolean
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
  private readonly ctes = new Map<string, Fragment>()
  private readonly reads = new Map<string, { system: string; table: string; columns: Set<string> }>()
  /** The SQL of each lifted parameter: its column of the bindings table. */
  private readonly lifted = new Map<string, string>()

  constructor(
    protected readonly plan: FilterPlan,
    protected readonly options: FilterCompileOptions,
  ) {
    for (const source of [plan.start, ...joinsInOrder(plan.joins).map((j) => j.source)])
      this.sources.set(source.alias, source)
    options.bindings?.parameters.forEach((p, i) =>
      this.lifted.set(p.name, `${this.quote(BINDINGS.alias)}.${this.quote(BINDINGS.value(i))}`),
    )
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

  /**
   * The FROM item of a joined table and the SQL of its join key. By default the table itself and the
   * key as it is: PostgreSQL hashes joins, EXISTS and NOT EXISTS on any expression.
   */
  protected keyedTable(_name: string, from: Fragment, _alias: string, key: Fragment, _access: KeyAccess) {
    return { from, key }
  }

  /** Adds a common table expression to the statement (once per name). */
  protected with(name: string, definition: Fragment): void {
    if (!this.ctes.has(name)) this.ctes.set(name, definition)
  }

  /**
   * The FROM item `… AS "#b"` of the bindings: one row per binding of `json` (an array of tuples), with
   * the column {@link BINDINGS}.index (0-based) and a column {@link BINDINGS}.value(i) per parameter,
   * typed as the expression compiler types that parameter.
   */
  protected abstract bindingsTable(json: BoundValue, parameters: LiftedBindings['parameters']): Fragment

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
      ...(this.options.bindings === undefined ? [] : [this.bindingsJoin()!]),
      ...plan.joins.flatMap((j) => this.joined(j, false)),
    ]
    const where = conjunction([
      ...this.childConditions(plan.joins, false),
      ...(plan.where === undefined ? [] : [this.expr(plan.where)]),
      ...plan.lookups.map((l) => lookupSql(l, this.lookupContext)),
    ])
    if (where !== undefined) clauses.push(sql`WHERE ${where}`)
    if (select === 'Output' && this.options.bindings?.ordered !== false) {
      const order = [plan.start, ...attachedJoins(plan.joins).map((j) => j.source)].map((s) =>
        this.columnRef(s.alias, '_rid'),
      )
      if (this.options.bindings !== undefined) order.unshift(this.bindingIndex())
      clauses.push(raw(`ORDER BY ${order.join(', ')}`))
    }
    if (this.ctes.size > 0) {
      const ctes = [...this.ctes].map(
        ([name, definition]) => sql`${raw(this.quote(name))} AS MATERIALIZED (${definition})`,
      )
      clauses.unshift(sql`WITH ${joinSql(ctes, ', ')}`)
    }
    return joinSql(clauses, '\n')
  }

  /** The tables and columns the compiled statements read. */
  tableReads(): TableRead[] {
    return [...this.reads.values()].map((r) => ({ system: r.system, table: r.table, columns: [...r.columns] }))
  }

  private selectList(select: SelectKind): Fragment {
    if (select === 'StartRow') return raw(`${this.columnRef(this.plan.start.alias, '_rid')} AS ${this.quote('rid')}`)
    const columns = this.plan.output.map((o) => {
      const value =
        o.source.kind === 'Column' ? raw(this.columnRef(o.source.alias, o.source.column)) : this.computed(o.source.name)
      return sql`${value} AS ${raw(this.quote(o.name))}`
    })
    if (this.options.bindings !== undefined)
      columns.unshift(raw(`${this.bindingIndex()} AS ${this.quote(BINDINGS.index)}`))
    return joinSql(columns, ', ')
  }

  /**
   * The bindings table, joined to the start table without a condition. INNER JOIN … ON TRUE rather
   * than CROSS JOIN, which SQLite reads as "keep this order": the planner must be free to start from
   * the bindings or from a joined table. https://www.sqlite.org/optoverview.html#crossjoin
   */
  private bindingsJoin(): Fragment | undefined {
    const { bindings } = this.options
    if (bindings === undefined) return undefined
    return sql`INNER JOIN ${this.bindingsTable(bound(bindings.json), bindings.parameters)} ON TRUE`
  }

  private bindingIndex(): string {
    return `${this.quote(BINDINGS.alias)}.${this.quote(BINDINGS.index)}`
  }

  private source(source: TableSourceNode): Fragment {
    return raw(`${source.view} AS ${this.quote(source.alias)}`)
  }

  // ---- joins ---------------------------------------------------------------------------------

  /** The JOIN clauses of an item joined into the main query, then those of its nested items. */
  private joined(node: JoinNode, parentNullable: boolean): Fragment[] {
    if (node.mode === 'none' || node.mode === 'all') return []
    const nullable = parentNullable || node.mode === 'optional'
    const { from, condition } = this.joinSource(node, false)
    const on = conjunction([
      condition,
      ...(node.where === undefined ? [] : [this.expr(node.where)]),
      // Under a nullable parent, the parent's ON clause already requires this item's matches.
      ...(node.mode === 'multiple' && !parentNullable ? [this.predicate(node)!] : []),
      ...this.childConditions(node.children, nullable),
    ])!
    const keyword = nullable ? 'LEFT JOIN' : 'INNER JOIN'
    return [sql`${raw(keyword)} ${from} ON ${on}`, ...node.children.flatMap((c) => this.joined(c, nullable))]
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

  /** The item's where and the conditions of its nested items, on one row of the item's table. */
  private ownConditions(node: JoinNode): Fragment[] {
    return [
      ...(node.where === undefined ? [] : [this.expr(node.where)]),
      ...node.children.flatMap((c) => this.predicate(c) ?? []),
    ]
  }

  /** A subquery over the item's matches: `SELECT … FROM table WHERE join AND where AND nested`. */
  private matches(node: JoinNode, select: string): Fragment {
    const { from, condition } = this.joinSource(node, true)
    return sql`SELECT ${raw(select)} FROM ${from} WHERE ${conjunction([condition, ...this.ownConditions(node)])!}`
  }

  private readonly predicates: Record<JoinMode, (node: JoinNode) => Fragment | undefined> = {
    any: (node) => sql`EXISTS (${this.matches(node, '1')})`,
    none: (node) => sql`NOT EXISTS (${this.matches(node, '1')})`,
    multiple: (node) => this.atLeastTwo(node),
    all: (node) => {
      const { from, condition: join } = this.joinSource(node, true)
      const exists = sql`EXISTS (SELECT 1 FROM ${from} WHERE ${join})`
      const condition = conjunction(this.ownConditions(node))
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

  /**
   * "Two or more matches". When the item's where and nested items read only its own tables, the
   * matches are counted once per join key in a grouped derived table, which both databases join by
   * hash or index; a COUNT(*) per parent row would read the table once per row on PostgreSQL.
   * When those wheres use a lifted parameter, the matches differ per binding: they are counted per
   * join key and binding, the derived table joining the bindings itself (its `#b` shadows the outer one).
   */
  private atLeastTwo(node: JoinNode): Fragment {
    if (!isSelfContained(node)) return sql`(${this.matches(node, 'COUNT(*)')}) >= 2`
    const keys = this.joinKeys(node)
    const a = this.quote(node.source.alias)
    const k = this.quote('#k')
    const where = conjunction(this.ownConditions(node))
    const bindings = this.readsLifted(node) ? this.bindingsJoin() : undefined
    const kb = this.quote('#kb')
    const grouped =
      bindings === undefined
        ? sql`SELECT ${keys.child} AS ${raw(k)} FROM ${this.source(node.source)}${where === undefined ? raw('') : sql` WHERE ${where}`} GROUP BY 1 HAVING COUNT(*) >= 2`
        : sql`SELECT ${keys.child} AS ${raw(k)}, ${raw(`${this.bindingIndex()} AS ${kb}`)} FROM ${this.source(node.source)} ${bindings}${where === undefined ? raw('') : sql` WHERE ${where}`} GROUP BY 1, 2 HAVING COUNT(*) >= 2`
    const sameBinding = bindings === undefined ? [] : [raw(`(${a}.${kb} = ${this.bindingIndex()})`)]
    const condition = conjunction([sql`(${keys.parent} = ${raw(`${a}.${k}`)})`, ...sameBinding])!
    return sql`EXISTS (SELECT 1 FROM (${grouped}) AS ${raw(a)} WHERE ${condition})`
  }

  /** Whether the item's where or those of its nested items use a lifted parameter. */
  private readsLifted(node: JoinNode): boolean {
    return joinsInOrder([node]).some((j) => (j.where?.parameters ?? []).some((p) => this.lifted.has(p)))
  }

  /** Both sides of the join condition, lower-cased when case-insensitive, and how the child side is indexable. */
  private joinKeys(node: JoinNode): { parent: Fragment; child: Fragment; expression: boolean; indexed: boolean } {
    const { on, source } = node
    const expression = on.caseInsensitive || on.child.kind !== 'ColumnOperand'
    const parent = this.operand(on.parent)
    const child = this.operand(on.child)
    const indexed = on.child.kind === 'ColumnOperand' && !expression && source.keyColumns.includes(on.child.column)
    if (!on.caseInsensitive) return { parent, child, expression, indexed }
    return { parent: this.lower(parent), child: this.lower(child), expression, indexed }
  }

  /**
   * The FROM item of a join and its condition `parent = child`, for the main query (`correlated`
   * false) or for a subquery evaluated per parent row; the dialect may read the table through a
   * keyed table that it can index.
   */
  private joinSource(node: JoinNode, correlated: boolean): { from: Fragment; condition: Fragment } {
    const { alias } = node.source
    const keys = this.joinKeys(node)
    const { from, key } = this.keyedTable(`${alias}#k`, this.source(node.source), alias, keys.child, {
      correlated,
      expression: keys.expression,
      indexed: keys.indexed,
    })
    return { from, condition: sql`(${keys.parent} = ${key})` }
  }

  private readonly operands: { [K in OperandNode['kind']]: (node: Extract<OperandNode, { kind: K }>) => Fragment } = {
    ColumnOperand: (node) => raw(this.columnRef(node.alias, node.column)),
    // A link's normaliser is checked over its table's name and read from the join's alias.
    ExpressionOperand: (node) => expressionSql(node.expr, this.expressionContext, () => node.alias),
  }

  private operand(node: OperandNode): Fragment {
    return node.kind === 'ColumnOperand' ? this.operands.ColumnOperand(node) : this.operands.ExpressionOperand(node)
  }

  // ---- expressions and columns ---------------------------------------------------------------

  private get lookupContext(): LookupSqlContext {
    return {
      quote: (name) => this.quote(name),
      source: (source) => this.source(source),
      lower: (fragment) => this.lower(fragment),
      expr: (expr) => this.expr(expr),
      read: (source, column) => this.read(source, column),
    }
  }

  private get expressionContext(): ExpressionSqlContext {
    return {
      ...this.options,
      dialect: this.dialect,
      column: (alias, column) => this.columnRef(alias, column),
      paramSql: (name) => this.lifted.get(name),
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
