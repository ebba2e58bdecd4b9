/**
 * Matches a table's declared columns to the fields of a file, once, from the header line (or, with
 * `header: false`, by position), and compiles each column's value parser.
 */
import { type ColumnSchema, didYouMean, type Issue, isProvisioError, type TableSchema } from '../../core/index.ts'
import { csvError } from './csv-errors.ts'
import { createValueParser, type ValueParser } from './parse-value.ts'

/** A declared column and the field it is read from. */
export interface PlannedColumn {
  readonly column: ColumnSchema
  /** 0-based field index in each record. */
  readonly index: number
  readonly parser: ValueParser
}

/** How records of one file become rows. */
export interface ColumnPlan {
  readonly columns: readonly PlannedColumn[]
  /** Every record must have this many fields (the header's, or the first record's). */
  readonly expectedFields: number
  /** What `expectedFields` was taken from, for messages. */
  readonly expectedFrom: 'header line' | 'first line'
}

/** Where the header sits, for issues. */
export interface HeaderContext {
  readonly displayPath: string
  readonly line: number
}

const normalise = (name: string) => name.trim().toLowerCase()

/** Header indexes for `source`: exact matches first, else case-insensitive and trimmed. */
function findInHeader(header: readonly string[], source: string): number[] {
  const exact = header.flatMap((name, i) => (name === source ? [i] : []))
  if (exact.length > 0) return exact
  const wanted = normalise(source)
  return header.flatMap((name, i) => (normalise(name) === wanted ? [i] : []))
}

function headerList(header: readonly string[]): string {
  const shown = header.slice(0, 30).map((h) => `'${h}'`)
  return `${shown.join(', ')}${header.length > shown.length ? `, … (${header.length} in all)` : ''}`
}

function missingColumnIssue(column: ColumnSchema, header: readonly string[], at: HeaderContext): Issue {
  const suggestion = didYouMean(column.source, header)
  return {
    code: 'CON_CSV_MISSING_COLUMN',
    message: `Column ${column.name} reads '${column.source}', which is not in the header line.`,
    hint: `${suggestion === '' ? '' : `${suggestion} `}The header line has ${headerList(header)}. Set \`source:\` on the column to one of them.`,
    file: at.displayPath,
    line: at.line,
    path: [column.name],
    value: column.source,
  }
}

function duplicateHeaderIssue(
  column: ColumnSchema,
  header: readonly string[],
  indexes: number[],
  at: HeaderContext,
): Issue {
  const names = indexes.map((i) => `'${header[i] ?? ''}' (field ${i + 1})`).join(', ')
  return {
    code: 'CON_CSV_DUPLICATE_HEADER',
    message: `Column ${column.name} reads '${column.source}', which the header line has more than once: ${names}.`,
    hint: 'Rename the duplicates in the export so that each header name is unique.',
    file: at.displayPath,
    line: at.line,
    path: [column.name],
    value: column.source,
  }
}

function compileParser(column: ColumnSchema, table: TableSchema): ValueParser {
  try {
    return createValueParser(column)
  } catch (error) {
    if (!isProvisioError(error)) throw error
    throw csvError('CON_CSV_INVALID_FORMAT', `Column ${table.system}.${table.name}.${column.name}: ${error.message}`, {
      issues: [
        { code: error.code, message: error.message, path: ['tables', table.name, 'columns', column.name, 'format'] },
      ],
    })
  }
}

/** The plan for a file with a header line; throws CON_CSV_MISSING_COLUMN / CON_CSV_DUPLICATE_HEADER. */
export function planFromHeader(table: TableSchema, header: readonly string[], at: HeaderContext): ColumnPlan {
  const issues: Issue[] = []
  const columns: PlannedColumn[] = []
  for (const column of table.columns) {
    const indexes = findInHeader(header, column.source)
    const [index] = indexes
    if (index === undefined) issues.push(missingColumnIssue(column, header, at))
    else if (indexes.length > 1) issues.push(duplicateHeaderIssue(column, header, indexes, at))
    else columns.push({ column, index, parser: compileParser(column, table) })
  }
  const [first] = issues
  if (first !== undefined) {
    const code = first.code === 'CON_CSV_MISSING_COLUMN' ? 'CON_CSV_MISSING_COLUMN' : 'CON_CSV_DUPLICATE_HEADER'
    const message =
      issues.length === 1
        ? `${at.displayPath} line ${at.line}: ${first.message}`
        : `${at.displayPath} line ${at.line}: the header line does not fit table ${table.system}.${table.name} (${issues.length} problems).`
    throw csvError(code, message, { hint: first.hint, issues })
  }
  return { columns, expectedFields: header.length, expectedFrom: 'header line' }
}

/** The plan for a file without a header line: declared columns in order; throws when the file has fewer fields. */
export function planByPosition(table: TableSchema, fieldCount: number, at: HeaderContext): ColumnPlan {
  if (fieldCount < table.columns.length) {
    const missing = table.columns.slice(fieldCount).map((c) => c.name)
    const message = `${at.displayPath} line ${at.line} has ${fieldCount} fields, but table ${table.system}.${table.name} declares ${table.columns.length} columns; ${missing.join(', ')} have no field.`
    throw csvError('CON_CSV_MISSING_COLUMN', message, {
      hint: 'With `header: false` the columns are read in declared order; declare only as many columns as the file has fields, or check the delimiter.',
      issues: missing.map((name) => ({
        code: 'CON_CSV_MISSING_COLUMN',
        message: `Column ${name} has no field.`,
        file: at.displayPath,
        line: at.line,
        path: [name],
      })),
    })
  }
  const columns = table.columns.map((column, index) => ({ column, index, parser: compileParser(column, table) }))
  return { columns, expectedFields: fieldCount, expectedFrom: 'first line' }
}
