/**
 * SQLite: `?` placeholders; booleans are 0/1 and integers must be bound as BigInt (better-sqlite3
 * binds every JS number as REAL, and `5.0 || 'x'` would give '5.0x'). Dates and datetimes are the
 * vault's ISO text, so comparing them as text orders them correctly.
 */
import type { Value } from '../../core/index.ts'
import { likeToGlob } from '../runtime/like.ts'
import type { ExprType } from '../types.ts'
import { type Fragment, param, sql } from './fragment.ts'
import { DefaultSqlCompiler } from './sql-compiler.ts'
import { sqliteCall } from './sqlite-functions.ts'

export class SqliteCompiler extends DefaultSqlCompiler {
  readonly dialect = 'sqlite' as const

  protected override placeholder(): string {
    return '?'
  }

  protected override bindValue(value: Value, type: ExprType): unknown {
    if (typeof value === 'boolean') return value ? 1n : 0n
    if (type === 'integer' && typeof value === 'number') return BigInt(value)
    return super.bindValue(value, type)
  }

  // Integer division would truncate: https://www.sqlite.org/lang_expr.html#operators (x/0 is NULL).
  protected override divide(left: Fragment, right: Fragment): Fragment {
    return sql`(CAST(${left} AS REAL) / ${right})`
  }

  /**
   * SQLite's LIKE ignores ASCII case, so a literal pattern becomes the equivalent GLOB (which is
   * case-sensitive and can use an index); other patterns go through provisio_like.
   * https://www.sqlite.org/lang_expr.html#the_like_glob_regexp_match_and_extract_operators
   */
  protected override like(
    operand: Fragment,
    pattern: Fragment,
    constant: string | undefined,
    negated: boolean,
  ): Fragment {
    if (constant !== undefined) {
      const glob = param(likeToGlob(constant), 'string')
      return negated ? sql`(${operand} NOT GLOB ${glob})` : sql`(${operand} GLOB ${glob})`
    }
    const call = sqliteCall('provisio_like', [operand, pattern])
    return negated ? sql`(NOT ${call})` : call
  }
}
