export { type Expr, type NodeKind, type NodeOfKind, type ExprVisitor, visit } from './node.ts'
export { LiteralNode, type LiteralType } from './literal-node.ts'
export { ColumnNode } from './column-node.ts'
export { ParameterNode } from './parameter-node.ts'
export { UnaryNode, type UnaryOperator } from './unary-node.ts'
export {
  BinaryNode,
  type BinaryOperator,
  type ComparisonOperator,
  type ArithmeticOperator,
  type LogicalOperator,
  COMPARISON_OPERATORS,
  ARITHMETIC_OPERATORS,
} from './binary-node.ts'
export { IsNullNode } from './is-null-node.ts'
export { InNode } from './in-node.ts'
export { LikeNode } from './like-node.ts'
export { CaseNode, type CaseBranch } from './case-node.ts'
export { CallNode } from './call-node.ts'
export { formatExpr, formatIdentifier, formatStringLiteral } from './format-expr.ts'
