/**
 * A condition over one vault table, written in the expression language (docs/expressions.md) and
 * compiled to SQL with every value bound: `provisio vault query … --where EXPR`.
 */
import { ProvisioError } from '../core/index.ts'
import { checkExpression, compileToSql } from '../expr/index.ts'
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { DialectName } from './driver/dialect.ts'
import type { SqlValue } from './driver/sql-driver.ts'
import { vaultError } from './errors.ts'
import type { VaultTable } from './vault-table.ts'

/**
 * The expression compiler numbers PostgreSQL parameters `$1…$n` in order of appearance; the vault's
 * drivers take `?` everywhere and number them per statement, so the fragment can sit anywhere.
 */
export function toQuestionMarks(sql: string): string {
  let expected = 1
  return sql.replace(/\$(\d+)/g, (_m, n: string) => {
    if (Number(n) !== expected++) throw new Error(`Parameters out of order in compiled SQL: ${sql}`)
    return '?'
  })
}

export function compileTableCondition(
  text: string,
  table: VaultTable,
  dialect: DialectName,
  options: { timeZone?: string } = {},
): { sql: string; params: SqlValue[] } {
  const columns = Object.fromEntries(table.columns.map((c) => [c.name, c.type]))
  const { expr, issues } = checkExpression(
    text,
    { aliases: { [table.name]: columns }, defaultAlias: table.name },
    { expectedType: 'boolean' },
  )
  if (expr === undefined || issues.length > 0) {
    throw vaultError('VLT_INVALID_CONDITION', `The condition on ${table.system}.${table.name} is not valid.`, {
      issues,
    })
  }
  try {
    const compiled = compileToSql(expr, dialect, {
      columnSql: (_alias, column) => q(column),
      timeZone: options.timeZone,
    })
    return {
      sql: dialect === 'postgres' ? toQuestionMarks(compiled.sql) : compiled.sql,
      params: compiled.params as SqlValue[],
    }
  } catch (error) {
    if (error instanceof ProvisioError) throw error
    throw vaultError(
      'VLT_INVALID_CONDITION',
      `The condition on ${table.system}.${table.name} cannot be compiled: ${(error as Error).message}`,
      { cause: error },
    )
  }
}
