/**
 * Lifted parameters: one statement that runs a filter for many parameter values at once. A role
 * generator's member filter, whose parameter `unit` is bound from each of 2,000 generated roles, is
 * then one set-based statement instead of 2,000 runs.
 *
 * The bindings reach SQL as ONE bound JSON array, read as a table (alias `#b`: the binding's index
 * and one typed column per lifted parameter) joined right after the start table; every lifted
 * :parameter reads its column of that table wherever the filter uses it (wheres of the filter and of
 * any join at any depth, computed columns, lookups). So the statement yields exactly the union, over
 * the bindings, of the binding's index with the rows the filter gives for `params` and that binding.
 */
import type { FilterConfig } from '../config/index.ts'
import type { DialectName } from '../vault/index.ts'
import { checkedPlan, type CompiledFilter, compilePlan, countSql } from './compile-filter.ts'
import { BINDINGS } from './filter-compiler.ts'
import type { FilterContext } from './join-paths.ts'
import { type LiftedParameters, parseBindings } from './lifted-bindings.ts'
import { type ParameterValues, resolveParameters } from './parameters.ts'

export type { LiftedParameters } from './lifted-bindings.ts'

/** The first result column of a lifted filter: the 0-based index of the binding a row belongs to. */
export const BINDING_COLUMN = BINDINGS.index

/**
 * Like compileFilter, but the statement yields, for every binding, the rows the filter gives with
 * that binding's values: its first result column is `#binding` (integer, the 0-based index into
 * `bindings`), then the filter's output columns; rows come ordered by binding, then as the filter
 * orders them. Runs with runFilter and countFilter (which counts the rows of every binding). No
 * bindings give a statement without rows. Throws what compileFilter throws, FLT_UNKNOWN_PARAMETER
 * for a lifted name the filter does not declare, and FLT_INVALID_PARAMETER for a binding value that
 * does not parse as its parameter's type (naming the binding, the parameter and the value).
 *
 * @example
 * const compiled = compileLiftedFilter(filter, context, 'sqlite', { today: '2026-12-01' }, {
 *   parameters: ['unit'],
 *   bindings: [['FIN'], ['IT']],
 * })
 * for await (const page of runFilter(db, compiled)) for (const row of page) console.log(row['#binding'], row)
 */
export function compileLiftedFilter(
  filter: FilterConfig,
  context: FilterContext,
  dialect: DialectName,
  params: ParameterValues,
  lifted: LiftedParameters,
): CompiledFilter {
  const plan = checkedPlan(filter, context)
  const bindings = parseBindings(filter, lifted, params)
  const parameters = resolveParameters(filter, params, lifted.parameters)
  const { sql, params: values, tables } = compilePlan(plan, dialect, context, parameters, 'Output', bindings)
  const rows = compilePlan(plan, dialect, context, parameters, 'StartRow', bindings)
  return {
    filter: filter.name,
    dialect,
    sql,
    params: values,
    columns: [{ name: BINDING_COLUMN, type: 'integer' }, ...plan.output.map((o) => ({ name: o.name, type: o.type }))],
    tables,
    count: { sql: countSql(rows.sql), params: rows.params },
    parameters,
  }
}
