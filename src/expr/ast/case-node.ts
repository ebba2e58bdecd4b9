import type { Span } from '../span.ts'
import type { Expr, NodeBase } from './node.ts'

export interface CaseBranch {
  readonly when: Expr
  readonly then: Expr
}

/**
 * `case when c then r … [else e] end` (searched) or `case x when v then r … end` (simple, which
 * compares `x = v`, so a null `x` matches no branch). Without `else` the result is null.
 */
export interface CaseNode extends NodeBase {
  readonly kind: 'Case'
  readonly operand: Expr | undefined
  readonly branches: readonly CaseBranch[]
  readonly otherwise: Expr | undefined
}

export const CaseNode = Object.freeze({
  is(node: Expr): node is CaseNode {
    return node.kind === 'Case'
  },
  create(
    operand: Expr | undefined,
    branches: readonly CaseBranch[],
    otherwise: Expr | undefined,
    span: Span,
  ): CaseNode {
    const frozen = Object.freeze(branches.map((b) => Object.freeze({ ...b })))
    return Object.freeze({ kind: 'Case', operand, branches: frozen, otherwise, span })
  },
})
