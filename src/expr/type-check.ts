/**
 * The type checker: gives every node a type, resolves columns and parameters against a {@link Scope},
 * picks function overloads, and reports every problem it finds (not only the first) as an issue with
 * line, column and excerpt. It never stops at an error: a failed node gets no type, which fits
 * anywhere, so one mistake does not cause a cascade of follow-up messages.
 */
import { isProvisioError } from '../core/index.ts'
import {
  ARITHMETIC_OPERATORS,
  type BinaryNode,
  COMPARISON_OPERATORS,
  type Expr,
  type ExprVisitor,
  LiteralNode,
  visit,
} from './ast/index.ts'
import type { ExprErrorCode } from './errors.ts'
import { parseExpression, sourceOf } from './parser.ts'
import { resolveColumn, type Scope } from './scope.ts'
import { type ExprIssue, exprIssue, issuesError, type Span } from './span.ts'
import { checkCall } from './type-check-call.ts'
import type { NodeInfo, TypedExpr } from './typed-expr.ts'
import { type ExprType, isComparable, isNumeric, unifyTypes } from './types.ts'
import { hasTrailingEscape } from './runtime/like.ts'

export interface TypeCheckOptions {
  /** The type the whole expression must have (`boolean` for filter conditions). @default undefined (any) */
  readonly expectedType?: ExprType | undefined
  /** The source text, when the AST did not come from parseExpression(). */
  readonly source?: string | undefined
}

type Checked = ExprType | undefined

function mismatchHint(a: ExprType, b: ExprType): string | undefined {
  const pair = new Set([a, b])
  if (pair.has('string') && (pair.has('date') || pair.has('datetime')))
    return "Write a date as date '2026-01-31' (or datetime '2026-01-31T10:00:00Z'), or convert text with to_date(text, 'YYYY-MM-DD')."
  if (pair.has('date') && pair.has('datetime'))
    return 'Convert the datetime with to_date(datetime), which takes its date in the time zone of the compile options.'
  if (pair.has('string') && pair.has('integer')) return 'Convert with to_integer(text) or to_text(integer).'
  if (pair.has('string[]')) return "Test a multi-valued column with contains(column, 'value')."
  return undefined
}

class Checker {
  readonly issues: ExprIssue[] = []
  readonly info = new Map<Expr, NodeInfo>()
  readonly columns = new Map<string, { alias: string; column: string }>()
  readonly parameters = new Set<string>()

  constructor(
    readonly source: string,
    private readonly scope: Scope,
  ) {}

  report(code: ExprErrorCode, message: string, span: Span, hint?: string): void {
    this.issues.push(exprIssue(code, message, this.source, span, hint))
  }

  check(node: Expr): Checked {
    const type = visit(node, this.visitor)
    if (type !== undefined && !this.info.has(node)) this.info.set(node, { type })
    return type
  }

  /** Checks that a node has one of the accepted types (null always fits). */
  expectOperand(node: Expr, accepted: readonly ExprType[], what: string, hint?: string): Checked {
    const type = this.check(node)
    if (type === undefined || type === 'null' || accepted.includes(type)) return type
    this.report('EXPR_TYPE_MISMATCH', `${what} must be ${accepted.join(' or ')}, got ${type}.`, node.span, hint)
    return undefined
  }

  compare(left: Expr, right: Expr, span: Span): boolean {
    return this.compareTypes(this.check(left), this.check(right), span)
  }

  compareTypes(a: Checked, b: Checked, span: Span): boolean {
    if (a === undefined || b === undefined || isComparable(a, b)) return true
    this.report('EXPR_TYPE_MISMATCH', `Cannot compare ${a} with ${b}.`, span, mismatchHint(a, b))
    return false
  }

  private binary(node: BinaryNode): Checked {
    const { op, left, right } = node
    if (op === 'and' || op === 'or') {
      const ok = [
        this.expectOperand(left, ['boolean'], `The left side of '${op}'`),
        this.expectOperand(right, ['boolean'], `The right side of '${op}'`),
      ]
      return ok.includes(undefined) ? undefined : 'boolean'
    }
    if (COMPARISON_OPERATORS.has(op)) return this.compare(left, right, node.span) ? 'boolean' : undefined
    if (op === '||') {
      const hint = 'Convert other values with to_text() first.'
      const ok = [
        this.expectOperand(left, ['string', 'integer'], "The left side of '||'", hint),
        this.expectOperand(right, ['string', 'integer'], "The right side of '||'", hint),
      ]
      return ok.includes(undefined) ? undefined : 'string'
    }
    if (!ARITHMETIC_OPERATORS.has(op)) throw new Error(`Unknown operator ${op}`)
    const [a, b] = [this.check(left), this.check(right)]
    for (const [side, t] of [
      [left, a],
      [right, b],
    ] as const) {
      if (t === undefined || t === 'null' || isNumeric(t)) continue
      const hint =
        t === 'string' && op === '+'
          ? "Join text with '||'."
          : t === 'date' || t === 'datetime'
            ? "Use date_add(date, n, 'day') and date_diff('day', a, b)."
            : undefined
      this.report('EXPR_TYPE_MISMATCH', `'${op}' needs numbers, got ${t}.`, side.span, hint)
      return undefined
    }
    if (a === undefined || b === undefined) return undefined
    return op === '/' || a === 'number' || b === 'number' ? 'number' : 'integer'
  }

