/**
 * Compiles a checked expression to a JavaScript closure, built from the AST (no eval). It follows
 * SQL semantics exactly, as the SQL backend produces them: three-valued logic (null = x is null,
 * `null and false` is false), strings ordered by code point, `/` dividing as numbers with null for
 * zero, `like` case-sensitive.
 */
import type { Row, Value } from '../core/index.ts'
import { type BinaryNode, type Expr, type ExprVisitor, visit } from './ast/index.ts'
import { type CompileOptions, evalEnv, parameterValue } from './compile-options.ts'
import type { EvalEnv } from './functions/definition.ts'
import { like } from './runtime/like.ts'
import { divide } from './runtime/numbers.ts'
import { compareCodePoints } from './runtime/strings.ts'
import { nodeInfo, type TypedExpr } from './typed-expr.ts'

/** The input of a compiled expression: one row per alias, and parameter values. */
export interface EvalRow {
  /** alias → row. A missing alias or column reads as null (an optional join that found nothing). */
  readonly rows: Readonly<Record<string, Readonly<Row> | undefined>>
  /** Parameter values; these win over `paramValues` of the compile options. @default {} */
  readonly params?: Readonly<Record<string, Value>> | undefined
}

export type JsCompileOptions = CompileOptions

type Evaluate = (row: EvalRow) => Value

/** Orders two non-null values of comparable types. */
function compareValues(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b)
  return Number(a) - Number(b)
}

const COMPARE: Readonly<Record<string, (c: number) => boolean>> = {
  '=': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
}

// `+ 0` turns -0 into 0, as integer arithmetic in the databases never yields -0.
const ARITHMETIC: Readonly<Record<string, (a: number, b: number) => number | null>> = {
  '+': (a, b) => a + b + 0,
  '-': (a, b) => a - b + 0,
  '*': (a, b) => a * b + 0,
  '/': (a, b) => divide(a, b),
}

/** SQL equality of two non-null values (`=` in `in` and simple `case`). */
function equalValues(a: Value, b: Value): boolean {
  return compareValues(a, b) === 0 && typeof a === typeof b
}

class JsCompiler {
  constructor(
    private readonly typed: TypedExpr,
    private readonly env: EvalEnv,
    private readonly options: CompileOptions,
  ) {}

  compile(node: Expr): Evaluate {
    return visit(node, this.visitor)
  }

  private binary(node: BinaryNode): Evaluate {
    const [left, right] = [this.compile(node.left), this.compile(node.right)]
    const op = node.op
    if (op === 'and') {
      return (row) => {
        const a = left(row)
        if (a === false) return false
        const b = right(row)
        return b === false ? false : a === null || b === null ? null : true
      }
    }
    if (op === 'or') {
      return (row) => {
        const a = left(row)
        if (a === true) return true
        const b = right(row)
        return b === true ? true : a === null || b === null ? null : false
      }
    }
    if (op === '||') {
      return (row) => {
        const [a, b] = [left(row), right(row)]
        return a === null || b === null ? null : String(a) + String(b)
      }
    }
    const compare = COMPARE[op]
    if (compare !== undefined) {
      return (row) => {
        const [a, b] = [left(row), right(row)]
        return a === null || b === null ? null : compare(compareValues(a, b))
      }
    }
    const arithmetic = ARITHMETIC[op]!
    return (row) => {
      const [a, b] = [left(row), right(row)]
      return a === null || b === null ? null : arithmetic(a as number, b as number)
    }
  }

  private readonly visitor: ExprVisitor<Evaluate> = {
    Literal: (node) => {
      const value = node.value
      return () => value
    },
    Column: (node) => {
      const alias = nodeInfo(this.typed, node).alias!
      const column = node.column
      return (row) => row.rows[alias]?.[column] ?? null
    },
    Parameter: (node) => {
      const name = node.name
      return (row) =>
        row.params !== undefined && Object.hasOwn(row.params, name)
          ? (row.params[name] ?? null)
          : parameterValue(this.options.paramValues, name)
    },
    Unary: (node) => {
      const operand = this.compile(node.operand)
      if (node.op === 'not') {
        return (row) => {
          const v = operand(row)
          return v === null ? null : !v
        }
      }
      return (row) => {
        const v = operand(row)
        return v === null ? null : -(v as number) + 0
      }
    },
    Binary: (node) => this.binary(node),
    IsNull: (node) => {
      const operand = this.compile(node.operand)
      return node.negated ? (row) => operand(row) !== null : (row) => operand(row) === null
    },
    In: (node) => {
      const operand = this.compile(node.operand)
      const list = node.list.map((n) => this.compile(n))
      const negated = node.negated
      return (row) => {
        const v = operand(row)
        if (v === null) return null
        let sawNull = false
        for (const item of list) {
          const x = item(row)
          if (x === null) sawNull = true
          else if (equalValues(v, x)) return !negated
        }
        return sawNull ? null : negated
      }
    },
    Like: (node) => {
      const [operand, pattern] = [this.compile(node.operand), this.compile(node.pattern)]
      const negated = node.negated
      return (row) => {
        const result = like(operand(row) as string | null, pattern(row) as string | null)
        return result === null ? null : result !== negated
      }
    },
    Case: (node) => {
      const operand = node.operand === undefined ? undefined : this.compile(node.operand)
      const branches = node.branches.map((b) => ({ when: this.compile(b.when), then: this.compile(b.then) }))
      const otherwise = node.otherwise === undefined ? () => null : this.compile(node.otherwise)
      return (row) => {
        const subject = operand?.(row)
        for (const b of branches) {
          const w = b.when(row)
          const hit =
            operand === undefined
              ? w === true
              : subject !== null && subject !== undefined && w !== null && equalValues(subject, w)
          if (hit) return b.then(row)
        }
        return otherwise(row)
      }
    },
    Call: (node) => {
      const { fn } = nodeInfo(this.typed, node)
      if (fn === undefined) throw new Error(`Call ${node.name} was not checked`)
      const args = node.args.map((a) => this.compile(a))
      const types = node.args.map((a) => nodeInfo(this.typed, a).type)
      const env = this.env
      return (row) =>
        fn.js(
          args.map((a) => a(row)),
          env,
          types,
        )
    },
  }
}

/**
 * Compiles a checked expression to a function of one row. today() and now() are fixed at compile
 * time from `options.now`.
 *
 * @example
 * const evaluate = compileToJs(typed, { timeZone: 'Europe/Amsterdam' })
 * evaluate({ rows: { e: { first_name: 'Zoë' } } })
 */
export function compileToJs(expr: TypedExpr, options: JsCompileOptions = {}): (row: EvalRow) => Value {
  return new JsCompiler(expr, evalEnv(options), options).compile(expr.root)
}
