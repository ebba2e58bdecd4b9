/**
 * String functions as the JS backend evaluates them and as the SQLite connection runs them
 * (registered by registerSqliteFunctions), so both give byte-identical results. Positions and
 * lengths count Unicode code points, like PostgreSQL and SQLite do for text; `null` in gives `null`
 * out. Where PostgreSQL and SQLite disagree on edge cases, PostgreSQL's choice is followed.
 */
import { escapeDnValue, type Value } from '../../core/index.ts'

/** Characters removed by trim(): ASCII whitespace and the no-break space. */
export const TRIM_CHARACTERS = ' \t\n\r\v\f\u00a0'
const TRIM_SET = new Set(TRIM_CHARACTERS)

export type Side = 'both' | 'left' | 'right'

export function lower(s: string | null): string | null {
  return s === null ? null : s.toLowerCase()
}

export function upper(s: string | null): string | null {
  return s === null ? null : s.toUpperCase()
}

export function trim(s: string | null, side: Side): string | null {
  if (s === null) return null
  const chars = [...s]
  let start = 0
  let end = chars.length
  if (side !== 'right') while (start < end && TRIM_SET.has(chars[start]!)) start++
  if (side !== 'left') while (end > start && TRIM_SET.has(chars[end - 1]!)) end--
  return chars.slice(start, end).join('')
}

export function length(s: string | null): number | null {
  if (s === null) return null
  let n = 0
  for (const _ of s) n++
  return n
}

/**
 * PostgreSQL's substr: the characters at positions [start, start + len) that exist, 1-based, so a
 * start before 1 eats into the length. A negative length gives '' (PostgreSQL would raise an error).
 */
export function substr(s: string | null, start: number | null, len?: number | null): string | null {
  if (s === null || start === null || len === null) return null
  const chars = [...s]
  const from = Math.max(start, 1)
  if (len === undefined) return chars.slice(from - 1).join('')
  if (len < 0) return ''
  const to = Math.min(start + len, chars.length + 1)
  return to <= from ? '' : chars.slice(from - 1, to - 1).join('')
}

export function left(s: string | null, n: number | null): string | null {
  if (s === null || n === null) return null
  return n <= 0 ? '' : [...s].slice(0, n).join('')
}

export function right(s: string | null, n: number | null): string | null {
  if (s === null || n === null) return null
  return n <= 0 ? '' : [...s].slice(-n).join('')
}

/** Replaces every occurrence; an empty `from` leaves `s` unchanged (as both databases do). */
export function replace(s: string | null, from: string | null, to: string | null): string | null {
  if (s === null || from === null || to === null) return null
  return from === '' ? s : s.split(from).join(to)
}

/** Joins strings and integers as text; nulls count as ''. */
export function concat(values: readonly Value[]): string {
  return values.map((v) => (v === null ? '' : String(v))).join('')
}

export function startsWith(s: string | null, prefix: string | null): boolean | null {
  return s === null || prefix === null ? null : s.startsWith(prefix)
}

export function endsWith(s: string | null, suffix: string | null): boolean | null {
  return s === null || suffix === null ? null : s.endsWith(suffix)
}

export function contains(s: string | null, part: string | null): boolean | null {
  return s === null || part === null ? null : s.includes(part)
}

/**
 * The index-th part (1-based) of `s` split at `sep`; '' past the last part, null for an index below
 * 1. An empty separator leaves `s` whole (PostgreSQL's split_part).
 */
export function split(s: string | null, sep: string | null, index: number | null): string | null {
  if (s === null || sep === null || index === null || index < 1) return null
  if (sep === '') return index === 1 ? s : ''
  return s.split(sep)[index - 1] ?? ''
}

/** A value escaped for an LDAP DN (RFC 4514), by the very rule the LDAP connector uses. */
export function escapeDn(s: string | null): string | null {
  return s === null ? null : escapeDnValue(s)
}

export function joinArray(values: readonly string[] | null, sep: string | null): string | null {
  return values === null || sep === null ? null : values.join(sep)
}

export function arrayContains(values: readonly string[] | null, value: string | null): boolean | null {
  return values === null || value === null ? null : values.includes(value)
}

export function arrayLength(values: readonly string[] | null): number | null {
  return values === null ? null : values.length
}

/**
 * Orders strings by Unicode code point, as PostgreSQL's "C" collation and SQLite's BINARY collation
 * do on UTF-8. JavaScript's `<` compares UTF-16 code units, which puts U+E000–U+FFFF after the
 * astral characters; shifting the code units fixes that (the ICU trick).
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    }
    return x - y
  }
  return a.length - b.length
}
