/**
 * Renders errors and issues for people (the CLI). The API returns the same objects as data
 * (`error.toJSON()`); this is the single place that turns them into text.
 */
import type { Issue } from './provisio-error.ts'
import type { ProvisioError } from './provisio-error.ts'
import { toProvisioError } from './to-provisio-error.ts'

export function formatPath(path: readonly (string | number)[] | undefined): string {
  if (path === undefined || path.length === 0) return ''
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

export function formatLocation(issue: Pick<Issue, 'file' | 'line' | 'column'>): string {
  if (issue.file === undefined) return ''
  if (issue.line === undefined) return issue.file
  return issue.column === undefined ? `${issue.file}:${issue.line}` : `${issue.file}:${issue.line}:${issue.column}`
}

function formatValue(value: unknown): string {
  if (value === undefined) return ''
  const text = JSON.stringify(value) ?? typeof value
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** One issue as three short lines: `file:line:col  message [code]`, the path and value, the hint. */
export function renderIssue(issue: Issue): string {
  const location = formatLocation(issue)
  const severity = issue.severity === 'warning' ? 'warning' : 'error'
  const lines = [`${location === '' ? '' : `${location}  `}${severity}: ${issue.message} [${issue.code}]`]
  const path = formatPath(issue.path)
  const where = [
    path === '' ? '' : `at ${path}`,
    issue.value === undefined ? '' : `value ${formatValue(issue.value)}`,
  ].filter((s) => s !== '')
  if (where.length > 0) lines.push(`    ${where.join(', ')}`)
  if (issue.excerpt !== undefined) lines.push(...issue.excerpt.split('\n').map((l) => `    ${l}`))
  if (issue.hint !== undefined) lines.push(`    hint: ${issue.hint}`)
  return lines.join('\n')
}

/** An error with its issues and hint, as the CLI prints it. Stack traces only when `debug` is set. */
export function renderError(error: unknown, options: { debug?: boolean } = {}): string {
  const e: ProvisioError = toProvisioError(error)
  const lines = [`error: ${e.message} [${e.code}]`]
  for (const issue of e.issues) lines.push(renderIssue(issue))
  if (e.hint !== undefined) lines.push(`hint: ${e.hint}`)
  if (options.debug === true) {
    lines.push(e.stack ?? '')
    if (e.cause instanceof Error) lines.push(`caused by: ${e.cause.stack ?? e.cause.message}`)
  }
  return lines.join('\n')
}
