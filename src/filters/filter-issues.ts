/**
 * Positioned issues for filters and links: every problem points at the YAML that caused it, through
 * the document's positionOf(path). Expression problems keep their EXPR_ code, message and excerpt
 * (the expression with a caret) and are placed at the expression's value in the document.
 */
import { isScalar, type Node, Scalar } from 'yaml'
import type { Issue } from '../core/index.ts'
import type { DocumentPath, LoadedDocument } from '../config/index.ts'
import type { ExprIssue } from '../expr/index.ts'
import type { FilterErrorCode } from './errors.ts'

export interface IssueFields {
  readonly code: FilterErrorCode
  readonly message: string
  readonly hint?: string | undefined
  readonly value?: unknown
  readonly severity?: 'error' | 'warning' | undefined
}

/** An issue at `path` of `document`. */
export function issueAt(document: LoadedDocument, path: DocumentPath, fields: IssueFields): Issue {
  const { line, column } = document.positionOf(path)
  return {
    code: fields.code,
    message: fields.message,
    ...(fields.hint === undefined ? {} : { hint: fields.hint }),
    file: document.file,
    line,
    column,
    path: [...path],
    ...(fields.value === undefined ? {} : { value: fields.value }),
    ...(fields.severity === undefined ? {} : { severity: fields.severity }),
  }
}

/**
 * How many characters the expression starts after its YAML node's start (1 after an opening quote)
 * when the node's source is the text itself, character for character; undefined otherwise (block
 * scalars, escapes, folding), in which case issues point at the value's start.
 */
function exactShift(document: LoadedDocument, path: DocumentPath, text: string): number | undefined {
  const node = document.yaml.getIn(path, true) as Node | undefined
  if (!isScalar(node) || node.range === undefined || node.range === null || text.includes('\n')) return undefined
  const length = node.range[1] - node.range[0]
  if (node.type === Scalar.PLAIN) return length === text.length ? 0 : undefined
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE)
    return length === text.length + 2 ? 1 : undefined
  return undefined
}

/** The issues of one expression, placed at its text in the document; `what` names it (`where of c`). */
export function expressionIssues(
  document: LoadedDocument,
  path: DocumentPath,
  what: string,
  text: string,
  issues: readonly ExprIssue[],
): Issue[] {
  if (issues.length === 0) return []
  const { line, column } = document.positionOf(path)
  const shift = exactShift(document, path, text)
  return issues.map((i) => ({
    code: i.code,
    message: `In the ${what}: ${i.message}`,
    ...(i.hint === undefined ? {} : { hint: i.hint }),
    file: document.file,
    line,
    column: shift !== undefined && i.span.line === 1 ? column + shift + i.span.offset : column,
    path: [...path],
    excerpt: i.excerpt,
  }))
}

export function isError(issue: Issue): boolean {
  return issue.severity !== 'warning'
}
