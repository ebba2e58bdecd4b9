/**
 * LIKE patterns: `%` matches any run of characters (newlines included), `_` exactly one character
 * (code point), and a backslash makes the next character literal (PostgreSQL's default escape).
 * Matching is case-sensitive and compares code points.
 */

const cache = new Map<string, RegExp>()

/** Splits a pattern into wildcards and literal characters. A trailing lone backslash is literal. */
function* likeTokens(pattern: string): Generator<{ wildcard: '%' | '_' } | { literal: string }> {
  const chars = [...pattern]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (c === '\\' && i + 1 < chars.length) yield { literal: chars[++i]! }
    else if (c === '%' || c === '_') yield { wildcard: c }
    else yield { literal: c }
  }
}

/** Whether the pattern ends with an escape character that escapes nothing (PostgreSQL rejects it). */
export function hasTrailingEscape(pattern: string): boolean {
  const m = /\\+$/.exec(pattern)
  return m !== null && m[0].length % 2 === 1
}

export function likeToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern)
  if (re === undefined) {
    let source = ''
    for (const t of likeTokens(pattern)) {
      if ('wildcard' in t) source += t.wildcard === '%' ? '.*' : '.'
      else source += t.literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
    }
    re = new RegExp(`^${source}$`, 'su')
    cache.set(pattern, re)
  }
  return re
}

export function like(s: string | null, pattern: string | null): boolean | null {
  if (s === null || pattern === null) return null
  return likeToRegExp(pattern).test(s)
}

/**
 * The same pattern as a SQLite GLOB pattern, which is case-sensitive (SQLite's LIKE is not).
 * https://www.sqlite.org/lang_expr.html#the_like_glob_regexp_match_and_extract_operators
 */
export function likeToGlob(pattern: string): string {
  let glob = ''
  for (const t of likeTokens(pattern)) {
    if ('wildcard' in t) glob += t.wildcard === '%' ? '*' : '?'
    else glob += t.literal === '*' || t.literal === '?' || t.literal === '[' ? `[${t.literal}]` : t.literal
  }
  return glob
}
