/** Small helpers shared by the function-library files. */
import type { Value } from '../../core/index.ts'
import { callSql, type Fragment } from '../sql/fragment.ts'
import { type SqliteFunctionName, sqliteCall } from '../sql/sqlite-functions.ts'
import type { SqlArg, SqlBuilder } from './definition.ts'

export const str = (v: Value | undefined): string | null => (v === undefined ? null : (v as string | null))
export const num = (v: Value | undefined): number | null => (v === undefined ? null : (v as number | null))
export const list = (v: Value | undefined): readonly string[] | null =>
  v === undefined ? null : (v as readonly string[] | null)

/** Calls a registered SQLite function with all arguments in order. */
export function udf(name: SqliteFunctionName): SqlBuilder {
  return (args) =>
    sqliteCall(
      name,
      args.map((a) => a.sql),
    )
}

/** Calls a database function of the same name with all arguments in order. */
export function native(name: string): SqlBuilder {
  return (args) =>
    callSql(
      name,
      args.map((a) => a.sql),
    )
}

/** The SQL of argument `i`. */
export function at(args: readonly SqlArg[], i: number): Fragment {
  const arg = args[i]
  if (arg === undefined) throw new Error(`Missing argument ${i}`)
  return arg.sql
}

/** The value of a constant (literal) argument; the type checker guarantees it is there. */
export function constant(args: readonly SqlArg[], i: number): string {
  const value = args[i]?.constant
  if (typeof value !== 'string') throw new Error(`Argument ${i} must be a string literal`)
  return value
}
