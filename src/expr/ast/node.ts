/**
 * The expression AST. Every node is a frozen plain object with a literal `kind`, a source span, and a
 * factory of the same name with `create()` and `is()` (kysely's operation-node pattern). All kinds are
 * listed in the {@link Expr} union; {@link ExprVisitor} is typed `Record<NodeKind, …>`, so a new kind
 * does not compile until every visitor handles it.
 */
import type { Span } from '../span.ts'
import type { BinaryNode } from './binary-node.ts'
import type { CallNode } from './call-node.ts'
import type { CaseNode } from './case-node.ts'
import type { ColumnNode } from './column-node.ts'
import type { InNode } from './in-node.ts'
import type { IsNullNode } from './is-null-node.ts'
import type { LikeNode } from './like-node.ts'
import type { LiteralNode } from './literal-node.ts'
import type { ParameterNode } from './parameter-node.ts'
import type { UnaryNode } from './unary-node.ts'

export type Expr =
  | LiteralNode
  | ColumnNode
  | ParameterNode
  | UnaryNode
  | BinaryNode
  | IsNullNode
  | InNode
  | LikeNode
  | CaseNode
  | CallNode

export type NodeKind = Expr['kind']

/** The node of one kind. */
export type NodeOfKind<K extends NodeKind> = Extract<Expr, { readonly kind: K }>

/** One handler per node kind; the compilers and the type checker are tables of this shape. */
export type ExprVisitor<R> = { readonly [K in NodeKind]: (node: NodeOfKind<K>) => R }

/** Calls the visitor's handler for `node`'s kind. */
export function visit<R>(node: Expr, visitor: ExprVisitor<R>): R {
  return (visitor[node.kind] as (n: Expr) => R)(node)
}

/** Fields every node has. */
export interface NodeBase {
  readonly span: Span
}
