/**
 * regex_match and regex_replace at run time, plus the replacement syntax: `$1`…`$9` insert a group,
 * `$&` the whole match, `$$` a dollar sign. PostgreSQL writes the same as `\1`, `\&` and `$`.
 */
import { isRegexProblem, translateRegex } from './regex.ts'

export type ReplacementPart = string | number

export interface Replacement {
  /** Literal text and group numbers (0 = the whole match). */
  readonly parts: readonly ReplacementPart[]
  readonly postgres: string
}

export interface ReplacementProblem {
  readonly message: string
  readonly index: number
}

/** Parses a replacement for a pattern with `groups` capturing groups. */
export function parseReplacement(text: string, groups: number): Replacement | ReplacementProblem {
  const parts: ReplacementPart[] = []
  let postgres = ''
  let literal = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c !== '$') {
      literal += c
      postgres += c === '\\' ? '\\\\' : c
      continue
    }
    const next = text[i + 1]
    if (next === '$') {
      literal += '$'
      postgres += '$'
    } else if (next === '&' || (next !== undefined && next >= '1' && next <= '9')) {
      const group = next === '&' ? 0 : Number(next)
      if (group > groups)
        return { message: `$${next} refers to group ${group}, but the pattern has ${groups}.`, index: i }
      if (literal !== '') parts.push(literal)
      literal = ''
      parts.push(group)
      postgres += group === 0 ? '\\&' : `\\${group}`
    } else {
      return { message: "A '$' must be followed by 1–9, & or $.", index: i }
    }
    i++
  }
  if (literal !== '') parts.push(literal)
  return { parts, postgres }
}

const compiled = new Map<string, { match: RegExp; replace: RegExp; groups: number }>()

function regexFor(pattern: string): { match: RegExp; replace: RegExp; groups: number } {
  let entry = compiled.get(pattern)
  if (entry === undefined) {
    const regex = translateRegex(pattern)
    if (isRegexProblem(regex))
      throw new Error(`Invalid regular expression ${JSON.stringify(pattern)}: ${regex.message}`)
    entry = { match: new RegExp(regex.js, 'su'), replace: new RegExp(regex.js, 'gsu'), groups: regex.groups }
    compiled.set(pattern, entry)
  }
  return entry
}

export function regexMatch(s: string | null, pattern: string | null): boolean | null {
  if (s === null || pattern === null) return null
  return regexFor(pattern).match.test(s)
}

/** Replaces every match of `pattern` in `s`. */
export function regexReplace(s: string | null, pattern: string | null, replacement: string | null): string | null {
  if (s === null || pattern === null || replacement === null) return null
  const { replace, groups } = regexFor(pattern)
  const parsed = parseReplacement(replacement, groups)
  if ('message' in parsed) throw new Error(`Invalid replacement ${JSON.stringify(replacement)}: ${parsed.message}`)
  return s.replace(replace, (...match: unknown[]) =>
    parsed.parts
      .map((p) => {
        if (typeof p === 'string') return p
        const group = match[p]
        return typeof group === 'string' ? group : ''
      })
      .join(''),
  )
}
