/**
 * Compiles a checked expression to SQL. {@link DefaultSqlCompiler} is one visitor over all node
 * kinds (a `Record<NodeKind, …>`); the dialects override a few small hooks (placeholders, null
 * casts, string ordering, division, like). Functions build their own SQL per dialect in
 * src/expr/functions.
 *
 * INVARIANT: values reach the SQL only as placeholders. Literal values, parameter values and the
 * function library's data (transliteration table, regex patterns, formats) are bound; the SQL text
 * holds only keywords, the compiler's own constants and the identifiers the caller's `columnSql`
 * hook returns.
 */
import type { Value } from '../../core/index.ts'
import type { BinaryNode, Expr, ExprVisitor, LikeNode } from '../ast/index.ts'
import { ARITHMETIC_OPERATORS, LiteralNode, visit } from '../ast/index.ts'
import { type CompileOptions, evalEnv, parameterValue } from '../compile-options.ts'
import type { EvalEnv, SqlArg, SqlDialect } from '../functions/definition.ts'
import { nodeInfo, type TypedExpr } from '../typed-expr.ts'
import { type ExprType, unifyTypes } from '../types.ts'
import { type Fragment, joinSql, param, raw, sql } from './fragment.ts'

export interface SqlCompileContext extends CompileOptions {
  /** The SQL reference of a column, already quoted by the caller (for example `"e"."birth_date"`). */
  readonly columnSql: (alias: string, column: string) => string
  /**
   * SQL for a :parameter, when the caller binds parameters itself (for example a reference to a CTE
   * column). Without it, or where it returns undefined, parameters are bound from `paramValues`.
   */
  readonly paramSql?: ((name: string) => string | undefined) | undefined
  /** Placeholders are numbered after this many parameters of the enclosing statement ($n on PostgreSQL). @default 0 */
  readonly paramOffset?: number | undefined
}

export interface CompiledSql {
  readonly sql: string
  /** Values for the placeholders, in order, ready for the driver (better-sqlite3 or pg). */
  readonly params: unknown[]
}

const SQL_OPERATOR: Readonly<Record<string, string>> = { and: 'AND', or: 'OR', '!=': '<>' }

/** Compiles one checked expression; a dialect subclass overrides the hooks below. */
export abstract class DefaultSqlCompiler {
  abstract readonly dialect: SqlDialect
  private readonly env: EvalEnv

  constructor(
    private readonly typed: TypedExpr,
    private readonly context: SqlCompileContext,
  ) {
    this.env = evalEnv(context)
  }

  compile(): CompiledSql {
    return this.render(this.node(this.typed.root), this.context.paramOffset ?? 0)
  }

  /** The placeholder for the `index`-th parameter (1-based, offset included). */
  protected abstract placeholder(index: number, type: ExprType): string

  /** A value as the driver must bind it. string[] values are stored as JSON text. */
  protected bindValue(value: Value, type: ExprType): unknown {
    return type === 'string[]' && value !== null ? JSON.stringify(value) : value
  }

  /** Gives an expression of static type `null` a concrete SQL type where the database needs one. */
  protected castNull(fragment: Fragment, _type: ExprType): Fragment {
    return fragment
  }

  /** `<`, `<=`, `>`, `>=` (and `=`, `<>`); strings must order by code point. */
  protected comparison(left: Fragment, op: string, right: Fragment, _type: ExprType): Fragment {
    return sql`(${left} ${raw(op)} ${right})`
  }

  /** `/` always divides as numbers and gives null for a zero divisor. */
  protected abstract divide(left: Fragment, right: Fragment): Fragment

  /** An operand of `||` (string or integer). */
  protected concatOperand(fragment: Fragment, _type: ExprType): Fragment {
    return fragment
  }

  /** `x [NOT] LIKE pattern`, case-sensitive, `\` escapes; `constant` is the pattern when it is a literal. */
  protected abstract like(
    operand: Fragment,
    pattern: Fragment,
    constant: string | undefined,
    negated: boolean,
  ): Fragment

  private render(fragment: Fragment, offset: number): CompiledSql {
    const params: unknown[] = []
    let text = ''
    for (const part of fragment.parts) {
      if (typeof part === 'string') {
        text += part
        continue
      }
      params.push(this.bindValue(part.value, part.type))
      text += this.placeholder(offset + params.length, part.type)
    }
    return { sql: text, params }
  }

  private typeOf(node: Expr): ExprType {
    return nodeInfo(this.typed, node).type
  }

