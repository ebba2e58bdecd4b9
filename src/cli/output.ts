/**
 * How the CLI prints: aligned tables and short summaries for people, one JSON document on stdout
 * with `--json` for scripts, and nothing but errors with `--quiet`.
 */
import { renderError, toProvisioError } from '../core/index.ts'

export interface OutputOptions {
  readonly json: boolean
  readonly quiet: boolean
}

export class Output {
  constructor(
    readonly options: OutputOptions,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** A line for people; suppressed with --json and --quiet. */
  line(text = ''): void {
    if (!this.options.json && !this.options.quiet) this.stdout.write(`${text}\n`)
  }

  /** The command's data: JSON with --json, else the text `render` makes of it. */
  result<T>(data: T, render: (data: T) => string): void {
    if (this.options.json) this.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
    else if (!this.options.quiet) {
      const text = render(data)
      if (text !== '') this.stdout.write(`${text}\n`)
    }
  }

  /** A progress or warning note on stderr (never mixed into JSON on stdout). */
  note(text: string): void {
    if (!this.options.quiet) this.stderr.write(`${text}\n`)
  }

  error(error: unknown): void {
    const e = toProvisioError(error)
    if (this.options.json) this.stdout.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`)
    else this.stderr.write(`${renderError(e, { debug: process.env['PROVISIO_DEBUG'] === '1' })}\n`)
  }
}

export type Align = 'left' | 'right'

function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(value)
}

/** A plain text table: a header row, then rows, columns padded; numbers right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  align: readonly Align[] = [],
  maxWidth = 60,
): string {
  const cells = rows.map((row) => row.map(cellText))
  const widths = headers.map((h, i) => Math.min(maxWidth, Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length))))
  const fit = (text: string, i: number) => {
    const width = widths[i]!
    const clipped = text.length > width ? `${text.slice(0, width - 1)}…` : text
    return (align[i] ?? 'left') === 'right' ? clipped.padStart(width) : clipped.padEnd(width)
  }
  const lines = [
    headers.map(fit).join('  '),
    ...cells.map((r) => headers.map((_h, i) => fit(r[i] ?? '', i)).join('  ')),
  ]
  return lines.map((l) => l.trimEnd()).join('\n')
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}
