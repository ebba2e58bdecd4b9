/**
 * The filter compiler per vault database. Both speak the same SQL for everything the filter
 * compiler writes itself (EXISTS, COUNT(*), IS NOT TRUE, quoted identifiers, `?` placeholders that
 * the drivers number); what differs lives in the expression compiler (functions, casts, collations),
 * which each compiler selects through `dialect`.
 */
import type { DialectName } from '../vault/index.ts'
import { DefaultFilterCompiler, type FilterCompileOptions } from './filter-compiler.ts'
import type { FilterPlan } from './filter-plan.ts'

/**
 * SQLite 3.44+ (better-sqlite3 12). `x IS NOT TRUE` needs 3.23+:
 * https://www.sqlite.org/lang_expr.html#boolean_expressions
 */
export class SqliteFilterCompiler extends DefaultFilterCompiler {
  readonly dialect = 'sqlite' as const
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