  /** The SQL of `node`, cast to `expected` when the node is statically null. */
  private typedNode(node: Expr, expected: ExprType): Fragment {
    const fragment = this.node(node)
    return this.typeOf(node) === 'null' && expected !== 'null' ? this.castNull(fragment, expected) : fragment
  }

  protected node(node: Expr): Fragment {
    return visit(node, this.visitor)
  }

  private binary(node: BinaryNode): Fragment {
    const { op, left, right } = node
    const [lt, rt] = [this.typeOf(left), this.typeOf(right)]
    if (op === '||') {
      return sql`(${this.concatOperand(this.typedNode(left, 'string'), lt)} || ${this.concatOperand(this.typedNode(right, 'string'), rt)})`
    }
    const shared = unifyTypes([lt, rt]) ?? 'string'
    const fallback = op === 'and' || op === 'or' ? 'boolean' : ARITHMETIC_OPERATORS.has(op) ? 'integer' : 'string'
    const expected = shared === 'null' ? fallback : shared
    const [l, r] = [this.typedNode(left, expected), this.typedNode(right, expected)]
    if (op === '/') return this.divide(l, r)
    if (op === 'and' || op === 'or' || op === '+' || op === '-' || op === '*')
      return sql`(${l} ${raw(SQL_OPERATOR[op] ?? op)} ${r})`
    return this.comparison(l, SQL_OPERATOR[op] ?? op, r, expected)
  }

  private likeNode(node: LikeNode): Fragment {
    const constant =
      LiteralNode.is(node.pattern) && typeof node.pattern.value === 'string' ? node.pattern.value : undefined
    return this.like(
      this.typedNode(node.operand, 'string'),
      this.typedNode(node.pattern, 'string'),
      constant,
      node.negated,
    )
  }

  private call(node: Expr & { kind: 'Call' }): Fragment {
    const info = nodeInfo(this.typed, node)
    const { fn, signature } = info
    if (fn === undefined || signature === undefined) throw new Error(`Call ${node.name} was not checked`)
    const args: SqlArg[] = node.args.map((arg, i) => {
      const spec = signature.params[i] ?? signature.params[signature.params.length - 1]!
      const expected = spec.types === 'any' ? (info.type === 'null' ? 'string' : info.type) : spec.types[0]!
      const constant = arg.kind === 'Literal' ? arg.value : undefined
      return { sql: this.typedNode(arg, expected), type: this.typeOf(arg), constant }
    })
    return fn.sql[this.dialect](args, this.env)
  }

  private readonly visitor: ExprVisitor<Fragment> = {
    Literal: (node) => (node.value === null ? raw('NULL') : sql`${param(node.value, node.type)}`),
    Column: (node) => raw(this.context.columnSql(nodeInfo(this.typed, node).alias!, node.column)),
    Parameter: (node) => {
      const supplied = this.context.paramSql?.(node.name)
      if (supplied !== undefined) return raw(supplied)
      return sql`${param(parameterValue(this.context.paramValues, node.name), this.typeOf(node))}`
    },
    Unary: (node) =>
      node.op === 'not'
        ? sql`(NOT ${this.typedNode(node.operand, 'boolean')})`
        : sql`(-${this.typedNode(node.operand, 'integer')})`,
    Binary: (node) => this.binary(node),
    IsNull: (node) => sql`(${this.node(node.operand)} ${raw(node.negated ? 'IS NOT NULL' : 'IS NULL')})`,
    In: (node) => {
      const type = unifyTypes([this.typeOf(node.operand), ...node.list.map((n) => this.typeOf(n))]) ?? 'string'
      const expected = type === 'null' ? 'string' : type
      const list = joinSql(node.list.map((n) => this.typedNode(n, expected)))
      return sql`(${this.typedNode(node.operand, expected)} ${raw(node.negated ? 'NOT IN' : 'IN')} (${list}))`
    },
    Like: (node) => this.likeNode(node),
    Case: (node) => {
      const type = this.typeOf(node)
      const parts = [raw('CASE')]
      const whenType =
        node.operand === undefined
          ? 'boolean'
          : (unifyTypes([this.typeOf(node.operand), ...node.branches.map((b) => this.typeOf(b.when))]) ?? 'string')
      if (node.operand !== undefined) parts.push(this.typedNode(node.operand, whenType))
      for (const b of node.branches)
        parts.push(sql`WHEN ${this.typedNode(b.when, whenType)} THEN ${this.typedNode(b.then, type)}`)
      if (node.otherwise !== undefined) parts.push(sql`ELSE ${this.typedNode(node.otherwise, type)}`)
      parts.push(raw('END'))
      return joinSql(parts, ' ')
    },
    Call: (node) => this.call(node),
  }
}
