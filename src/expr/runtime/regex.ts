/**
 * Portable regular expressions. The language accepts the subset of syntax that JavaScript (with the
 * `s` and `u` flags) and PostgreSQL's advanced regular expressions (ARE, run under COLLATE "C")
 * read the same way, and translates it for each: `\s` becomes the ASCII whitespace class in
 * JavaScript, `\b` becomes PostgreSQL's `\y`, `\xHH` becomes `\u00HH`. Anything else that differs
 * (named groups, inline flags, POSIX classes, `\p{…}`) is rejected with its position.
 * https://www.postgresql.org/docs/current/functions-matching.html#POSIX-SYNTAX-DETAILS
 */

export interface PortableRegex {
  /** The pattern for JavaScript, to be used with the flags `su` (and `g` for replacing). */
  readonly js: string
  /** The pattern for PostgreSQL's `~` and regexp_replace(). */
  readonly postgres: string
  /** The number of capturing groups. */
  readonly groups: number
}

export interface RegexProblem {
  readonly message: string
  /** Index in the pattern (UTF-16 units) where the problem starts. */
  readonly index: number
}

const JS_SPACE = '\\t\\n\\v\\f\\r '
const SYNTAX = new Set('^$\\.*+?()[]{}|/')
const SIMPLE_ESCAPES = new Set('dwntrfv')

class Translator {
  js = ''
  pg = ''
  groups = 0
  private i = 0
  private readonly parens: { lookaround: boolean }[] = []
  private maxBackref = 0

  constructor(private readonly p: string) {}

  run(): PortableRegex {
    while (this.i < this.p.length) {
      const c = this.p[this.i]!
      if (c === '\\') this.escape(false)
      else if (c === '[') this.charClass()
      else if (c === '(') this.open()
      else if (c === ')') this.close()
      else if (c === '{') this.braces()
      else this.emit(c, c, 1)
    }
    if (this.parens.length > 0) this.fail("A '(' is not closed.", this.p.length)
    if (this.maxBackref > this.groups)
      this.fail(`\\${this.maxBackref} refers to a group that does not exist.`, this.p.indexOf(`\\${this.maxBackref}`))
    return { js: this.js, postgres: this.pg, groups: this.groups }
  }

  fail(message: string, index = this.i): never {
    throw Object.assign(new Error(message), { regexIndex: index })
  }

  private emit(js: string, pg: string, advance: number): void {
    this.js += js
    this.pg += pg
    this.i += advance
  }

  private escape(inClass: boolean): void {
    const code = this.p.codePointAt(this.i + 1)
    if (code === undefined) this.fail('The pattern ends with a lone backslash.')
    const c = String.fromCodePoint(code)
    const hex4 = /^u[0-9A-Fa-f]{4}/.exec(this.p.slice(this.i + 1))
    const hex2 = /^x[0-9A-Fa-f]{2}/.exec(this.p.slice(this.i + 1))
    if (hex4 !== null) return this.emit(`\\${hex4[0]}`, `\\${hex4[0]}`, 6)
    if (hex2 !== null) return this.emit(`\\${hex2[0]}`, `\\u00${hex2[0].slice(1)}`, 4)
    if (SIMPLE_ESCAPES.has(c)) return this.emit(`\\${c}`, `\\${c}`, 2)
    if (c === 's') return this.emit(inClass ? JS_SPACE : `[${JS_SPACE}]`, '\\s', 2)
    if (!inClass && (c === 'D' || c === 'W')) return this.emit(`\\${c}`, `\\${c}`, 2)
    if (!inClass && c === 'S') return this.emit(`[^${JS_SPACE}]`, '\\S', 2)
    if (!inClass && (c === 'b' || c === 'B')) return this.emit(`\\${c}`, c === 'b' ? '\\y' : '\\Y', 2)
    if (!inClass && c >= '1' && c <= '9') {
      if (this.parens.some((p) => p.lookaround))
        this.fail('Back references inside lookahead or lookbehind are not supported.')
      this.maxBackref = Math.max(this.maxBackref, Number(c))
      return this.emit(`\\${c}`, `\\${c}`, 2)
    }
    if (/[\p{L}\p{N}]/u.test(c))
      this.fail(`\\${c} is not supported in portable regular expressions${inClass ? ' inside [ ]' : ''}.`)
    // Escaped punctuation is the character itself in both; JavaScript's u flag only allows the backslash before syntax characters.
    const js = SYNTAX.has(c) || (inClass && c === '-') ? `\\${c}` : c
    this.emit(js, `\\${c}`, 1 + c.length)
  }

  private charClass(): void {
    const start = this.i
    this.emit('[', '[', 1)
    if (this.p[this.i] === '^') this.emit('^', '^', 1)
    if (this.p[this.i] === ']') this.fail("Write \\] for a ']' at the start of a [ ] class.")
    for (;;) {
      const c = this.p[this.i]
      if (c === undefined) this.fail("A '[' is not closed.", start)
      if (c === ']') return this.emit(']', ']', 1)
      if (c === '[')
        this.fail("Write \\[ for a '[' inside a [ ] class (POSIX classes such as [:alpha:] are not portable).")
      if (c === '\\') this.escape(true)
      else this.emit(c, c, 1)
    }
  }

  private open(): void {
    const rest = this.p.slice(this.i + 1)
    const special = /^\?(:|=|!|<=|<!)/.exec(rest)
    if (special !== null) {
      this.parens.push({ lookaround: special[1] !== ':' })
      return this.emit(`(${special[0]}`, `(${special[0]}`, 1 + special[0].length)
    }
    if (rest.startsWith('?'))
      this.fail('Only (?:…), (?=…), (?!…), (?<=…) and (?<!…) are portable; named groups and inline flags are not.')
    if (this.parens.some((p) => p.lookaround))
      this.fail('Capturing groups inside lookahead or lookbehind are not portable; use (?:…).')
    this.groups++
    this.parens.push({ lookaround: false })
    this.emit('(', '(', 1)
  }

  private close(): void {
    if (this.parens.pop() === undefined) this.fail("A ')' has no matching '('.")
    this.emit(')', ')', 1)
  }

  private braces(): void {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i))
    if (m === null) this.fail("Write \\{ for a literal '{'; a quantifier is {n}, {n,} or {n,m}.")
    const min = Number(m[1])
    const max = m[3] === undefined || m[3] === '' ? min : Number(m[3])
    if (max > 255 || min > 255) this.fail('Repetition counts above 255 are not supported (PostgreSQL limit).')
    if (max < min) this.fail(`In {${m[1]},${m[3]}} the maximum is smaller than the minimum.`)
    this.emit(m[0], m[0], m[0].length)
  }
}

const translated = new Map<string, PortableRegex | RegexProblem>()

/** Translates a portable pattern, or describes why it is not portable or not valid. */
export function translateRegex(pattern: string): PortableRegex | RegexProblem {
  let result = translated.get(pattern)
  if (result === undefined) {
    try {
      const regex = new Translator(pattern).run()
      new RegExp(regex.js, 'su')
      result = regex
    } catch (e) {
      const index = (e as { regexIndex?: number }).regexIndex ?? 0
      const message = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')
      result = { message: /[.)]$/.test(message) ? message : `${message}.`, index }
    }
    translated.set(pattern, result)
  }
  return result
}

export function isRegexProblem(value: PortableRegex | RegexProblem): value is RegexProblem {
  return 'message' in value
}
