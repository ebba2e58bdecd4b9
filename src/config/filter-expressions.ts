/**
 * Checking an expression that sits in a YAML value (a filter's `where`, a computed column, a link's
 * `leftExpression`) and placing its issues in the file. The expression layer reports a line and
 * column inside the expression text; this module adds the position of the YAML value:
 *
 * - a plain or quoted scalar on one line whose source is exactly its value (no escapes, no folding)
 *   maps character for character, so the issue points at the very character in the file;
 * - any other scalar (a block scalar `|`, a folded or escaped one) points at the value's start, and
 *   the message ends with the position inside the expression.
 *
 * Either way the issue keeps the expression's excerpt (the line with a caret under the problem).
 */
import { isScalar, type Node, Scalar } from 'yaml'
import type { ColumnSchema, Issue } from '../core/index.ts'
import { checkExpression, type ExprIssue, type ExprType, type Scope } from '../expr/index.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** Options of {@link checkDocumentExpression}. */
export interface DocumentExpressionOptions {
  /** The type the expression must have (`boolean` for a condition). @default undefined (any type) */
  readonly expectedType?: ExprType | undefined
}

/** The outcome: the expression's type when it is valid, and its issues positioned in the file. */
export interface DocumentExpressionResult {
  readonly type?: ExprType | undefined
  readonly issues: readonly Issue[]
}

/**
 * Type-checks the expression `text`, the value at `path` of `document`, against `scope`.
 *
 * @example
 * const { type, issues } = checkDocumentExpression(document, ['where'], "e.status = 'active'", scope, {
 *   expectedType: 'boolean',
 * })
 */
export function checkDocumentExpression(
  document: LoadedDocument,
  path: DocumentPath,
  text: string,
  scope: Scope,
  options: DocumentExpressionOptions = {},
): DocumentExpressionResult {
  const result = checkExpression(text, scope, { expectedType: options.expectedType })
  if (result.expr !== undefined) return { type: result.expr.type, issues: [] }
  const at = document.positionOf(path)
  const shift = exactShift(document, path, text)
  return {
    issues: result.issues.map((issue) => placeIssue(document, path, at, shift, issue)),
  }
}

/**
 * How many characters the expression text starts after the node's start (1 for an opening quote),
 * when the node's source is exactly `'` or `"` + the text + the quote, or the text itself; else undefined.
 */
function exactShift(document: LoadedDocument, path: DocumentPath, text: string): number | undefined {
  const node = document.yaml.getIn(path, true) as Node | undefined
  if (!isScalar(node) || node.range === undefined || node.range === null || text.includes('\n')) return undefined
  const length = node.range[1] - node.range[0]
  // Escapes, doubled quotes and line folding all make the source longer than the value, so an
  // equal length means the source is the value, character for character.
  switch (node.type) {
    case Scalar.PLAIN:
      return length === text.length ? 0 : undefined
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      return length === text.length + 2 ? 1 : undefined
    default:
      return undefined
  }
}

function placeIssue(
  document: LoadedDocument,
  path: DocumentPath,
  at: { line: number; column: number },
  shift: number | undefined,
  issue: ExprIssue,
): Issue {
  const exact = shift !== undefined && issue.span.line === 1
  return {
    code: issue.code,
    message: exact ? issue.message : `${issue.message} (expression line ${issue.line}, column ${issue.column})`,
    ...(issue.hint === undefined ? {} : { hint: issue.hint }),
    file: document.file,
    line: at.line,
    column: exact ? at.column + shift + issue.span.offset : at.column,
    path: [...path],
    excerpt: issue.excerpt,
  }
}

/**
 * Whether values of two types can be compared for equality (link sides, a lookup value and its
 * column): the same type, or both numeric; `null` fits anything; multi-valued never.
 */
export function areComparable(a: ExprType, b: ExprType): boolean {
  if (a === 'string[]' || b === 'string[]') return false
  if (a === 'null' || b === 'null' || a === b) return true
  const numeric = (t: ExprType) => t === 'integer' || t === 'number'
  return numeric(a) && numeric(b)
}

/** The scope of one table: its columns under `alias`, which is also the default alias. */
export function tableScope(alias: string, columns: readonly ColumnSchema[]): Scope {
  return { aliases: { [alias]: Object.fromEntries(columns.map((c) => [c.name, c.type])) }, defaultAlias: alias }
}
