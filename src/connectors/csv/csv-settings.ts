/**
 * Resolves the effective settings of one file: the system's config, overridden by the table's
 * options, with paths made absolute. Everything downstream works with {@link CsvFileSettings}.
 */
import path from 'node:path'
import type { TableSchema } from '../../core/index.ts'
import { csvError } from './csv-errors.ts'
import {
  type CsvConfig,
  type CsvEncoding,
  type CsvTableOptions,
  csvTableOptionsSchema,
  normaliseDelimiter,
} from './csv-schema.ts'

/** How to read one CSV file. */
export interface CsvFileSettings {
  /** Absolute path of the file. */
  readonly path: string
  /** The path relative to the project folder, for messages and issues. */
  readonly displayPath: string
  /** The file name as configured (`employees.csv`), the `source` of read pages. */
  readonly fileName: string
  readonly encoding: CsvEncoding
  /** `'auto'` or one character. */
  readonly delimiter: string
  readonly quote: string
  readonly header: boolean
}

/** The system's folder as an absolute path. */
export function resolveFolder(config: CsvConfig, projectDir: string): string {
  return path.resolve(projectDir, config.folder)
}

/** `files/hr500/employees.csv`, or the absolute path when the file lies outside the project. */
export function displayPath(absolute: string, projectDir: string): string {
  const relative = path.relative(projectDir, absolute)
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative
}

/** Validates a table's `options:` (they reach the connector as plain data) and throws with every problem. */
export function parseTableOptions(table: Pick<TableSchema, 'system' | 'name' | 'options'>): CsvTableOptions {
  const parsed = csvTableOptionsSchema.safeParse(table.options)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((issue) => ({
    code: 'CON_CSV_INVALID_OPTIONS',
    message: issue.message,
    path: ['tables', table.name, 'options', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
  }))
  const summary = issues.map((i) => i.message).join('; ')
  throw csvError(
    'CON_CSV_INVALID_OPTIONS',
    `The options of table ${table.system}.${table.name} are not valid: ${summary}`,
    {
      issues,
    },
  )
}

/** Settings for one file of the system's folder: the system's config overridden by `options`. */
export function resolveFileSettings(
  config: CsvConfig,
  options: CsvTableOptions,
  fileName: string,
  projectDir: string,
): CsvFileSettings {
  const absolute = path.resolve(resolveFolder(config, projectDir), fileName)
  const delimiter = normaliseDelimiter(options.delimiter ?? config.delimiter)
  const quote = options.quote ?? config.quote
  if (delimiter === quote) {
    throw csvError('CON_CSV_INVALID_OPTIONS', `The delimiter and the quote of ${fileName} are both '${quote}'.`, {
      hint: 'Choose a quote character that differs from the delimiter.',
    })
  }
  return {
    path: absolute,
    displayPath: displayPath(absolute, projectDir),
    fileName,
    encoding: options.encoding ?? config.encoding,
    delimiter,
    quote,
    header: options.header ?? config.header,
  }
}

/** The file a table reads: `options.file`, or the table's name + `.csv`. */
export function tableFileName(table: Pick<TableSchema, 'name'>, options: CsvTableOptions): string {
  return options.file ?? `${table.name}.csv`
}
