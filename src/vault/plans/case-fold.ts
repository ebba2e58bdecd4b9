/**
 * Case-insensitive matching of key columns (caseInsensitive columns such as sAMAccountName) must
 * fold case the way the rest of Provisio does: JavaScript's toLowerCase, the full Unicode mapping.
 * SQLite's own lower() folds only ASCII (lower('ÖZDEMIR') is 'Özdemir'), so the column side is the
 * expression language's `lower()` compiled for the vault's dialect — provisio_lower on SQLite (the
 * very JS function, registered on every vault connection), lower() with the ICU collation on
 * PostgreSQL — exactly what filters use for case-insensitive links. The values asked for are folded
 * in JS (matchText) and bound as they are, so both sides use one mapping.
 * https://www.sqlite.org/lang_corefunc.html#lower
 */
import { type TypedExpr, checkExpression, compileToSql } from '../../expr/index.ts'
import type { DialectName } from '../driver/dialect.ts'

const ALIAS = 't'
const COLUMN = 'v'

let lowerExpr: TypedExpr | undefined

/**
 * SQL for the case-folded value of `column` (already quoted): what `lower(column)` is in the
 * expression language on this dialect. The column must hold text.
 *
 * @example
 * lowerColumnSql('sqlite', '"sAMAccountName"') // provisio_lower("sAMAccountName")
 */
export function lowerColumnSql(dialect: DialectName, column: string): string {
  lowerExpr ??= checkExpression(`lower(${ALIAS}.${COLUMN})`, { aliases: { [ALIAS]: { [COLUMN]: 'string' } } }).expr!
  // The expression has no parameters and no clock-dependent parts: the SQL is the column, folded.
  return compileToSql(lowerExpr, dialect, { columnSql: () => column }).sql
}
