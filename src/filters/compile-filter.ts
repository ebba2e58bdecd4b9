/**
 * The entry point from configuration to SQL: check the filter, resolve its parameters, compile it
 * for one vault database. The result is one statement with `?` placeholders and its values.
 */
import type { ColumnType, Value } from '../core/index.ts'
import type { FilterConfig } from '../config/index.ts'
import type { DialectName, SqlValue } from '../vault/index.ts'
import { buildPlan } from './build-plan.ts'
import { filterError, type FilterErrorCode } from './errors.ts'
import { isError } from './filter-issues.ts'
import type { LiftedBindings, SelectKind, TableRead } from './filter-compiler.ts'
import { createFilterCompiler } from './filter-dialects.ts'
import type { FilterPlan } from './filter-plan.ts'
import type { FilterContext } from './join-paths.ts'
import { type ParameterValues, resolveParameters } from './parameters.ts'
import { render } from './sql-fragment.ts'

/** One column of a filter's result: `e.employee_id` for table columns, the name for computed ones. */
export interface FilterColumn {
  readonly name: string
  readonly type: ColumnType
}

/** A filter compiled for one database. */
export interface CompiledFilter {
  readonly filter: string
  readonly dialect: DialectName
  /** One statement with `?` placeholders; the vault's drivers number them. */
  readonly sql: string
  readonly params: readonly SqlValue[]
  /** The result columns, in select order. */
  readonly columns: readonly FilterColumn[]
  /** The tables (and their columns) the statement reads; they must have been collected. */
  readonly tables: readonly TableRead[]
  /** A statement that counts the result rows, without computing the output columns. */
  readonly count: { readonly sql: string; readonly params: readonly SqlValue[] }
  /** The parameter values the statement was compiled with. */
  readonly parameters: Readonly<Record<string, Value>>
}

/** Counts the rows of a statement that selects the start row of each result row. */
export function countSql(startRows: string): string {
  return `SELECT COUNT(*) AS "n" FROM (${startRows}) AS "f"`
}

/** Throws when the filter has problems: the code of the first, and every issue attached. */
export function checkedPlan(filter: FilterConfig, context: FilterContext): FilterPlan {
  const { plan, issues } = buildPlan(filter, context)
  const errors = issues.filter(isError)
  if (plan !== undefined && errors.length === 0) return plan
  const first = errors[0]
  if (first === undefined) throw new Error(`Filter ${filter.name} could not be planned, yet no problem was reported`)
  const code: FilterErrorCode = first.code.startsWith('FLT_')
    ? (first.code as FilterErrorCode)
    : 'FLT_INVALID_EXPRESSION'
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''
  throw filterError(code, `Filter ${filter.name} is not valid: ${first.message}${more}`, {
    ...(first.hint === undefined ? {} : { hint: first.hint }),
    issues: errors,
  })
}

/**
 * Compiles a checked plan; `select` picks the output columns or only the start rows (for counting),
 * `bindings` the values of lifted parameters (lifted-parameters.ts).
 */
export function compilePlan(
  plan: FilterPlan,
  dialect: DialectName,
  context: FilterContext,
  parameters: Readonly<Record<string, Value>>,
  select: SelectKind = 'Output',
  bindings?: LiftedBindings,
): { sql: string; params: SqlValue[]; tables: TableRead[] } {
  const compiler = createFilterCompiler(dialect, plan, {
    paramValues: parameters,
    timeZone: context.timeZone,
    now: context.now,
    bindings,
  })
  const { sql, params } = render(compiler.compile(select))
  return { sql, params, tables: compiler.tableReads() }
}

/**
 * Compiles a filter to one parameterized statement for `dialect`. Throws a FLT_ error carrying
 * every issue when the filter is not valid, FLT_MISSING_PARAMETER / FLT_INVALID_PARAMETER /
 * FLT_UNKNOWN_PARAMETER for parameter values.
 *
 * @example
 * const compiled = compileFilter(filter, { systems, links }, 'sqlite', { since: '2026-01-01' })
 * for await (const rows of runFilter(db, compiled, { limit: 100 })) console.log(rows)
 */
export function compileFilter(
  filter: FilterConfig,
  context: FilterContext,
  dialect: DialectName,
  params: ParameterValues = {},
): CompiledFilter {
  const plan = checkedPlan(filter, context)
  const parameters = resolveParameters(filter, params)
  const { sql, params: values, tables } = compilePlan(plan, dialect, context, parameters)
  const rows = compilePlan(plan, dialect, context, parameters, 'StartRow')
  return {
    filter: filter.name,
    dialect,
    sql,
    params: values,
    columns: plan.output.map((o) => ({ name: o.name, type: o.type })),
    tables,
    count: { sql: countSql(rows.sql), params: rows.params },
    parameters,
  }
}
