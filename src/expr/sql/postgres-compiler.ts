/**
 * PostgreSQL: `$n` placeholders with an explicit cast, so every parameter has a known type whatever
 * the context (https://www.postgresql.org/docs/current/sql-expressions.html#SQL-SYNTAX-TYPE-CASTS).
 * Columns are expected as text, int8, float8, boolean, date, timestamptz, and JSON text (or jsonb)
 * for string[].
 */
import type { ExprType } from '../types.ts'
import { type Fragment, raw, sql } from './fragment.ts'
import { DefaultSqlCompiler } from './sql-compiler.ts'

/** PostgreSQL's type for a value of each expression type: the cast a placeholder of that type gets. */
export const PG_TYPE: Readonly<Record<ExprType, string>> = {
  string: 'text',
  integer: 'int8',
  number: 'float8',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  'string[]': 'text',
  null: 'text',
}

export class PostgresCompiler extends DefaultSqlCompiler {
  readonly dialect = 'postgres' as const

  protected override placeholder(index: number, type: ExprType): string {
    return `$${index}::${PG_TYPE[type]}`
  }

  // A bare NULL has type "unknown", which many functions and operators cannot resolve.
  protected override castNull(fragment: Fragment, type: ExprType): Fragment {
    return sql`CAST(${fragment} AS ${raw(PG_TYPE[type])})`
  }

  /**
   * Ordering strings follows the column's collation in PostgreSQL; COLLATE "C" orders by code point
   * (UTF-8 bytes), like SQLite's BINARY and the JS backend.
   * https://www.postgresql.org/docs/current/collation.html
   */
  protected override comparison(left: Fragment, op: string, right: Fragment, type: ExprType): Fragment {
    if (type === 'string' && op !== '=' && op !== '<>') return sql`((${left}) COLLATE "C" ${raw(op)} ${right})`
    return sql`(${left} ${raw(op)} ${right})`
  }

  // int / int truncates and x / 0 raises in PostgreSQL; we divide doubles and give NULL for zero.
  protected override divide(left: Fragment, right: Fragment): Fragment {
    return sql`((${left})::float8 / NULLIF((${right})::float8, 0))`
  }

  // text || bigint works, but bigint || bigint has no operator: cast integers to text.
  protected override concatOperand(fragment: Fragment, type: ExprType): Fragment {
    return type === 'integer' ? sql`(${fragment})::text` : fragment
  }

  // LIKE is case-sensitive in PostgreSQL and backslash is its default escape character.
  protected override like(
    operand: Fragment,
    pattern: Fragment,
    _constant: string | undefined,
    negated: boolean,
  ): Fragment {
    return sql`(${operand} ${raw(negated ? 'NOT LIKE' : 'LIKE')} ${pattern})`
  }
}
