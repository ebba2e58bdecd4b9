import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

/** `x is null` or `x is not null`; never null itself. */
export interface IsNullNode extends NodeBase {
  readonly kind: 'IsNull'
  readonly operand: Expr
  readonly negated: boolean
}

export const IsNullNode = Object.freeze({
  is(node: Expr): node is IsNullNode {
    return node.kind === 'IsNull'
  },
  create(operand: Expr, negated: boolean, span: Span): IsNullNode {
    return Object.freeze({ kind: 'IsNull', operand, negated, span })
  },
})
