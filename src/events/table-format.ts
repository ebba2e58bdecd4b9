/**
 * Rows as a mail shows them: an aligned plain-text table for the text part, an HTML <table> with
 * every cell escaped for the html part. Used by `{% filter_table %}` and `{% plan_report %}`.
 */
import type { Value } from '../core/index.ts'
import type { TemplateFormat } from '../config/index.ts'

export type Cell = Value | undefined

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)
}

/** A value as one line of text: lists joined with `, `, null empty, line breaks as spaces. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return ''
  const text = Array.isArray(value) ? value.join(', ') : String(value)
  return text.replace(/\s*[\r\n]+\s*/g, ' ')
}

/** Columns padded to their widest cell, a dashed line under the header; no trailing spaces. */
function textTable(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i])))
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)))
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

function htmlTable(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')
  const body = rows.map(
    (row) => `<tr>${columns.map((_, i) => `<td>${escapeHtml(cellText(row[i]))}</td>`).join('')}</tr>`,
  )
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}${body.length > 0 ? '\n' : ''}</tbody>\n</table>`
}

/**
 * A table in `format`. `more` rows that were left out are announced under it ("… and 12 more
 * rows"); an empty table says "(no rows)".
 */
export function formatTable(
  columns: readonly string[],
  rows: readonly (readonly Cell[])[],
  format: TemplateFormat,
  more = 0,
): string {
  const notes = [
    ...(rows.length === 0 ? ['(no rows)'] : []),
    ...(more > 0 ? [`… and ${more} more row${more === 1 ? '' : 's'}`] : []),
  ]
  if (format === 'text') return [textTable(columns, rows), ...notes].join('\n')
  return [htmlTable(columns, rows), ...notes.map((n) => `<p>${escapeHtml(n)}</p>`)].join('\n')
}
