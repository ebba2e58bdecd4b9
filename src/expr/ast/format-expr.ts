/**
 * Prints an AST back as expression text, fully parenthesised, so tests can pin how text was parsed
 * and messages can quote sub-expressions. Parsing the output gives the same tree (spans aside).
 */
import { RESERVED_WORDS } from '../reserved-words.ts'
import { type Expr, type ExprVisitor, visit } from './node.ts'

const SIMPLE_IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u

/** An identifier as it must be written: bare when possible, otherwise "double-quoted". */
export function formatIdentifier(name: string): string {
  if (SIMPLE_IDENTIFIER.test(name) && !RESERVED_WORDS.has(name.toLowerCase())) return name
  return `"${name.replaceAll('"', '""')}"`
}

/** A string as an expression literal, with `'` doubled. */
export function formatStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

const printer: ExprVisitor<string> = {
  Literal: (node) => {
    switch (node.type) {
      case 'string':
        return formatStringLiteral(String(node.value))
      case 'date':
      case 'datetime':
        return `${node.type} ${formatStringLiteral(String(node.value))}`
      case 'number':
        return Number.isInteger(node.value) ? `${String(node.value)}.0` : String(node.value)
      default:
        return String(node.value)
    }
  },
  Column: (node) =>
    (node.alias === undefined ? '' : `${formatIdentifier(node.alias)}.`) + formatIdentifier(node.column),
  Parameter: (node) => `:${node.name}`,
  Unary: (node) => (node.op === 'not' ? `(not ${formatExpr(node.operand)})` : `(-${formatExpr(node.operand)})`),
  Binary: (node) => `(${formatExpr(node.left)} ${node.op} ${formatExpr(node.right)})`,
  IsNull: (node) => `(${formatExpr(node.operand)} is ${node.negated ? 'not ' : ''}null)`,
  In: (node) =>
    `(${formatExpr(node.operand)} ${node.negated ? 'not ' : ''}in (${node.list.map(formatExpr).join(', ')}))`,
  Like: (node) => `(${formatExpr(node.operand)} ${node.negated ? 'not ' : ''}like ${formatExpr(node.pattern)})`,
  Case: (node) => {
    const parts = ['case']
    if (node.operand !== undefined) parts.push(formatExpr(node.operand))
    for (const b of node.branches) parts.push(`when ${formatExpr(b.when)} then ${formatExpr(b.then)}`)
    if (node.otherwise !== undefined) parts.push(`else ${formatExpr(node.otherwise)}`)
    parts.push('end')
    return parts.join(' ')
  },
  Call: (node) => `${node.name}(${node.args.map(formatExpr).join(', ')})`,
}

/** The canonical, fully parenthesised text of `expr`. */
export function formatExpr(expr: Expr): string {
  return visit(expr, printer)
}
