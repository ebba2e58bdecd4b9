import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

/** The type of a literal as written: `'text'`, `42`, `4.2`, `true`, `null`, `date '…'`, `datetime '…'`. */
export type LiteralType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'date' | 'datetime'

/**
 * A literal value. Dates hold `YYYY-MM-DD`; datetimes hold the instant normalised to UTC
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`), as the vault stores them.
 */
export interface LiteralNode extends NodeBase {
  readonly kind: 'Literal'
  readonly type: LiteralType
  readonly value: string | number | boolean | null
}

export const LiteralNode = Object.freeze({
  is(node: Expr): node is LiteralNode {
    return node.kind === 'Literal'
  },
  create(type: LiteralType, value: string | number | boolean | null, span: Span): LiteralNode {
    return Object.freeze({ kind: 'Literal', type, value, span })
  },
})