  private readonly visitor: ExprVisitor<Checked> = {
    Literal: (node) => node.type,
    Column: (node) => {
      const r = resolveColumn(this.scope, node.alias, node.column)
      if (!r.ok) {
        const quoted =
          this.source[node.span.offset] === '"'
            ? " Text in double quotes names a column; write strings in 'single quotes'."
            : ''
        this.report(r.code, r.message, node.span, `${r.hint ?? ''}${quoted}`.trim() || undefined)
        return undefined
      }
      this.columns.set(`${r.alias}\u0000${node.column}`, { alias: r.alias, column: node.column })
      this.info.set(node, { type: r.type, alias: r.alias })
      return r.type
    },
    Parameter: (node) => {
      const params = this.scope.parameters ?? {}
      const type = Object.hasOwn(params, node.name) ? params[node.name] : undefined
      if (type === undefined) {
        const known = Object.keys(params)
        const near = known.find((k) => k.toLowerCase() === node.name.toLowerCase())
        const hint =
          near !== undefined
            ? `Did you mean ':${near}'?`
            : known.length === 0
              ? 'No parameters are declared here.'
              : `Declared: ${known.map((k) => `:${k}`).join(', ')}.`
        this.report('EXPR_UNKNOWN_PARAMETER', `The parameter ':${node.name}' is not declared.`, node.span, hint)
        return undefined
      }
      this.parameters.add(node.name)
      return type
    },
    Unary: (node) =>
      node.op === 'not'
        ? this.expectOperand(node.operand, ['boolean'], "The operand of 'not'") && 'boolean'
        : this.expectOperand(node.operand, ['integer', 'number'], "The operand of '-'") &&
          (this.info.get(node.operand)?.type === 'number' ? 'number' : 'integer'),
    Binary: (node) => this.binary(node),
    IsNull: (node) => (this.check(node.operand), 'boolean'),
    In: (node) => {
      const type = this.check(node.operand)
      return node.list.map((item) => this.compareTypes(type, this.check(item), item.span)).includes(false)
        ? undefined
        : 'boolean'
    },
    Like: (node) => {
      const ok = [
        this.expectOperand(node.operand, ['string'], "The left side of 'like'"),
        this.expectOperand(node.pattern, ['string'], "The pattern of 'like'"),
      ]
      if (
        LiteralNode.is(node.pattern) &&
        typeof node.pattern.value === 'string' &&
        hasTrailingEscape(node.pattern.value)
      ) {
        this.report(
          'EXPR_INVALID_LITERAL',
          'The like pattern ends with a backslash that escapes nothing.',
          node.pattern.span,
          "Write '\\\\' for a literal backslash.",
        )
        return undefined
      }
      return ok.includes(undefined) ? undefined : 'boolean'
    },
    Case: (node) => {
      const operand = node.operand === undefined ? undefined : this.check(node.operand)
      for (const b of node.branches) {
        if (node.operand === undefined) this.expectOperand(b.when, ['boolean'], "A 'when' condition")
        else this.compareTypes(operand, this.check(b.when), b.when.span)
      }
      const results = [...node.branches.map((b) => b.then), ...(node.otherwise === undefined ? [] : [node.otherwise])]
      const types: ExprType[] = []
      for (const r of results) {
        const t = this.check(r)
        if (t === undefined) return undefined
        if (unifyTypes([...types, t]) === undefined) {
          this.report(
            'EXPR_TYPE_MISMATCH',
            `The results of 'case' must have compatible types: ${unifyTypes(types)} and ${t}.`,
            r.span,
          )
          return undefined
        }
        types.push(t)
      }
      return unifyTypes(types)
    },
    Call: (node) => {
      const types = node.args.map((a) => this.check(a))
      const call = checkCall(this, node, types)
      if (call === undefined) return undefined
      this.info.set(node, { type: call.type, fn: call.fn, signature: call.signature })
      return call.type
    },
  }
}

function run(expr: Expr, scope: Scope, options: TypeCheckOptions): { typed?: TypedExpr; issues: ExprIssue[] } {
  const source = options.source ?? sourceOf(expr) ?? ''
  const checker = new Checker(source, scope)
  const type = checker.check(expr)
  const expected = options.expectedType
  if (type !== undefined && expected !== undefined && type !== 'null' && unifyTypes([type, expected]) !== expected) {
    checker.report(
      'EXPR_TYPE_MISMATCH',
      `The expression must be ${expected}, got ${type}.`,
      expr.span,
      expected === 'boolean' ? "A condition compares values, for example status = 'active'." : undefined,
    )
  }
  if (checker.issues.length > 0 || type === undefined) return { issues: checker.issues }
  const typed: TypedExpr = {
    source,
    root: expr,
    type,
    scope,
    info: checker.info,
    columns: [...checker.columns.values()],
    parameters: [...checker.parameters],
  }
  return { typed, issues: [] }
}

/**
 * Checks a parsed expression against a scope. Throws a ProvisioError carrying every issue found.
 *
 * @example
 * const typed = typeCheck(parseExpression("e.status = 'active'"), scope, { expectedType: 'boolean' })
 */
export function typeCheck(expr: Expr, scope: Scope, options: TypeCheckOptions = {}): TypedExpr {
  const { typed, issues } = run(expr, scope, options)
  if (typed === undefined) throw issuesError(issues)
  return typed
}

/** Parses and checks expression text without throwing, for validation: the issues are empty when `expr` is set. */
export function checkExpression(
  text: string,
  scope: Scope,
  options: TypeCheckOptions = {},
): { expr?: TypedExpr; issues: ExprIssue[] } {
  let parsed: Expr
  try {
    parsed = parseExpression(text)
  } catch (error) {
    if (isProvisioError(error)) return { issues: error.issues as ExprIssue[] }
    throw error
  }
  const { typed, issues } = run(parsed, scope, { ...options, source: text })
  return typed === undefined ? { issues } : { expr: typed, issues }
}
