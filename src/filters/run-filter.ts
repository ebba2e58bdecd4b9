/**
 * Running a compiled filter in the vault: one statement, streamed in pages, values decoded to the
 * data model's shapes (dates 'YYYY-MM-DD', booleans, string[] from JSON), after checking that every
 * table it reads has been collected with the columns it reads.
 */
import type { Row } from '../core/index.ts'
import { decodeSqlValue } from '../expr/index.ts'
import { findVaultTable, type SqlExecutor } from '../vault/index.ts'
import type { CompiledFilter, FilterColumn } from './compile-filter.ts'
import { filterError } from './errors.ts'
import type { TableRead } from './filter-compiler.ts'

export interface RunFilterOptions {
  /** Return at most this many rows. @default every row */
  readonly limit?: number | undefined
  /** Skip this many rows first (for paging; needs `limit`). @default 0 */
  readonly offset?: number | undefined
  /** Rows per page the iterator yields. @default 1000 */
  readonly pageSize?: number | undefined
}

/**
 * Throws FLT_NOT_COLLECTED when a table was never collected, or was collected before a column the
 * statement reads was declared (the vault adds it at the next collection).
 */
export async function ensureCollected(db: SqlExecutor, tables: readonly TableRead[], what: string): Promise<void> {
  for (const t of tables) {
    const stored = await findVaultTable(db, t.system, t.table)
    const hint = `Run \`provisio collect ${t.system}\`, then try again.`
    if (stored === undefined) {
      throw filterError('FLT_NOT_COLLECTED', `${what} reads ${t.system}.${t.table}, which has never been collected.`, {
        hint,
        details: { system: t.system, table: t.table },
      })
    }
    const known = new Set(stored.stored.columns.map((c) => c.name))
    const missing = t.columns.filter((c) => !known.has(c))
    if (missing.length > 0) {
      throw filterError(
        'FLT_NOT_COLLECTED',
        `${t.system}.${t.table} was collected before its column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'were' : 'was'} declared.`,
        { hint, details: { system: t.system, table: t.table, columns: missing } },
      )
    }
  }
}

function checkDialect(db: SqlExecutor, compiled: CompiledFilter): void {
  if (db.dialect.name !== compiled.dialect)
    throw new Error(`Filter ${compiled.filter} was compiled for ${compiled.dialect}, not ${db.dialect.name}`)
}

/** Decodes one result row (an array in select order) into a row keyed by the result column names. */
export function decodeFilterRow(columns: readonly FilterColumn[], values: readonly unknown[]): Row {
  const row: Row = {}
  columns.forEach((c, i) => (row[c.name] = decodeSqlValue(values[i], c.type)))
  return row
}

/**
 * Streams the rows of a compiled filter in pages, in a stable order (the start table's row ids, then
 * those of the attached joins).
 *
 * @example
 * for await (const page of runFilter(db, compileFilter(filter, context, db.dialect.name), { limit: 50 }))
 *   for (const row of page) console.log(row['e.employee_id'])
 */
export async function* runFilter(
  db: SqlExecutor,
  compiled: CompiledFilter,
  options: RunFilterOptions = {},
): AsyncGenerator<Row[]> {
  checkDialect(db, compiled)
  const { limit, offset = 0 } = options
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0))
    throw new RangeError(`limit must be a whole number of at least 0, got ${limit}`)
  if (!(Number.isSafeInteger(offset) && offset >= 0))
    throw new RangeError(`offset must be a whole number of at least 0, got ${offset}`)
  if (offset > 0 && limit === undefined) throw new RangeError('offset needs a limit')
  await ensureCollected(db, compiled.tables, `Filter ${compiled.filter}`)
  // The compiled statement is ordered (by the rows' ids), so pages with an offset are stable.
  const sql =
    limit === undefined ? compiled.sql : offset > 0 ? `${compiled.sql}\nLIMIT ? OFFSET ?` : `${compiled.sql}\nLIMIT ?`
  const params =
    limit === undefined
      ? compiled.params
      : offset > 0
        ? [...compiled.params, limit, offset]
        : [...compiled.params, limit]
  for await (const page of db.streamArrays(sql, params, options.pageSize ?? 1000)) {
    yield page.map((values) => decodeFilterRow(compiled.columns, values))
  }
}

/** The number of rows the filter gives. */
export async function countFilter(db: SqlExecutor, compiled: CompiledFilter): Promise<number> {
  checkDialect(db, compiled)
  await ensureCollected(db, compiled.tables, `Filter ${compiled.filter}`)
  const rows = await db.query<{ n: unknown }>(compiled.count.sql, compiled.count.params)
  return Number(rows[0]?.n ?? 0)
}
