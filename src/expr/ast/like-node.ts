import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

/** `x [not] like pattern`: `%` any run, `_` one character, `\` escapes; case-sensitive. */
export interface LikeNode extends NodeBase {
  readonly kind: 'Like'
  readonly operand: Expr
  readonly pattern: Expr
  readonly negated: boolean
}

export const LikeNode = Object.freeze({
  is(node: Expr): node is LikeNode {
    return node.kind === 'Like'
  },
  create(operand: Expr, pattern: Expr, negated: boolean, span: Span): LikeNode {
    return Object.freeze({ kind: 'Like', operand, pattern, negated, span })
  },
})
