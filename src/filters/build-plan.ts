/**
 * From a FilterConfig to a {@link FilterPlan}: resolves every table and join path, checks every
 * expression in its scope, and decides the output columns. Everything here works without a
 * database, so `provisio validate` reports the same problems a run would, all at once and positioned.
 *
 * Scopes (what each expression may name, besides the filter's :parameters):
 * - a join item's `where`: its own alias (the default for bare names) and the aliases of its parents;
 * - the filter's `where`, computed columns and lookup values: the attached aliases (the start table,
 *   and any/multiple/optional joins outside none/all), the start alias being the default.
 * Computed columns are in no scope (as in src/config/filter-scopes.ts): they are output only.
 */
import { type ColumnType, closestMatch, type Issue, type TableSchema } from '../core/index.ts'
import type { FilterConfig, JoinItem } from '../config/index.ts'
import type { Scope, TypedExpr } from '../expr/index.ts'
import { checkIn } from './expressions.ts'
import { expressionIssues, isError, issueAt } from './filter-issues.ts'
import { ColumnOperandNode, ComputedNode, FilterPlan, JoinConditionNode, JoinNode, tableSource } from './filter-plan.ts'
import { describePath, type FilterContext, findTable, resolveJoinPath, type TableRef } from './join-paths.ts'
import { checkLinkSides, sideOperand } from './link-sides.ts'
import { buildLookups, buildOutput } from './build-output.ts'

type Columns = Record<string, ColumnType>

export function columnsOf(schema: TableSchema): Columns {
  return Object.fromEntries(schema.columns.map((c) => [c.name, c.type]))
}

/** What the later parts of a plan (computed columns, where, lookups, output) are built against. */
export interface PlanScope {
  readonly filter: FilterConfig
  readonly context: FilterContext
  readonly issues: Issue[]
  readonly parameters: Readonly<Record<string, ColumnType>>
  /** The attached aliases in output order, with their tables. */
  readonly attached: ReadonlyMap<string, TableSchema>
  readonly startAlias: string
  /** Checks an expression and records its issues at `path`. */
  expression(
    text: string,
    scope: Scope,
    path: readonly (string | number)[],
    what: string,
    expected?: ColumnType,
  ): TypedExpr | undefined
}

class PlanBuilder implements PlanScope {
  readonly issues: Issue[] = []
  readonly parameters: Record<string, ColumnType>
  readonly attached = new Map<string, TableSchema>()
  readonly startAlias: string

  constructor(
    readonly filter: FilterConfig,
    readonly context: FilterContext,
  ) {
    this.parameters = Object.fromEntries(filter.parameters.map((p) => [p.name, p.type]))
    this.startAlias = filter.start.alias
  }

  expression(text: string, scope: Scope, path: readonly (string | number)[], what: string, expected?: ColumnType) {
    const { expr, issues } = checkIn(text, { ...scope, parameters: this.parameters }, expected)
    this.issues.push(...expressionIssues(this.filter.document, path, what, text, issues))
    return expr
  }

  table(ref: TableRef, path: readonly (string | number)[]): TableSchema | undefined {
    const schema = findTable(this.context, ref)
    if (schema === undefined) {
      const system = this.context.systems.find((s) => s.name === ref.system)
      const known = system?.tables.map((t) => t.name) ?? this.context.systems.map((s) => s.name)
      const guess = closestMatch(system === undefined ? ref.system : ref.table, known)
      this.issues.push(
        issueAt(this.filter.document, path, {
          code: 'FLT_UNKNOWN_TABLE',
          message: `There is no table ${ref.system}.${ref.table}.`,
          hint:
            guess !== undefined
              ? `Did you mean '${guess}'?`
              : `${system === undefined ? 'The systems are' : `${ref.system} has`}: ${known.join(', ') || '(none)'}.`,
        }),
      )
    }
    return schema
  }

  checkAliases(): void {
    const seen = new Set<string>([this.startAlias])
    const walk = (items: readonly JoinItem[]) => {
      for (const item of items) {
        if (seen.has(item.alias)) {
          this.issues.push(
            issueAt(this.filter.document, item.path, {
              code: 'FLT_DUPLICATE_NAME',
              message: `The alias '${item.alias}' is used more than once in filter ${this.filter.name}.`,
            }),
          )
        }
        seen.add(item.alias)
        walk(item.joins)
      }
    }
    walk(this.filter.joins)
  }

