/**
 * The SQL of a lookup: whether a value exists among the values of a column of any table (NIM's
 * lookups), with no relation needed. A multi-valued column is read through its side table.
 */
import type { TypedExpr } from '../expr/index.ts'
import { LOOKUP_VALUE_ALIAS } from './build-output.ts'
import type { LookupNode, TableSourceNode } from './filter-plan.ts'
import { type Fragment, raw, sql } from './sql-fragment.ts'

/** What a lookup needs from the compiler. */
export interface LookupSqlContext {
  quote(name: string): string
  source(source: TableSourceNode): Fragment
  lower(fragment: Fragment): Fragment
  expr(expr: TypedExpr): Fragment
  /** Notes a column the statement reads. */
  read(source: TableSourceNode, column: string): void
}

export function lookupSql(node: LookupNode, c: LookupSqlContext): Fragment {
  const target = node.target
  let from = c.source(target)
  let column: Fragment
  if (node.multiValued) {
    // The side table holds one row per value (and per version); joining the view keeps current rows.
    const side = target.sideTables.get(node.column)!
    const v = LOOKUP_VALUE_ALIAS
    from = sql`${from} INNER JOIN ${raw(`${side} AS ${c.quote(v)}`)} ON (${raw(`${c.quote(v)}.${c.quote('_rid')} = ${c.quote(target.alias)}.${c.quote('_rid')}`)})`
    column = raw(`${c.quote(v)}.${c.quote('value')}`)
  } else {
    column = raw(`${c.quote(target.alias)}.${c.quote(node.column)}`)
  }
  c.read(target, node.column)
  let value = c.expr(node.value)
  if (node.caseInsensitive) {
    column = c.lower(column)
    value = c.lower(value)
  }
  // An IN over the looked-up column's values, not a correlated EXISTS: both databases evaluate it
  // once (a hashed subplan on PostgreSQL, a transient index on SQLite), so a lookup costs
  // O(rows + values) even when lower() keeps indexes out of play. Nulls are kept out of the set
  // (NOT IN over a set with a null is never true), and a null value is never found.
  const values = sql`SELECT ${column} FROM ${from} WHERE ${column} IS NOT NULL`
  return node.mode === 'include'
    ? sql`((${value}) IN (${values}))`
    : sql`((${value}) IS NULL OR (${value}) NOT IN (${values}))`
}
