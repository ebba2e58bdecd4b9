import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

/** A column reference: `column` or `alias.column` (either part may be a "quoted identifier"). */
export interface ColumnNode extends NodeBase {
  readonly kind: 'Column'
  /** Absent for a bare `column`; the type checker resolves it against the scope. */
  readonly alias: string | undefined
  readonly column: string
}

export const ColumnNode = Object.freeze({
  is(node: Expr): node is ColumnNode {
    return node.kind === 'Column'
  },
  create(alias: string | undefined, column: string, span: Span): ColumnNode {
    return Object.freeze({ kind: 'Column', alias, column, span })
  },
})
