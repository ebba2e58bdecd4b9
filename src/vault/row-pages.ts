/**
 * The current rows of a table a page at a time, for the API (GET /api/vault/tables/:table/rows):
 * keyset paging. A page ends with a cursor of its last row's sort value and row id (`_rid`); the
 * next page starts after it with a WHERE on the sort key, so that page 900 costs what page 1 does,
 * where an OFFSET reads and drops every row before it. The order is the sort column with NULLs
 * last (first when descending) on both dialects, then `_rid`, so that equal values page stably;
 * the rows with a value and those without are read by separate statements, so that the index of a
 * key column serves the first.
 * The total (a COUNT over every matching row) is made only when asked.
 */
import { quoteIdentifier as quote } from './driver/dialect.ts'
import type { SqlExecutor, SqlValue } from './driver/sql-driver.ts'
import { vaultError } from './errors.ts'
import { decodeRow } from './row-codec.ts'
import type { Row } from '../core/index.ts'
import type { VaultTable } from './vault-table.ts'

export interface PageRowsOptions {
  /** A SQL condition over the view's columns, with `?` placeholders (from the expression compiler). */
  readonly where?: { readonly sql: string; readonly params: readonly SqlValue[] } | undefined
  /** @default 100 */
  readonly limit?: number | undefined
  /** The `next` cursor of the page before. */
  readonly after?: string | undefined
  /** Rows to skip instead of a cursor: slow on large tables (every skipped row is read). @default 0 */
  readonly offset?: number | undefined
  /** @default the primary key, else the row id */
  readonly orderBy?: string | undefined
  readonly descending?: boolean | undefined
  /** Count every matching row. @default false */
  readonly total?: boolean | undefined
}

export interface RowPage {
  readonly rows: Row[]
  /** The cursor of the next page; undefined on the last one. */
  readonly next: string | undefined
  /** Only when asked for. */
  readonly total: number | undefined
}

type CursorValue = string | number | boolean | null

/** The sort value as the driver gave it, in a form JSON keeps and the database compares again. */
function cursorValue(value: unknown): CursorValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (typeof value === 'bigint') return value.toString()
  // A JSON (list) column, as stored: sorting by one is rare, but its cursor must still round-trip.
  return JSON.stringify(value)
}

function encodeCursor(value: unknown, rid: unknown): string {
  return Buffer.from(JSON.stringify([cursorValue(value), Number(rid)])).toString('base64url')
}

function decodeCursor(cursor: string): { value: CursorValue; rid: number } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (parsed[0] === null || ['string', 'number', 'boolean'].includes(typeof parsed[0])) &&
      Number.isSafeInteger(parsed[1])
    )
      return { value: parsed[0] as CursorValue, rid: parsed[1] as number }
  } catch {
    // answered below, as for any other cursor that is not ours
  }
  throw vaultError('VLT_INVALID_CURSOR', 'The paging cursor `after` is not one this API answered.')
}

/** A part of the page order: the rows with a sort value, or those without (NULL). */
type Segment = 'values' | 'nulls'

/**
 * One segment's rows after the cursor, at most `limit`. Each is one indexable statement: a key
 * column (the primary key, a reference key) has a unique index over the current rows whose values
 * are not NULL (vault-table.ts), and the row id is the table's primary key, so a page reads about
 * `limit` index entries, wherever it starts.
 */
