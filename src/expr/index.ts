/**
 * The expression language (DESIGN.md §7, docs/expressions.md): one small SQL-like language for filter
 * conditions, computed columns, mapping values, name generators and event filters.
 *
 * The pipeline reads like the folder: text → {@link parseExpression} (lexer, Pratt parser) → AST →
 * {@link typeCheck} against a {@link Scope} → {@link TypedExpr} → a backend: {@link compileToSql}
 * (SQLite or PostgreSQL, set-based in the vault) or {@link compileToJs} (a closure for mappings and
 * events). Both backends give the same value for the same input; src/expr/equivalence proves it on
 * one shared table of cases. Functions are declared as data in src/expr/functions, which also
 * generates the function reference in docs/expressions.md.
 *
 * @example
 * const typed = typeCheck(parseExpression("lower(transliterate(e.first_name)) || '.' || lower(e.last_name)"), scope)
 * const { sql, params } = compileToSql(typed, 'sqlite', { columnSql: (alias, column) => `"${alias}"."${column}"` })
 * const evaluate = compileToJs(typed)
 */
export { parseExpression } from './parser.ts'
export { typeCheck, checkExpression, type TypeCheckOptions } from './type-check.ts'
export type { TypedExpr, NodeInfo } from './typed-expr.ts'
export type { Scope } from './scope.ts'
export type { ExprType } from './types.ts'
export { compileToSql } from './sql/compile-to-sql.ts'
export { PG_TYPE } from './sql/postgres-compiler.ts'
export type { SqlCompileContext, CompiledSql } from './sql/sql-compiler.ts'
export type { CompileOptions } from './compile-options.ts'
export { decodeSqlValue } from './sql/sql-values.ts'
export { compileToJs, type EvalRow, type JsCompileOptions } from './js-compiler.ts'
export { registerSqliteFunctions, SQLITE_FUNCTION_NAMES, type SqliteFunctionHost } from './sql/sqlite-functions.ts'
export { listFunctions, findFunction } from './functions/registry.ts'
export type { FunctionDefinition, FunctionFamily, Signature, ParamSpec, SqlDialect } from './functions/definition.ts'
export { renderSourceExcerpt, type Span, type ExprIssue } from './span.ts'
export { exprError, type ExprErrorCode } from './errors.ts'
export { formatExpr, type Expr, type NodeKind } from './ast/index.ts'
export { transliterate } from './transliterate.ts'
