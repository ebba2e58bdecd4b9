import type { SqlDialect } from '../functions/definition.ts'
import type { TypedExpr } from '../typed-expr.ts'
import { PostgresCompiler } from './postgres-compiler.ts'
import type { CompiledSql, SqlCompileContext } from './sql-compiler.ts'
import { SqliteCompiler } from './sqlite-compiler.ts'

/**
 * Compiles a checked expression to SQL for one dialect. Placeholders are `?` on SQLite and
 * `$n::type` on PostgreSQL, numbered from `context.paramOffset + 1`; `params` holds their values.
 * On SQLite, the connection must have the functions of registerSqliteFunctions().
 *
 * @example
 * const { sql, params } = compileToSql(typed, 'postgres', { columnSql: (a, c) => `"${a}"."${c}"`, paramOffset: 2 })
 */
export function compileToSql(expr: TypedExpr, dialect: SqlDialect, context: SqlCompileContext): CompiledSql {
  const compiler = dialect === 'sqlite' ? new SqliteCompiler(expr, context) : new PostgresCompiler(expr, context)
  return compiler.compile()
}