async function segmentRows(
  db: SqlExecutor,
  table: VaultTable,
  q: Query,
  segment: Segment,
  cursor: { value: CursorValue; rid: number } | undefined,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const dir = q.descending ? 'DESC' : 'ASC'
  const beyond = q.descending ? '<' : '>'
  const conditions = [...q.where.conditions]
  const params = [...q.where.params]
  let orderBy = `_rid ${dir}`
  if (q.column !== undefined) {
    const c = quote(q.column)
    conditions.push(`${c} IS ${segment === 'values' ? 'NOT ' : ''}NULL`)
    if (segment === 'values') orderBy = q.unique ? `${c} ${dir}` : `${c} ${dir}, _rid ${dir}`
  }
  if (cursor !== undefined) {
    if (q.column === undefined || segment === 'nulls') {
      conditions.push(`_rid ${beyond} ?`)
      params.push(cursor.rid)
    } else if (q.unique) {
      conditions.push(`${quote(q.column)} ${beyond} ?`)
      params.push(cursor.value)
    } else {
      const c = quote(q.column)
      conditions.push(`(${c} ${beyond} ? OR (${c} = ? AND _rid ${beyond} ?))`)
      params.push(cursor.value, cursor.value, cursor.rid)
    }
  }
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`
  return db.query<Record<string, unknown>>(`SELECT * FROM ${table.view} ${where} ORDER BY ${orderBy} LIMIT ?`, [
    ...params,
    limit,
  ])
}

interface Query {
  readonly column: string | undefined
  /** The column's current values are unique (a key column): it orders alone. */
  readonly unique: boolean
  readonly descending: boolean
  readonly where: { readonly conditions: readonly string[]; readonly params: readonly SqlValue[] }
}

/**
 * The old way, for `offset`: the same order, skipping rows (every one skipped is read). By the
 * primary key (never NULL) or the row id, the index gives the order; by another column, one
 * statement orders the NULLs after the values.
 */
async function offsetRows(
  db: SqlExecutor,
  table: VaultTable,
  q: Query,
  offset: number,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const dir = q.descending ? 'DESC' : 'ASC'
  const conditions = [...q.where.conditions]
  let orderBy = `_rid ${dir}`
  if (q.column !== undefined && q.column === table.primaryKey) {
    // The condition lets the key's partial index (current rows, not NULL) serve the order.
    conditions.push(`${quote(q.column)} IS NOT NULL`)
    orderBy = `${quote(q.column)} ${dir}`
  } else if (q.column !== undefined) {
    const c = quote(q.column)
    orderBy = `(CASE WHEN ${c} IS NULL THEN 1 ELSE 0 END) ${dir}, ${c} ${dir}, _rid ${dir}`
  }
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`
  return db.query<Record<string, unknown>>(
    `SELECT * FROM ${table.view} ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
    [...q.where.params, limit, offset],
  )
}

export async function pageRows(db: SqlExecutor, table: VaultTable, options: PageRowsOptions = {}): Promise<RowPage> {
  const column = options.orderBy ?? table.primaryKey
  if (column !== undefined && !table.columns.some((c) => c.name === column)) {
    throw vaultError('VLT_UNKNOWN_TABLE', `Column ${column} is not in ${table.system}.${table.name}.`, {
      hint: `Columns: ${table.columns.map((c) => c.name).join(', ')}.`,
    })
  }
  const where = options.where
  const query: Query = {
    column,
    unique: column !== undefined && (column === table.primaryKey || table.referenceKeys.includes(column)),
    descending: options.descending === true,
    where:
      where === undefined ? { conditions: [], params: [] } : { conditions: [`(${where.sql})`], params: where.params },
  }
  const limit = options.limit ?? 100
  // One row more than the page: whether there is a next page, without counting.
  let raw: Record<string, unknown>[]
  if (options.after === undefined && (options.offset ?? 0) > 0) {
    raw = await offsetRows(db, table, query, options.offset!, limit + 1)
  } else {
    const cursor = options.after === undefined ? undefined : decodeCursor(options.after)
    // NULLs come last ascending, first descending: the order of the CASE in offsetRows.
    const order: Segment[] =
      column === undefined ? ['values'] : query.descending ? ['nulls', 'values'] : ['values', 'nulls']
    const from =
      cursor === undefined || column === undefined ? 0 : order.indexOf(cursor.value === null ? 'nulls' : 'values')
    raw = []
    for (let i = from; i < order.length && raw.length <= limit; i++)
      raw.push(
        ...(await segmentRows(db, table, query, order[i]!, i === from ? cursor : undefined, limit + 1 - raw.length)),
      )
  }
  const page = raw.slice(0, limit)
  const last = page.at(-1)
  const next =
    raw.length > limit && last !== undefined
      ? encodeCursor(column === undefined ? null : last[column], last['_rid'])
      : undefined
  let total: number | undefined
  if (options.total === true) {
    const counted = await db.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM ${table.view} ${where === undefined ? '' : `WHERE ${where.sql}`}`,
      where?.params ?? [],
    )
    total = Number(counted[0]?.n ?? 0)
  }
  return { rows: page.map((r) => decodeRow(table.columns, r)), next, total }
}
