/**
 * SQL fragments: trusted SQL text interleaved with bound values. The filter compiler builds its
 * statement from these and numbers nothing itself: every value becomes a `?` when the statement is
 * rendered, and the vault's drivers number the `?`s (`$n` on PostgreSQL).
 *
 * INVARIANT: a value never becomes SQL text. Text parts come only from the compiler's own constants,
 * identifiers quoted by the dialect's hook, and the SQL of the expression compiler (which binds every
 * value itself); values travel as {@link BoundValue} parts only.
 */
import type { SqlValue } from '../vault/index.ts'

/** A value that will be one `?` placeholder. */
export interface BoundValue {
  readonly kind: 'BoundValue'
  readonly value: SqlValue
}

export interface Fragment {
  readonly kind: 'Fragment'
  readonly parts: readonly (string | BoundValue)[]
}

export function bound(value: SqlValue): BoundValue {
  return Object.freeze({ kind: 'BoundValue', value })
}

/** Trusted SQL text. Never pass a value here. */
export function raw(text: string): Fragment {
  return Object.freeze({ kind: 'Fragment', parts: Object.freeze([text]) })
}

/** Builds a fragment from a template; interpolations are fragments or bound values, never plain values. */
export function sql(strings: TemplateStringsArray, ...values: readonly (Fragment | BoundValue)[]): Fragment {
  const parts: (string | BoundValue)[] = []
  strings.forEach((text, i) => {
    if (text !== '') parts.push(text)
    const value = values[i]
    if (value === undefined) return
    if (value.kind === 'BoundValue') parts.push(value)
    else parts.push(...value.parts)
  })
  return Object.freeze({ kind: 'Fragment', parts: Object.freeze(parts) })
}

export function joinSql(fragments: readonly Fragment[], separator: string): Fragment {
  const parts: (string | BoundValue)[] = []
  fragments.forEach((f, i) => {
    if (i > 0) parts.push(separator)
    parts.push(...f.parts)
  })
  return Object.freeze({ kind: 'Fragment', parts: Object.freeze(parts) })
}

/** Whether the text is one parenthesised group `( … )` (quotes respected), so it needs no more parentheses. */
function isParenthesised(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
    } else if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0 && i < text.length - 1) return false
  }
  return depth === 0
}

/** The fragment in parentheses, unless it already is one parenthesised group. */
export function group(fragment: Fragment): Fragment {
  const text = fragment.parts.map((p) => (typeof p === 'string' ? p : '?')).join('')
  return isParenthesised(text) ? fragment : sql`(${fragment})`
}

/** `a AND b AND …`, each operand grouped (one operand stays as it is); undefined when there is nothing to require. */
export function conjunction(fragments: readonly Fragment[]): Fragment | undefined {
  if (fragments.length <= 1) return fragments[0]
  return joinSql(fragments.map(group), ' AND ')
}

/** The statement text with `?` placeholders and its values in order. */
export function render(fragment: Fragment): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = []
  let text = ''
  for (const part of fragment.parts) {
    if (typeof part === 'string') text += part
    else {
      params.push(part.value)
      text += '?'
    }
  }
  return { sql: text, params }
}