  condition(item: JoinItem, parent: { ref: TableRef; alias: string }): JoinConditionNode | undefined {
    const found = resolveJoinPath(this.context, parent.ref, item, item.via, item.through)
    const at = [...item.path, item.via === undefined ? 'table' : 'via']
    if ('problem' in found) {
      this.issues.push(issueAt(this.filter.document, at, found.problem))
      return undefined
    }
    const { path } = found
    const description = describePath(path)
    if (path.kind === 'Relation') {
      return JoinConditionNode.create({
        parent: ColumnOperandNode.create(parent.alias, path.parentColumn),
        child: ColumnOperandNode.create(item.alias, path.childColumn),
        caseInsensitive: false,
        description,
      })
    }
    const checked = checkLinkSides(path.link, this.context)
    if (checked.sides === undefined) {
      const first = checked.issues[0]
      this.issues.push(
        issueAt(this.filter.document, at, {
          code:
            first?.code.startsWith('FLT_') === true ? (first.code as 'FLT_TYPE_MISMATCH') : 'FLT_INVALID_EXPRESSION',
          message: `The join '${item.alias}' goes through link ${path.link.name}, which is not valid: ${first?.message ?? ''}`,
          hint: `Fix the link in ${path.link.file}${first?.line === undefined ? '' : `:${first.line}`}.`,
        }),
      )
      return undefined
    }
    const childSide = path.parentSide === 'left' ? checked.sides.right : checked.sides.left
    return JoinConditionNode.create({
      parent: sideOperand(checked.sides[path.parentSide], parent.alias),
      child: sideOperand(childSide, item.alias),
      caseInsensitive: path.link.caseInsensitive,
      description,
    })
  }

  join(item: JoinItem, parent: { ref: TableRef; alias: string }, outer: Record<string, Columns>): JoinNode | undefined {
    const schema = this.table(item, [...item.path, 'table'])
    if (schema === undefined) return undefined
    const aliases = { ...outer, [item.alias]: columnsOf(schema) }
    const before = this.issues.length
    const on = this.condition(item, parent)
    const where =
      item.where === undefined
        ? undefined
        : this.expression(
            item.where,
            { aliases, defaultAlias: item.alias },
            [...item.path, 'where'],
            `where of join '${item.alias}'`,
            'boolean',
          )
    const children = item.joins.map((child) => this.join(child, { ref: item, alias: item.alias }, aliases))
    if (on === undefined || this.issues.length > before || children.some((c) => c === undefined)) return undefined
    return JoinNode.create({
      mode: item.mode,
      source: tableSource(schema, item.alias),
      on,
      where,
      children: children as JoinNode[],
    })
  }

  /** The aliases whose columns reach the output, in document order; tables that do not resolve are left out. */
  collectAttached(items: readonly JoinItem[]): void {
    for (const item of items) {
      if (item.mode !== 'any' && item.mode !== 'multiple' && item.mode !== 'optional') continue
      const schema = findTable(this.context, item)
      if (schema === undefined) continue
      if (!this.attached.has(item.alias)) this.attached.set(item.alias, schema)
      this.collectAttached(item.joins)
    }
  }

  computed(): ComputedNode[] {
    const nodes: ComputedNode[] = []
    const visible: Columns = {}
    for (const column of this.filter.computed) {
      if (Object.hasOwn(visible, column.name) || nodes.some((n) => n.name === column.name)) {
        this.issues.push(
          issueAt(this.filter.document, column.path, {
            code: 'FLT_DUPLICATE_NAME',
            message: `Two computed columns are named '${column.name}'.`,
          }),
        )
        continue
      }
      const scope = { aliases: this.attachedColumns(), defaultAlias: this.startAlias }
      const expr = this.expression(column.expression, scope, column.path, `computed column '${column.name}'`)
      if (expr === undefined) continue
      const type: ColumnType = expr.type === 'null' ? 'string' : expr.type
      visible[column.name] = type
      nodes.push(ComputedNode.create(column.name, expr, type))
    }
    return nodes
  }

  attachedColumns(): Record<string, Columns> {
    return Object.fromEntries([...this.attached].map(([alias, schema]) => [alias, columnsOf(schema)]))
  }
}

/** Resolves and checks a filter; `plan` is undefined when any error was found. */
export function buildPlan(
  filter: FilterConfig,
  context: FilterContext,
): { plan: FilterPlan | undefined; issues: Issue[] } {
  const b = new PlanBuilder(filter, context)
  const startSchema = b.table(filter.start, ['start'])
  if (startSchema === undefined) return { plan: undefined, issues: b.issues }
  b.checkAliases()
  const startAliases = { [filter.start.alias]: columnsOf(startSchema) }
  const joins = filter.joins.map((item) => b.join(item, { ref: filter.start, alias: filter.start.alias }, startAliases))
  b.attached.set(filter.start.alias, startSchema)
  b.collectAttached(filter.joins)
  const computed = b.computed()
  const fullScope: Scope = { aliases: b.attachedColumns(), defaultAlias: filter.start.alias }
  const where =
    filter.where === undefined ? undefined : b.expression(filter.where, fullScope, ['where'], 'where', 'boolean')
  const lookups = buildLookups(b, fullScope)
  const output = buildOutput(b, computed)
  if (b.issues.some(isError) || joins.some((j) => j === undefined)) return { plan: undefined, issues: b.issues }
  const plan = FilterPlan.create({
    name: filter.name,
    start: tableSource(startSchema, filter.start.alias),
    where,
    joins: joins as JoinNode[],
    lookups,
    computed,
    output,
    maxMultiplication: filter.maxMultiplication,
  })
  return { plan, issues: b.issues }
}
