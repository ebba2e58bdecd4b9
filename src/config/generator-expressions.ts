/**
 * The config-layer checks of the expressions in name and password generators. Their full type check
 * needs the filter's output columns, which the filters layer computes, so the engine does it
 * (checkGeneratorExpressions). Here an expression is parsed, syntax errors are positioned in the
 * YAML, and the names it reads are listed, so that a reference to a later or unknown
 * `generated.<name>`, or a counter pattern without `:n`, is reported without a filter.
 */
import { isProvisioError } from '../core/index.ts'
import { type Expr, parseExpression, renderSourceExcerpt, type Span } from '../expr/index.ts'
import type { ConfigErrorCode } from './errors.ts'
import { checkDocumentExpression } from './filter-expressions.ts'
import type { Findings } from './filter-references.ts'
import { issueAt } from './issues.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** The alias under which expressions read the values generated for the same row. */
export const GENERATED_ALIAS = 'generated'

/** A column or parameter an expression reads, with where it sits in the expression. */
export interface ExpressionName {
  readonly kind: 'Column' | 'Parameter'
  /** The alias of an `alias.column`; undefined for a bare column and for parameters. */
  readonly alias: string | undefined
  /** The column's or the parameter's name. */
  readonly name: string
  readonly span: Span
}

const NO_SCOPE = { aliases: {} }

/**
 * Parses the expression `text` at `path`; reports its syntax errors (positioned in the file) and
 * returns undefined when it does not parse.
 */
export function parseDocumentExpression(findings: Findings, path: DocumentPath, text: string): Expr | undefined {
  try {
    return parseExpression(text)
  } catch (error) {
    if (!isProvisioError(error)) throw error
    // With a syntax error, checking against any scope yields exactly the parse issues, positioned.
    findings.add(...checkDocumentExpression(findings.document, path, text, NO_SCOPE).issues)
    return undefined
  }
}

/**
 * Every column and parameter `expr` reads, in source order. The AST is made of frozen plain objects
 * (a `kind` and fields per node kind), so a walk over their values finds every node without
 * depending on the list of node kinds.
 */
export function expressionNames(expr: Expr): ExpressionName[] {
  const found: ExpressionName[] = []
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item)
      return
    }
    if (value === null || typeof value !== 'object') return
    const node = value as { kind?: unknown; alias?: unknown; column?: unknown; name?: unknown; span?: Span }
    if (node.kind === 'Column' && typeof node.column === 'string' && node.span !== undefined) {
      found.push({
        kind: 'Column',
        alias: typeof node.alias === 'string' ? node.alias : undefined,
        name: node.column,
        span: node.span,
      })
      return
    }
    if (node.kind === 'Parameter' && typeof node.name === 'string' && node.span !== undefined) {
      found.push({ kind: 'Parameter', alias: undefined, name: node.name, span: node.span })
      return
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'span' && key !== 'nameSpan') walk(child)
  }
  walk(expr)
  return found.sort((a, b) => a.span.offset - b.span.offset)
}

/**
 * An issue about a part of the expression `text` at `path`: positioned at the YAML value, with the
 * expression's line under it and a caret under the part.
 */
export function expressionIssue(
  findings: Findings,
  code: ConfigErrorCode,
  message: string,
  path: DocumentPath,
  text: string,
  span: Span,
  hint: string,
): void {
  findings.add({
    ...issueAt(findings.document, code, message, path, { hint, value: text }),
    excerpt: renderSourceExcerpt(text, span),
  })
}
