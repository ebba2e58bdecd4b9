/**
 * SQL fragments: SQL text interleaved with bound values, assembled by the compiler and by the
 * function library, and numbered into placeholders only at the very end (so a fragment can be
 * repeated or nested freely). The `sql` tag is the only way values enter SQL, and it always makes
 * them parameters; text comes from this package's own string constants or the caller's column hook.
 */
import type { Value } from '../../core/index.ts'
import type { ExprType } from '../types.ts'

/** A value that will be a placeholder; `type` picks PostgreSQL's cast and SQLite's binding. */
export interface SqlParam {
  readonly kind: 'param'
  readonly value: Value
  readonly type: ExprType
}

export type SqlPart = string | SqlParam

export interface Fragment {
  readonly kind: 'fragment'
  readonly parts: readonly SqlPart[]
}

export function param(value: Value, type: ExprType): SqlParam {
  return Object.freeze({ kind: 'param', value, type })
}

/** Trusted SQL text: keywords, the compiler's own constants, identifiers from the caller's hook. */
export function raw(text: string): Fragment {
  return Object.freeze({ kind: 'fragment', parts: Object.freeze([text]) })
}

/** Builds a fragment from a template; interpolations must be fragments or params, never plain values. */
export function sql(strings: TemplateStringsArray, ...values: readonly (Fragment | SqlParam)[]): Fragment {
  const parts: SqlPart[] = []
  strings.forEach((text, i) => {
    if (text !== '') parts.push(text)
    const value = values[i]
    if (value === undefined) return
    if (value.kind === 'param') parts.push(value)
    else parts.push(...value.parts)
  })
  return Object.freeze({ kind: 'fragment', parts: Object.freeze(parts) })
}

/** Fragments joined by a separator. */
export function joinSql(fragments: readonly Fragment[], separator = ', '): Fragment {
  const parts: SqlPart[] = []
  fragments.forEach((f, i) => {
    if (i > 0) parts.push(separator)
    parts.push(...f.parts)
  })
  return Object.freeze({ kind: 'fragment', parts: Object.freeze(parts) })
}

/** `name(arg, …)`. */
export function callSql(name: string, args: readonly (Fragment | SqlParam)[]): Fragment {
  return sql`${raw(`${name}(`)}${joinSql(args.map((a) => (a.kind === 'param' ? sql`${a}` : a)))})`
}
