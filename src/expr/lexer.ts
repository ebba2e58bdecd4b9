/**
 * Turns expression text into tokens. Keywords are not decided here: the parser reads identifiers
 * case-insensitively as keywords where the grammar expects one, so a column may be called `date`.
 */
import { exprIssue, issuesError, type Span, spanAt } from './span.ts'

export type TokenKind = 'string' | 'integer' | 'decimal' | 'identifier' | 'quoted' | 'parameter' | 'operator' | 'eof'

export interface Token {
  readonly kind: TokenKind
  /** The token's text as written. */
  readonly text: string
  /** The decoded value: the string's content, the number, the identifier or parameter name. */
  readonly value: string | number
  readonly span: Span
}

const WHITESPACE = /\s+/uy
const IDENTIFIER = /[\p{L}_][\p{L}\p{N}_]*/uy
const NUMBER = /[0-9]+(\.[0-9]+)?/y
const OPERATORS = ['<=', '>=', '<>', '!=', '||', '=', '<', '>', '+', '-', '*', '/', '(', ')', ',', '.']

function fail(source: string, offset: number, length: number, message: string, hint?: string): never {
  throw issuesError([exprIssue('EXPR_SYNTAX', message, source, spanAt(source, offset, length), hint)])
}

function match(re: RegExp, source: string, at: number): string | undefined {
  re.lastIndex = at
  return re.exec(source)?.[0]
}

/** Reads a `'…'` string or `"…"` identifier starting at `at`; the quote is doubled to escape it. */
function readQuoted(source: string, at: number, quote: string): { text: string; value: string } {
  let value = ''
  let i = at + 1
  for (;;) {
    const next = source.indexOf(quote, i)
    if (next === -1) {
      const what = quote === "'" ? 'string' : 'quoted identifier'
      fail(
        source,
        at,
        source.length - at,
        `The ${what} starting here is not closed.`,
        `Add the closing ${quote}; write ${quote}${quote} for a ${quote} inside it.`,
      )
    }
    value += source.slice(i, next)
    if (source[next + 1] === quote) {
      value += quote
      i = next + 2
      continue
    }
    return { text: source.slice(at, next + 1), value }
  }
}

function readNumber(source: string, at: number): Token {
  const text = match(NUMBER, source, at) ?? ''
  const span = spanAt(source, at, text.length)
  if (text.includes('.')) return { kind: 'decimal', text, value: Number(text), span }
  const value = Number(text)
  if (!Number.isSafeInteger(value)) {
    throw issuesError([
      exprIssue(
        'EXPR_INVALID_LITERAL',
        `The integer ${text} is too large.`,
        source,
        span,
        'Integers must lie within ±9007199254740991.',
      ),
    ])
  }
  return { kind: 'integer', text, value, span }
}

function readOperator(source: string, at: number): Token {
  if (source.startsWith('--', at)) {
    fail(
      source,
      at,
      2,
      "'--' starts a comment in SQL, but expressions have no comments.",
      "Write '- -x' or '-(-x)' for a double minus.",
    )
  }
  const op = OPERATORS.find((o) => source.startsWith(o, at))
  if (op === undefined) {
    const char = String.fromCodePoint(source.codePointAt(at) ?? 0)
    const hint = char === '|' ? "Concatenate with '||'." : char === '!' ? "Write '!=' or 'not'." : undefined
    fail(source, at, char.length, `Unexpected character '${char}'.`, hint)
  }
  return { kind: 'operator', text: op, value: op, span: spanAt(source, at, op.length) }
}

function readToken(source: string, at: number): Token {
  const c = source[at] ?? ''
  if (c === "'") {
    const { text, value } = readQuoted(source, at, "'")
    return { kind: 'string', text, value, span: spanAt(source, at, text.length) }
  }
  if (c === '"') {
    const { text, value } = readQuoted(source, at, '"')
    if (value === '') fail(source, at, 2, 'A quoted identifier cannot be empty.')
    return { kind: 'quoted', text, value, span: spanAt(source, at, text.length) }
  }
  if (c === ':') {
    const name = match(IDENTIFIER, source, at + 1)
    if (name === undefined)
      fail(
        source,
        at,
        1,
        "Expected a parameter name after ':'.",
        'Parameters are written :name, for example :department.',
      )
    return { kind: 'parameter', text: `:${name}`, value: name, span: spanAt(source, at, name.length + 1) }
  }
  if (c >= '0' && c <= '9') return readNumber(source, at)
  const identifier = match(IDENTIFIER, source, at)
  if (identifier !== undefined)
    return { kind: 'identifier', text: identifier, value: identifier, span: spanAt(source, at, identifier.length) }
  return readOperator(source, at)
}

/** All tokens of `source`, ending with one `eof` token. Throws EXPR_SYNTAX at the first bad character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  for (;;) {
    at += match(WHITESPACE, source, at)?.length ?? 0
    if (at >= source.length) break
    const token = readToken(source, at)
    tokens.push(token)
    at += token.text.length
  }
  tokens.push({ kind: 'eof', text: '', value: '', span: spanAt(source, source.length, 0) })
  return tokens
}
