/**
 * The filter compiler per vault database. Both speak the same SQL for everything the filter
 * compiler writes itself (EXISTS, COUNT(*), IS NOT TRUE, quoted identifiers, `?` placeholders that
 * the drivers number); what differs lives in the expression compiler (functions, casts, collations),
 * which each compiler selects through `dialect`.
 */
import type { DialectName } from '../vault/index.ts'
import { DefaultFilterCompiler, type FilterCompileOptions, type KeyAccess } from './filter-compiler.ts'
import type { FilterPlan } from './filter-plan.ts'
import { type Fragment, raw, sql } from './sql-fragment.ts'

/**
 * SQLite 3.44+ (better-sqlite3 12). `x IS NOT TRUE` needs 3.23+:
 * https://www.sqlite.org/lang_expr.html#boolean_expressions
 */
export class SqliteFilterCompiler extends DefaultFilterCompiler {
  readonly dialect = 'sqlite' as const

  /**
   * SQLite never indexes a table on the fly inside a correlated subquery, nor an expression in a
   * join: `NOT EXISTS (… WHERE c.employee_id = e.employee_id)` on a column without an index, or
   * `lower(u.x) = lower(e.y)`, would read the whole table once per row. A MATERIALIZED common table
   * expression that holds the key as a column gets an automatic index, built once per statement:
   * https://www.sqlite.org/optoverview.html#automatic_indexes and
   * https://www.sqlite.org/lang_with.html#materialization_hints
   */
  protected override keyedTable(name: string, from: Fragment, alias: string, key: Fragment, access: KeyAccess) {
    if (!access.expression && (access.indexed || !access.correlated)) return { from, key }
    const a = this.quote(alias)
    const k = this.quote('#k')
    this.with(name, sql`SELECT ${raw(`${a}.*`)}, ${key} AS ${raw(k)} FROM ${from}`)
    return { from: raw(`${this.quote(name)} AS ${a}`), key: raw(`${a}.${k}`) }
  }
}

/** PostgreSQL 11+: https://www.postgresql.org/docs/current/functions-comparison.html (IS NOT TRUE). */
export class PostgresFilterCompiler extends DefaultFilterCompiler {
  readonly dialect = 'postgres' as const
}

export function createFilterCompiler(
  dialect: DialectName,
  plan: FilterPlan,
  options: FilterCompileOptions,
): DefaultFilterCompiler {
  return dialect === 'sqlite' ? new SqliteFilterCompiler(plan, options) : new PostgresFilterCompiler(plan, options)
}
