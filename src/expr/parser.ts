/**
 * A Pratt parser for the expression language. Operator precedence follows PostgreSQL's table, from
 * loosest to tightest: `or`, `and`, `not`, `is [not] null`, comparisons (which do not chain),
 * `[not] in` / `[not] like`, `||`, `+ -`, `* /`, unary minus.
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-PRECEDENCE
 */
import { RESERVED_WORDS } from './reserved-words.ts'
import {
  type BinaryOperator,
  BinaryNode,
  CallNode,
  CaseNode,
  type CaseBranch,
  ColumnNode,
  type Expr,
  InNode,
  IsNullNode,
  LikeNode,
  LiteralNode,
  ParameterNode,
  UnaryNode,
} from './ast/index.ts'
import { type Token, tokenize } from './lexer.ts'
import { normalizeDatetime, parseDate } from './runtime/dates.ts'
import { exprIssue, issuesError, joinSpans, type Span } from './span.ts'

const BP = {
  or: 10,
  and: 20,
  not: 30,
  is: 40,
  comparison: 50,
  inLike: 60,
  concat: 70,
  additive: 80,
  multiplicative: 90,
  unary: 100,
} as const
const COMPARISON: Record<string, BinaryOperator> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
}
const ARITHMETIC: Record<string, { op: BinaryOperator; bp: number }> = {
  '||': { op: '||', bp: BP.concat },
  '+': { op: '+', bp: BP.additive },
  '-': { op: '-', bp: BP.additive },
  '*': { op: '*', bp: BP.multiplicative },
  '/': { op: '/', bp: BP.multiplicative },
}

function describe(token: Token): string {
  return token.kind === 'eof' ? 'the end of the expression' : `'${token.text}'`
}

/** The text each parsed root came from, so the type checker can render excerpts. */
const sources = new WeakMap<Expr, string>()

class Parser {
  private index = 0
  private readonly tokens: Token[]

  constructor(private readonly source: string) {
    this.tokens = tokenize(source)
  }

  parse(): Expr {
    const expr = this.expression(0)
    const next = this.peek()
    if (next.kind !== 'eof')
      this.fail(
        next.span,
        `Unexpected ${describe(next)} after the end of the expression.`,
        'Join conditions with and / or; separate function arguments with commas.',
      )
    return expr
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!
  }

  private next(): Token {
    const token = this.peek()
    if (token.kind !== 'eof') this.index++
    return token
  }

  private isKeyword(token: Token, word: string): boolean {
    return token.kind === 'identifier' && String(token.value).toLowerCase() === word
  }

  private isOperator(token: Token, op: string): boolean {
    return token.kind === 'operator' && token.text === op
  }

  private fail(span: Span, message: string, hint?: string): never {
    throw issuesError([exprIssue('EXPR_SYNTAX', message, this.source, span, hint)])
  }

  private expect(op: string, context: string): Token {
    const token = this.peek()
    if (!this.isOperator(token, op)) this.fail(token.span, `Expected '${op}' ${context}, found ${describe(token)}.`)
    return this.next()
  }

  private expectKeyword(word: string, context: string): Token {
    const token = this.peek()
    if (!this.isKeyword(token, word)) this.fail(token.span, `Expected '${word}' ${context}, found ${describe(token)}.`)
    return this.next()
  }

  private span(from: Span, to: Span): Span {
    return joinSpans(this.source, from, to)
  }

