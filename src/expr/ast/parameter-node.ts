import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

/** A filter parameter, written `:name`; its type comes from the scope, its value when the filter runs. */
export interface ParameterNode extends NodeBase {
  readonly kind: 'Parameter'
  readonly name: string
}

export const ParameterNode = Object.freeze({
  is(node: Expr): node is ParameterNode {
    return node.kind === 'Parameter'
  },
  create(name: string, span: Span): ParameterNode {
    return Object.freeze({ kind: 'Parameter', name, span })
  },
})
