import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

/** `x [not] in (a, b, …)` with SQL's three-valued result when the list holds a null. */
export interface InNode extends NodeBase {
  readonly kind: 'In'
  readonly operand: Expr
  readonly list: readonly Expr[]
  readonly negated: boolean
}

export const InNode = Object.freeze({
  is(node: Expr): node is InNode {
    return node.kind === 'In'
  },
  create(operand: Expr, list: readonly Expr[], negated: boolean, span: Span): InNode {
    return Object.freeze({ kind: 'In', operand, list: Object.freeze([...list]), negated, span })
  },
})