  private expression(minBp: number): Expr {
    let left = this.prefix()
    let comparedAt: Span | undefined
    for (;;) {
      const token = this.peek()
      const word = token.kind === 'identifier' ? String(token.value).toLowerCase() : undefined
      if (word === 'or' || word === 'and') {
        const bp = BP[word]
        if (bp < minBp) break
        this.next()
        const right = this.expression(bp + 1)
        left = BinaryNode.create(word, left, right, this.span(left.span, right.span))
      } else if (word === 'is') {
        if (BP.is < minBp) break
        left = this.isNull(left)
      } else if (
        word === 'in' ||
        word === 'like' ||
        (word === 'not' && (this.isKeyword(this.peek(1), 'in') || this.isKeyword(this.peek(1), 'like')))
      ) {
        if (BP.inLike < minBp) break
        left = this.inOrLike(left)
      } else if (token.kind === 'operator' && COMPARISON[token.text] !== undefined) {
        if (BP.comparison < minBp) break
        if (comparedAt !== undefined) this.fail(token.span, 'Comparisons cannot be chained.', 'Write a < b and b < c.')
        this.next()
        const right = this.expression(BP.comparison + 1)
        left = BinaryNode.create(COMPARISON[token.text]!, left, right, this.span(left.span, right.span))
        comparedAt = token.span
        continue
      } else if (token.kind === 'operator' && ARITHMETIC[token.text] !== undefined) {
        const { op, bp } = ARITHMETIC[token.text]!
        if (bp < minBp) break
        this.next()
        const right = this.expression(bp + 1)
        left = BinaryNode.create(op, left, right, this.span(left.span, right.span))
      } else {
        break
      }
      comparedAt = undefined
    }
    return left
  }

  private isNull(operand: Expr): Expr {
    this.next()
    const negated = this.isKeyword(this.peek(), 'not')
    if (negated) this.next()
    const end = this.expectKeyword('null', negated ? "after 'is not'" : "after 'is'")
    return IsNullNode.create(operand, negated, this.span(operand.span, end.span))
  }

  private inOrLike(operand: Expr): Expr {
    const negated = this.isKeyword(this.peek(), 'not')
    if (negated) this.next()
    if (this.isKeyword(this.next(), 'like')) {
      const pattern = this.expression(BP.inLike + 1)
      return LikeNode.create(operand, pattern, negated, this.span(operand.span, pattern.span))
    }
    const open = this.expect('(', "to start the list after 'in'")
    if (this.isOperator(this.peek(), ')'))
      this.fail(this.peek().span, "The list after 'in' is empty.", 'Give at least one value.')
    const list = this.list(open)
    return InNode.create(operand, list.items, negated, this.span(operand.span, list.end))
  }

  /** Comma-separated expressions up to the `)` that closes `open`. */
  private list(open: Token): { items: Expr[]; end: Span } {
    const items: Expr[] = []
    if (!this.isOperator(this.peek(), ')')) {
      do items.push(this.expression(0))
      while (this.isOperator(this.peek(), ',') && this.next())
    }
    const close = this.expect(')', `to close the '(' at ${open.span.line}:${open.span.column}`)
    return { items, end: close.span }
  }

  private prefix(): Expr {
    const token = this.peek()
    if (this.isKeyword(token, 'not')) {
      this.next()
      const operand = this.expression(BP.not)
      return UnaryNode.create('not', operand, this.span(token.span, operand.span))
    }
    if (this.isOperator(token, '-')) {
      this.next()
      const operand = this.expression(BP.unary)
      if (LiteralNode.is(operand) && typeof operand.value === 'number') {
        return LiteralNode.create(operand.type, -operand.value, this.span(token.span, operand.span))
      }
      return UnaryNode.create('-', operand, this.span(token.span, operand.span))
    }
    if (this.isOperator(token, '(')) {
      this.next()
      const inner = this.expression(0)
      this.expect(')', `to close the '(' at ${token.span.line}:${token.span.column}`)
      return inner
    }
    return this.primary()
  }

  private primary(): Expr {
    const token = this.next()
    switch (token.kind) {
      case 'string':
        return LiteralNode.create('string', String(token.value), token.span)
      case 'integer':
        return LiteralNode.create('integer', Number(token.value), token.span)
      case 'decimal':
        return LiteralNode.create('number', Number(token.value), token.span)
      case 'parameter':
        return ParameterNode.create(String(token.value), token.span)
      case 'quoted':
        return this.column(token)
      case 'identifier':
        return this.word(token)
      default:
        return this.fail(token.span, `Expected a value, a column or a function call, found ${describe(token)}.`)
    }
  }

