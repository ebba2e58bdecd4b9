/**
 * Source positions and the one place that renders an excerpt of the source with a caret line under
 * the problem. Columns count Unicode code points, 1-based, like most editors' status bars.
 */
import type { Issue, ProvisioError } from '../core/index.ts'
import { type ExprErrorCode, exprError } from './errors.ts'

/** Where a node or token sits in the expression text. */
export interface Span {
  /** 0-based offset in UTF-16 code units (string index). */
  readonly offset: number
  /** Length in UTF-16 code units; 0 for "at the end of the input". */
  readonly length: number
  /** 1-based line. */
  readonly line: number
  /** 1-based column, counted in code points. */
  readonly column: number
}

/** An issue about an expression: core's {@link Issue} plus the span and the rendered excerpt. */
export interface ExprIssue extends Issue {
  readonly code: ExprErrorCode
  readonly line: number
  readonly column: number
  readonly span: Span
  /** The source line and a caret line under the problem, from {@link renderSourceExcerpt}. */
  readonly excerpt: string
}

/** Computes the span of `length` code units at `offset` of `source`. */
export function spanAt(source: string, offset: number, length: number): Span {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    if (source.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  const column = [...source.slice(lineStart, offset)].length + 1
  return { offset, length, line, column }
}

/** The span from the start of `a` to the end of `b`. */
export function joinSpans(source: string, a: Span, b: Span): Span {
  return spanAt(source, a.offset, b.offset + b.length - a.offset)
}

/** Terminal columns a character takes: 0 for combining marks, 2 for wide (CJK, emoji), else 1. */
function displayWidth(char: string): number {
  const cp = char.codePointAt(0)!
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  return wide ? 2 : 1
}

/**
 * The line of `source` that holds `span`, and under it a line of carets (`^`) under the spanned
 * characters, at least one, stopping at the end of the line. Tabs before the problem are repeated
 * and wide characters (CJK, emoji) count twice, so the carets line up in a terminal.
 *
 * @example
 * renderSourceExcerpt("lower(emial) = 'x'", spanAt("lower(emial) = 'x'", 6, 5))
 * // "lower(emial) = 'x'\n      ^^^^^"
 */
export function renderSourceExcerpt(source: string, span: Span): string {
  const lineStart = source.lastIndexOf('\n', span.offset - 1) + 1
  const newline = source.indexOf('\n', lineStart)
  const lineEnd = newline === -1 ? source.length : newline
  const text = source.slice(lineStart, lineEnd).replace(/\r$/, '')
  const before = [...source.slice(lineStart, Math.min(span.offset, lineEnd))]
  const pad = before.map((c) => (c === '\t' ? '\t' : ' '.repeat(displayWidth(c)))).join('')
  const spanned = [...source.slice(span.offset, Math.min(span.offset + span.length, lineEnd))].reduce(
    (n, c) => n + displayWidth(c),
    0,
  )
  return `${text}\n${pad}${'^'.repeat(Math.max(1, spanned))}`
}

/** Builds an {@link ExprIssue} for `span` of `source`. */
export function exprIssue(code: ExprErrorCode, message: string, source: string, span: Span, hint?: string): ExprIssue {
  return {
    code,
    message,
    ...(hint === undefined ? {} : { hint }),
    line: span.line,
    column: span.column,
    span,
    excerpt: renderSourceExcerpt(source, span),
  }
}

/** The error thrown for one or more issues: its message is the first issue's, all issues are attached. */
export function issuesError(issues: readonly ExprIssue[]): ProvisioError {
  const first = issues[0]
  if (first === undefined) throw new Error('issuesError needs at least one issue')
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : ''
  return exprError(first.code, `${first.message}${more}`, {
    issues,
    ...(first.hint === undefined ? {} : { hint: first.hint }),
  })
}
