/**
 * Reads one table from its CSV file as pages of typed rows: bytes → text (decode-stream) → records
 * (csv-records) → rows (column-plan + parse-value). Nothing holds more than one chunk and one page.
 *
 * Problems in the data (ragged rows, bad quotes, invalid values) are collected and reported together
 * in one error: up to 20 with their positions; once 20 are kept, the rest of that chunk is only
 * counted and reading stops, so a systemic problem (a wrong date format on every row) neither
 * reads a huge file to the end nor hides how widespread it is. From the first problem on no more
 * pages are yielded: the collection fails anyway.
 */
import type { ReadPage } from '../contract.ts'
import { coreError, type Row, qualifiedName, type TableSchema } from '../../core/index.ts'
import { type ColumnPlan, planByPosition, planFromHeader } from './column-plan.ts'
import { csvError } from './csv-errors.ts'
import { readRecords, type RecordBatch } from './csv-records.ts'
import type { CsvFileSettings } from './csv-settings.ts'
import { decodeFile } from './decode-stream.ts'
import { IssueCollector } from './issue-collector.ts'

/** Rows per page. */
export const DEFAULT_PAGE_SIZE = 5000

/** Internal knobs, for tests that need chunk boundaries in odd places; production uses the defaults. */
export interface CsvReadTuning {
  /** @default 1 MiB */
  readonly chunkSize?: number | undefined
  /** @default 5000 */
  readonly pageSize?: number | undefined
  /** @default 64 KiB */
  readonly sniffChars?: number | undefined
  /** @default 4 MiB */
  readonly maxRecordChars?: number | undefined
  /** @default 20 */
  readonly maxIssues?: number | undefined
}

/** What {@link readCsvFile} reads. */
export interface CsvReadOptions extends CsvReadTuning {
  readonly settings: CsvFileSettings
  readonly table: TableSchema
  readonly signal?: AbortSignal | undefined
}

/** Reads the records of `settings`' file; the header line, if any, is the first record. */
export function readFileRecords(settings: CsvFileSettings, tuning: CsvReadTuning = {}): AsyncGenerator<RecordBatch> {
  const text = decodeFile(settings.path, {
    encoding: settings.encoding,
    displayPath: settings.displayPath,
    chunkSize: tuning.chunkSize,
  })
  return readRecords(text, {
    delimiter: settings.delimiter,
    quote: settings.quote,
    displayPath: settings.displayPath,
    sniffChars: tuning.sniffChars,
    maxRecordChars: tuning.maxRecordChars,
  })
}

function throwIfAborted(signal: AbortSignal | undefined, settings: CsvFileSettings): void {
  if (signal?.aborted === true) throw coreError('CORE_ABORTED', `Reading ${settings.displayPath} was cancelled.`)
}

/**
 * Reads `options.table` from its file as pages of about 5,000 rows, keyed by column name, each row
 * with the line it starts on.
 *
 * @example
 * for await (const page of readCsvFile({ settings, table })) await writer.write(page.rows)
 */
export async function* readCsvFile(options: CsvReadOptions): AsyncGenerator<ReadPage, void, undefined> {
  const { settings, table, signal } = options
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE
  const issues = new IssueCollector(options.maxIssues)
  let plan: ColumnPlan | undefined
  let rows: Row[] = []
  let lines: number[] = []
  let stoppedAtLine: number | undefined
  try {
    let lastLine = 0
    for await (const batch of readFileRecords(settings, options)) {
      // Stop only when more of the file follows, so that a count after the last chunk stays exact.
      if (issues.isFull) {
        stoppedAtLine = lastLine
        break
      }
      lastLine = batch.lines.at(-1) ?? lastLine
      throwIfAborted(signal, settings)
      issues.addAll(batch.problems)
      let first = 0
      if (plan === undefined) {
        plan = planFor(batch, options)
        if (plan === undefined) continue
        if (settings.header) first = 1
      }
      for (let i = first; i < batch.records.length; i++) {
        const row = toRow(batch, i, plan, settings, issues)
        if (row === undefined || issues.count > 0) continue
        rows.push(row)
        lines.push(batch.lines[i] ?? 0)
        if (rows.length >= pageSize) {
          throwIfAborted(signal, settings)
          yield { rows, lines, source: settings.fileName }
          rows = []
          lines = []
        }
      }
    }
  } catch (error) {
    throw issues.merge(error)
  }
  if (plan === undefined && settings.header) throw emptyFileError(settings)
  if (issues.count > 0) throw issues.toError(settings.displayPath, qualifiedName(table), stoppedAtLine)
  if (rows.length > 0) {
    throwIfAborted(signal, settings)
    yield { rows, lines, source: settings.fileName }
  }
}

function planFor(batch: RecordBatch, options: CsvReadOptions): ColumnPlan | undefined {
  const first = batch.records[0]
  if (first === undefined) return undefined
  const at = { displayPath: options.settings.displayPath, line: batch.lines[0] ?? 1 }
  return options.settings.header
    ? planFromHeader(options.table, first, at)
    : planByPosition(options.table, first.length, at)
}

function emptyFileError(settings: CsvFileSettings) {
  return csvError('CON_CSV_EMPTY_FILE', `${settings.displayPath} is empty; a header line was expected.`, {
    issues: [
      { code: 'CON_CSV_EMPTY_FILE', message: 'The file has no header line.', file: settings.displayPath, line: 1 },
    ],
  })
}

/** One record as a row, or undefined when it has a problem (recorded in `issues`). */
function toRow(
  batch: RecordBatch,
  i: number,
  plan: ColumnPlan,
  settings: CsvFileSettings,
  issues: IssueCollector,
): Row | undefined {
  const fields = batch.records[i] ?? []
  const line = batch.lines[i] ?? 0
  if (fields.length !== plan.expectedFields) {
    issues.add(() => ({
      code: 'CON_CSV_RAGGED_ROW',
      message: `This line has ${fields.length} fields, the ${plan.expectedFrom} has ${plan.expectedFields}.`,
      hint: 'Quote values that contain the delimiter, or check that the right delimiter is configured.',
      file: settings.displayPath,
      line,
      value: fields.join(batch.dialect.delimiter),
    }))
    return undefined
  }
  const row: Row = {}
  let isValid = true
  for (const { column, index, parser } of plan.columns) {
    const raw = fields[index] ?? ''
    const value = parser.parse(raw)
    if (value !== undefined) {
      row[column.name] = value
      continue
    }
    isValid = false
    issues.add(() => ({
      code: 'CON_CSV_INVALID_VALUE',
      message: `Column ${column.name} (${column.type}) expects ${parser.expected}; got ${JSON.stringify(raw)}.`,
      hint: parser.hint,
      file: settings.displayPath,
      ...batch.locate(line, index),
      path: [column.name],
      value: raw,
    }))
  }
  return isValid ? row : undefined
}