  private word(token: Token): Expr {
    const word = String(token.value).toLowerCase()
    if (word === 'true' || word === 'false') return LiteralNode.create('boolean', word === 'true', token.span)
    if (word === 'null') return LiteralNode.create('null', null, token.span)
    if (word === 'case') return this.caseExpression(token)
    if ((word === 'date' || word === 'datetime') && this.peek().kind === 'string')
      return this.typedLiteral(word, this.next(), token.span)
    if (this.isOperator(this.peek(), '(')) return this.call(token)
    if (RESERVED_WORDS.has(word))
      this.fail(
        token.span,
        `Expected a value, a column or a function call, found '${token.text}'.`,
        `Write "${token.text}" in double quotes if it is a column name.`,
      )
    return this.column(token)
  }

  private column(first: Token): Expr {
    if (!this.isOperator(this.peek(), '.')) return ColumnNode.create(undefined, String(first.value), first.span)
    this.next()
    const second = this.next()
    if (second.kind !== 'identifier' && second.kind !== 'quoted')
      this.fail(second.span, `Expected a column name after '${first.text}.', found ${describe(second)}.`)
    return ColumnNode.create(String(first.value), String(second.value), this.span(first.span, second.span))
  }

  private call(name: Token): Expr {
    const open = this.next()
    const { items, end } = this.list(open)
    return CallNode.create(String(name.value), name.span, items, this.span(name.span, end))
  }

  private typedLiteral(type: 'date' | 'datetime', text: Token, start: Span): Expr {
    const span = this.span(start, text.span)
    const raw = String(text.value)
    const value = type === 'date' ? (parseDate(raw) === undefined ? undefined : raw) : normalizeDatetime(raw)
    if (value === undefined) {
      const hint =
        type === 'date'
          ? "Write date 'YYYY-MM-DD' with a day that exists."
          : "Write datetime 'YYYY-MM-DDTHH:MM:SSZ' or with an offset such as +01:00."
      throw issuesError([
        exprIssue('EXPR_INVALID_LITERAL', `'${raw}' is not a valid ${type}.`, this.source, text.span, hint),
      ])
    }
    return LiteralNode.create(type, value, span)
  }

  private caseExpression(start: Token): Expr {
    if (this.isKeyword(this.peek(), 'end'))
      this.fail(this.peek().span, "Expected 'when' in the case expression, found 'end'.")
    const operand = this.isKeyword(this.peek(), 'when') ? undefined : this.expression(0)
    const branches: CaseBranch[] = []
    while (this.isKeyword(this.peek(), 'when')) {
      this.next()
      const when = this.expression(0)
      this.expectKeyword('then', "after the 'when' condition")
      branches.push({ when, then: this.expression(0) })
    }
    if (branches.length === 0)
      this.fail(this.peek().span, `Expected 'when' in the case expression, found ${describe(this.peek())}.`)
    const otherwise = this.isKeyword(this.peek(), 'else') ? (this.next(), this.expression(0)) : undefined
    const end = this.expectKeyword('end', `to close the 'case' at ${start.span.line}:${start.span.column}`)
    return CaseNode.create(operand, branches, otherwise, this.span(start.span, end.span))
  }
}

/**
 * Parses expression text into an AST. Throws a ProvisioError (EXPR_SYNTAX or EXPR_INVALID_LITERAL)
 * whose issue gives the line, column and a caret excerpt of the first problem.
 *
 * @example
 * parseExpression("lower(e.mail) like '%@example.com'")
 */
export function parseExpression(source: string): Expr {
  const expr = new Parser(source).parse()
  sources.set(expr, source)
  return expr
}

/** The source text of an expression returned by parseExpression(). */
export function sourceOf(expr: Expr): string | undefined {
  return sources.get(expr)
}
