/**
 * What each expression of a filter can see (docs/configuration.md, "Expression scopes"):
 *
 * - the filter's `where`, its computed columns and its lookups' `value`: the attached tables (the
 *   start table and every any/multiple/optional join that is not inside a none or all join), by
 *   alias, with the start table's alias as the default for bare column names, plus the parameters;
 * - a join's `where`: the join's own table and its ancestors' tables (up to the start table, whatever
 *   their modes), with the join's own alias as the default, plus the parameters.
 *
 * Computed columns are not in any scope. A scope that includes a table whose reference did not
 * resolve is not built: the expressions over it are not checked, so that one wrong table name does
 * not bring a flood of "unknown alias" messages. A repeated alias (an error of its own) means the
 * first table that has it.
 */
import type { ColumnType } from '../core/index.ts'
import type { Scope } from '../expr/index.ts'
import type { FilterParameter } from './filter-model.ts'
import type { FilterTable, FilterTables } from './filter-tables.ts'

/** The tables whose columns reach the filter's rows, in document order. */
export function attachedTables(tables: FilterTables): FilterTable[] {
  return tables.all.filter((t) => t.attached)
}

/** The scope of the filter's `where`, computed columns and lookup values; undefined when a table did not resolve. */
export function filterScope(tables: FilterTables, parameters: readonly FilterParameter[]): Scope | undefined {
  return scopeOf(attachedTables(tables), tables.start.alias, parameters)
}

/** The scope of a join's `where`: its table and its ancestors'; undefined when one of them did not resolve. */
export function joinScope(table: FilterTable, parameters: readonly FilterParameter[]): Scope | undefined {
  const chain: FilterTable[] = []
  for (let t: FilterTable | undefined = table; t !== undefined; t = t.parent) chain.unshift(t)
  return scopeOf(chain, table.alias, parameters)
}

function scopeOf(
  tables: readonly FilterTable[],
  defaultAlias: string,
  parameters: readonly FilterParameter[],
): Scope | undefined {
  if (tables.some((t) => t.target === undefined)) return undefined
  const aliases = Object.fromEntries(
    tables
      .filter((t) => !t.duplicate)
      .map((t): [string, Record<string, ColumnType>] => [
        t.alias,
        Object.fromEntries(t.target!.table.columns.map((c) => [c.name, c.type])),
      ]),
  )
  return {
    aliases,
    defaultAlias,
    parameters: Object.fromEntries(parameters.map((p) => [p.name, p.type])),
  }
}
