/** The result of type checking: the AST plus, per node, its type and what its names resolved to. */
import type { Expr } from './ast/index.ts'
import type { FunctionDefinition, Signature } from './functions/definition.ts'
import type { Scope } from './scope.ts'
import type { ExprType } from './types.ts'

export interface NodeInfo {
  readonly type: ExprType
  /** For columns: the alias the name resolved to. */
  readonly alias?: string
  /** For calls: the function and the signature the arguments matched. */
  readonly fn?: FunctionDefinition
  readonly signature?: Signature
}

/** A checked expression, the input of both compilers. Obtain it from typeCheck() or checkExpression(). */
export interface TypedExpr {
  readonly source: string
  readonly root: Expr
  /** The type of the whole expression. */
  readonly type: ExprType
  readonly scope: Scope
  readonly info: ReadonlyMap<Expr, NodeInfo>
  /** The columns the expression reads, each once, in order of appearance. */
  readonly columns: readonly { readonly alias: string; readonly column: string }[]
  /** The parameters the expression uses, each once. */
  readonly parameters: readonly string[]
}

/** The info of a node of a checked expression; throws when the node does not belong to it. */
export function nodeInfo(typed: TypedExpr, node: Expr): NodeInfo {
  const info = typed.info.get(node)
  if (info === undefined) throw new Error('The node is not part of this checked expression')
  return info
}
