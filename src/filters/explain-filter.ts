/**
 * `provisio filter explain`: how many rows remain after each part of a filter, applied cumulatively
 * in document order (the start table, each join item and its nested items, the where, each lookup),
 * and whether the joins multiply the start rows more than the filter's maxMultiplication allows.
 * Each count is one set-based statement over a prefix of the plan.
 */
import type { Issue } from '../core/index.ts'
import type { FilterConfig, JoinMode } from '../config/index.ts'
import type { SqlExecutor } from '../vault/index.ts'
import { checkedPlan, compilePlan, countSql } from './compile-filter.ts'
import { filterError } from './errors.ts'
import type { TableRead } from './filter-compiler.ts'
import { FilterPlan, JoinNode, joinsInOrder } from './filter-plan.ts'
import type { FilterContext } from './join-paths.ts'
import { type ParameterValues, resolveParameters } from './parameters.ts'
import { ensureCollected } from './run-filter.ts'

export interface ExplainStep {
  readonly kind: 'Start' | 'Join' | 'Where' | 'Lookup'
  /** `hr500.employees AS e`, `any hr500.contracts AS c (relation contracts_employee_id …)`, `where`, `lookup groups (exclude)`. */
  readonly label: string
  readonly mode?: JoinMode | 'include' | 'exclude' | undefined
  /** Rows remaining after this step and every step before it. */
  readonly rows: number
}

export interface FilterExplanation {
  readonly filter: string
  readonly steps: readonly ExplainStep[]
  /** The filter's row count (the last step's). */
  readonly rows: number
  /** The rows of the start table. */
  readonly startRows: number
  /** The most output rows one start row gives. */
  readonly maxRowsPerStartRow: number
  readonly maxMultiplication: number
  /** FLT_MULTIPLICATION when maxRowsPerStartRow exceeds maxMultiplication. */
  readonly warnings: readonly Issue[]
}

/** The plan with only the given join items (a prefix in document order), without where and lookups. */
function withJoins(plan: FilterPlan, keep: ReadonlySet<JoinNode>): FilterPlan {
  const prune = (joins: readonly JoinNode[]): JoinNode[] =>
    joins.filter((j) => keep.has(j)).map((j) => JoinNode.create({ ...j, children: prune(j.children) }))
  return FilterPlan.create({ ...plan, joins: prune(plan.joins), where: undefined, lookups: [] })
}

/** The plans of the steps, each with its label, in order. */
function stepPlans(plan: FilterPlan): { step: Omit<ExplainStep, 'rows'>; plan: FilterPlan }[] {
  const start = plan.start
  const steps: { step: Omit<ExplainStep, 'rows'>; plan: FilterPlan }[] = [
    {
      step: { kind: 'Start', label: `${start.system}.${start.table} AS ${start.alias}` },
      plan: withJoins(plan, new Set()),
    },
  ]
  const order = joinsInOrder(plan.joins)
  order.forEach((join, i) => {
    const s = join.source
    steps.push({
      step: {
        kind: 'Join',
        mode: join.mode,
        label: `${join.mode} ${s.system}.${s.table} AS ${s.alias} (${join.on.description})`,
      },
      plan: withJoins(plan, new Set(order.slice(0, i + 1))),
    })
  })
  const joined = withJoins(plan, new Set(order))
  if (plan.where !== undefined) {
    steps.push({ step: { kind: 'Where', label: 'where' }, plan: FilterPlan.create({ ...joined, where: plan.where }) })
  }
  plan.lookups.forEach((lookup, i) => {
    steps.push({
      step: { kind: 'Lookup', mode: lookup.mode, label: `lookup ${lookup.name} (${lookup.mode})` },
      plan: FilterPlan.create({ ...joined, where: plan.where, lookups: plan.lookups.slice(0, i + 1) }),
    })
  })
  return steps
}

/** Counts the rows of each step and the largest number of output rows per start row. */
export async function explainFilter(
  db: SqlExecutor,
  filter: FilterConfig,
  context: FilterContext,
  params: ParameterValues = {},
): Promise<FilterExplanation> {
  const plan = checkedPlan(filter, context)
  const parameters = resolveParameters(filter, params)
  const dialect = db.dialect.name
  const full = compilePlan(plan, dialect, context, parameters, 'StartRow')
  const reads: TableRead[] = [...full.tables, ...compilePlan(plan, dialect, context, parameters).tables]
  await ensureCollected(db, reads, `Filter ${filter.name}`)
  const steps: ExplainStep[] = []
  for (const { step, plan: partial } of stepPlans(plan)) {
    const { sql, params } = compilePlan(partial, dialect, context, parameters, 'StartRow')
    const rows = await db.query<{ n: unknown }>(countSql(sql), params)
    steps.push({ ...step, rows: Number(rows[0]?.n ?? 0) })
  }
  const perStart = await db.query<{ n: unknown }>(
    `SELECT COALESCE(MAX("g"."n"), 0) AS "n" FROM (SELECT COUNT(*) AS "n" FROM (${full.sql}) AS "f" GROUP BY "f"."rid") AS "g"`,
    full.params,
  )
  const maxRowsPerStartRow = Number(perStart[0]?.n ?? 0)
  const warnings: Issue[] = []
  if (maxRowsPerStartRow > plan.maxMultiplication) {
    const start = `${plan.start.system}.${plan.start.table}`
    const error = filterError(
      'FLT_MULTIPLICATION',
      `Filter ${filter.name} gives up to ${maxRowsPerStartRow} rows for one row of ${start}, more than its maxMultiplication (${plan.maxMultiplication}).`,
    )
    warnings.push({
      code: error.code,
      message: error.message,
      hint: error.hint,
      severity: 'warning',
      file: filter.file,
    })
  }
  return {
    filter: filter.name,
    steps,
    rows: steps[steps.length - 1]!.rows,
    startRows: steps[0]!.rows,
    maxRowsPerStartRow,
    maxMultiplication: plan.maxMultiplication,
    warnings,
  }
}
