import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

export type LogicalOperator = 'and' | 'or'
/** `<>` is parsed as `!=`. */
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>='
export type ArithmeticOperator = '+' | '-' | '*' | '/'
export type BinaryOperator = LogicalOperator | ComparisonOperator | ArithmeticOperator | '||'

export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>='])
export const ARITHMETIC_OPERATORS: ReadonlySet<string> = new Set(['+', '-', '*', '/'])

/** `left op right` for logical, comparison, arithmetic and concatenation operators. */
export interface BinaryNode extends NodeBase {
  readonly kind: 'Binary'
  readonly op: BinaryOperator
  readonly left: Expr
  readonly right: Expr
}

export const BinaryNode = Object.freeze({
  is(node: Expr): node is BinaryNode {
    return node.kind === 'Binary'
  },
  create(op: BinaryOperator, left: Expr, right: Expr, span: Span): BinaryNode {
    return Object.freeze({ kind: 'Binary', op, left, right, span })
  },
})
