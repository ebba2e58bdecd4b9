import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

export type UnaryOperator = 'not' | '-'

/** `not x` or `-x`. */
export interface UnaryNode extends NodeBase {
  readonly kind: 'Unary'
  readonly op: UnaryOperator
  readonly operand: Expr
}

export const UnaryNode = Object.freeze({
  is(node: Expr): node is UnaryNode {
    return node.kind === 'Unary'
  },
  create(op: UnaryOperator, operand: Expr, span: Span): UnaryNode {
    return Object.freeze({ kind: 'Unary', op, operand, span })
  },
})
