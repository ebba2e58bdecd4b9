/**
 * Expressions inside a filter: the scopes they are checked in, and their SQL as fragments.
 *
 * The expression compiler (src/expr) emits SQL text with placeholders (`?` on SQLite, `$n::type` on
 * PostgreSQL) plus their values. Here that text becomes a {@link Fragment} whose values are bound
 * parts again, so that it can sit anywhere in the filter's statement, be repeated (a where in an
 * EXISTS and in an ON clause), and be numbered only once the whole statement is rendered.
 *
 * A fragment can also be wrapped in an expression-language function (lower() for case-insensitive
 * links and lookups): the function is checked over a column of the pseudo-alias {@link SPLICE_ALIAS},
 * the column hook returns a marker for it, and the marker is replaced by the fragment (with its own
 * bound values) when the compiled text is turned into a fragment.
 */
import type { ColumnType, Value } from '../core/index.ts'
import { checkExpression, compileToSql, type ExprIssue, type Scope, type TypedExpr } from '../expr/index.ts'
import type { DialectName, SqlValue } from '../vault/index.ts'
import { bound, type BoundValue, type Fragment } from './sql-fragment.ts'

/** The pseudo-alias of spliced fragments; it is never in a user expression's scope. */
const SPLICE_ALIAS = '(fragment)'

const MARK = '\u0000'

/** What turning a checked expression into SQL needs. */
export interface ExpressionSqlContext {
  readonly dialect: DialectName
  readonly paramValues: Readonly<Record<string, Value>>
  readonly timeZone?: string | undefined
  readonly now?: Date | undefined
  /** The quoted SQL reference of a column (and the place to note which columns a statement reads). */
  readonly column: (alias: string, column: string) => string
  /**
   * The SQL of a :parameter the statement supplies itself (a lifted parameter's column); undefined
   * binds the parameter's value from `paramValues`. @default every parameter bound
   */
  readonly paramSql?: ((name: string) => string | undefined) | undefined
  /** The fragment a column of {@link SPLICE_ALIAS} stands for. @default none */
  readonly splice?: ((column: string) => Fragment) | undefined
}

/** Checks an expression; issues come back with the expression's own line and column. */
export function checkIn(
  text: string,
  scope: Scope,
  expectedType?: ColumnType,
): { expr: TypedExpr | undefined; issues: ExprIssue[] } {
  const { expr, issues } = checkExpression(text, scope, expectedType === undefined ? {} : { expectedType })
  return { expr: issues.length > 0 ? undefined : expr, issues }
}

/**
 * The SQL of a checked expression as a fragment. `rename` maps the expression's aliases to SQL
 * aliases (a link's normaliser is checked over its table's name and read from the join's alias).
 */
export function expressionSql(
  expr: TypedExpr,
  context: ExpressionSqlContext,
  rename: (alias: string) => string = (a) => a,
): Fragment {
  const spliced: Fragment[] = []
  const compiled = compileToSql(expr, context.dialect, {
    columnSql: (alias, column) => {
      if (alias !== SPLICE_ALIAS || context.splice === undefined) return context.column(rename(alias), column)
      spliced.push(context.splice(column))
      return `${MARK}${spliced.length - 1}${MARK}`
    },
    paramValues: context.paramValues,
    paramSql: context.paramSql,
    timeZone: context.timeZone,
    now: context.now,
  })
  return toFragment(compiled.sql, compiled.params as SqlValue[], context.dialect, spliced)
}

/**
 * Splits compiled SQL at its placeholders (outside quoted identifiers) into text and bound values,
 * and replaces splice markers by their fragments. PostgreSQL's `$n` must come in order
 * (the expression compiler numbers them in order of appearance); the `::type` cast stays as text.
 */
export function toFragment(
  text: string,
  params: readonly SqlValue[],
  dialect: DialectName,
  spliced: readonly Fragment[] = [],
): Fragment {
  const parts: (string | BoundValue)[] = []
  let buffer = ''
  let next = 0
  let quote: string | undefined
  const take = () => {
    if (next >= params.length) throw new Error(`More placeholders than values in compiled SQL: ${text}`)
    if (buffer !== '') parts.push(buffer)
    buffer = ''
    parts.push(bound(params[next++]!))
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
      buffer += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      buffer += ch
    } else if (ch === MARK) {
      const end = text.indexOf(MARK, i + 1)
      const fragment = spliced[Number(text.slice(i + 1, end))]!
      if (buffer !== '') parts.push(buffer)
      buffer = ''
      // Expression SQL is always a self-contained operand (the compiler parenthesises its operators).
      parts.push(...fragment.parts)
      i = end
    } else if (dialect === 'sqlite' && ch === '?') {
      take()
    } else if (dialect === 'postgres' && ch === '$' && /\d/.test(text[i + 1] ?? '')) {
      const digits = /^\d+/.exec(text.slice(i + 1))![0]
      if (Number(digits) !== next + 1) throw new Error(`Parameters out of order in compiled SQL: ${text}`)
      take()
      i += digits.length
    } else {
      buffer += ch
    }
  }
  if (buffer !== '') parts.push(buffer)
  if (next !== params.length) throw new Error(`Fewer placeholders than values in compiled SQL: ${text}`)
  return Object.freeze({ kind: 'Fragment', parts: Object.freeze(parts) })
}

let lowerExpr: TypedExpr | undefined

/**
 * `lower(x)` exactly as the expression language defines it (full Unicode case mapping; provisio_lower
 * on SQLite, lower() with the ICU collation on PostgreSQL), so case-insensitive links and lookups
 * compare the way expressions do on every backend.
 */
export function lowerSql(inner: Fragment, dialect: DialectName): Fragment {
  lowerExpr ??= checkIn('lower(v)', { aliases: { [SPLICE_ALIAS]: { v: 'string' } } }).expr!
  return expressionSql(lowerExpr, {
    dialect,
    paramValues: {},
    column: () => {
      throw new Error('lower(v) reads no table column')
    },
    splice: () => inner,
  })
}
