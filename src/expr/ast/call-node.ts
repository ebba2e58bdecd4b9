import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

/** A function call `name(args)`; `name` is lower-cased (function names are case-insensitive). */
export interface CallNode extends NodeBase {
  readonly kind: 'Call'
  readonly name: string
  /** The span of the name alone, for "unknown function" errors. */
  readonly nameSpan: Span
  readonly args: readonly Expr[]
}

export const CallNode = Object.freeze({
  is(node: Expr): node is CallNode {
    return node.kind === 'Call'
  },
  create(name: string, nameSpan: Span, args: readonly Expr[], span: Span): CallNode {
    return Object.freeze({ kind: 'Call', name: name.toLowerCase(), nameSpan, args: Object.freeze([...args]), span })
  },
})
