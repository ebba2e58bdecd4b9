/**
 * The target's current rows, as the planner and the drift check need them: by the values of one
 * column (the function's key column), in batches of IN lists with every value bound, decoded to
 * data-model values like queryRows does, with the row's fingerprint (`_hash`).
 */
import type { Row } from '../../core/index.ts'
import { quoteIdentifier as q } from '../driver/dialect.ts'
import type { SqlExecutor, SqlValue } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import { decodeRow } from '../row-codec.ts'
import { type VaultTable, findVaultTable } from '../vault-table.ts'
import { lowerColumnSql } from './case-fold.ts'
import { coerceToColumn, matchText } from './column-values.ts'
import { chunks, placeholders } from './stored-json.ts'

/** A key value as callers pass it: one scalar. */
export type LookupValue = string | number | boolean

/** A current row of a target table. */
export interface TargetRow {
  readonly row: Row
  /** The row's fingerprint, as `StoredOperation.targetHash` keeps it for the drift check. */
  readonly hash: string
}

export interface LookupOptions {
  /**
   * Match regardless of case (for caseInsensitive key columns such as sAMAccountName); when two
   * current rows differ only in case, the one that matches exactly wins. @default false
   */
  readonly caseInsensitive?: boolean | undefined
}

/**
 * The stored table a write goes to; throws VLT_NOT_COLLECTED when the table was never collected
 * (the vault then has nowhere to write back to, and updates have nothing to compare with).
 */
export async function requireTargetTable(db: SqlExecutor, system: string, table: string): Promise<VaultTable> {
  const found = await findVaultTable(db, system, table)
  if (found !== undefined) return found
  throw vaultError(
    'VLT_NOT_COLLECTED',
    `The vault holds no table ${system}.${table}: it has never been collected, so nothing can be written back to it.`,
    {
      hint: `Run \`provisio collect ${system}\` first (an empty table is fine), then evaluate again.`,
      details: { system, table },
    },
  )
}

function requireColumn(table: VaultTable, column: string): VaultTable['columns'][number] {
  const found = table.columns.find((c) => c.name === column)
  if (found !== undefined) return found
  throw vaultError('VLT_UNKNOWN_TABLE', `Column ${column} is not in ${table.system}.${table.name}.`, {
    hint: `Columns: ${table.columns.map((c) => c.name).join(', ')}.`,
  })
}

/**
 * Reads the current rows whose `column` is one of `values` and hands each to `found` with the
 * caller's values it matches. Exact lookups use the key column's index (500 values a query); a
 * case-insensitive one folds every current value (case-fold.ts), reading the table once per 5,000
 * values.
 */
async function eachMatch(
  db: SqlExecutor,
  table: VaultTable,
  column: string,
  values: readonly LookupValue[],
  select: string,
  caseInsensitive: boolean,
  found: (raw: Record<string, unknown>, asked: LookupValue, exact: boolean) => void,
): Promise<void> {
  const type = requireColumn(table, column).type
  // Only text has a case; other columns match exactly (the configuration allows it on text only).
  const ci = caseInsensitive && type === 'string'
  const wanted = new Map<string, LookupValue[]>()
  const bound: SqlValue[] = []
  for (const value of values) {
    const coerced = coerceToColumn(value, type === 'string[]' ? 'string' : type)
    if ('problem' in coerced || coerced.value === null) continue // cannot match a stored value
    const text = matchText(coerced.value, ci)
    const same = wanted.get(text)
    if (same !== undefined) same.push(value)
    else {
      wanted.set(text, [value])
      // Folded here, in JS, by the same mapping as the column's SQL side (case-fold.ts).
      bound.push(ci ? text : (coerced.value as SqlValue))
    }
  }
  const compared = ci ? lowerColumnSql(db.dialect.name, q(column)) : q(column)
  for (const chunk of chunks(bound, ci ? 5000 : 500)) {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT ${select} FROM ${table.versions} WHERE _to IS NULL AND ${compared} IN (${placeholders(chunk.length)})`,
      chunk,
    )
    for (const raw of rows) {
      const value = decodeRow([{ name: column, type }], raw)[column]!
      const exactText = matchText(value, false)
      for (const asked of wanted.get(matchText(value, ci)) ?? []) {
        found(raw, asked, !ci || matchText(asked, false) === exactText)
      }
    }
  }
}

/** Keeps an exact-case match over a case-insensitive one when two rows answer the same value. */
function keepBest<T>(
  map: Map<LookupValue, T>,
  exactness: Map<LookupValue, boolean>,
  asked: LookupValue,
  item: T,
  exact: boolean,
) {
  if (map.has(asked) && (exactness.get(asked) === true || !exact)) return
  map.set(asked, item)
  exactness.set(asked, exact)
}

/**
 * The current rows of `system.table` whose `column` holds one of `values`, by the value asked
 * (the same value, as passed, is the map's key). Values no row holds are absent from the map.
 */
export async function lookupCurrentRows(
  db: SqlExecutor,
  system: string,
  table: string,
  column: string,
  values: readonly LookupValue[],
  options: LookupOptions = {},
): Promise<Map<LookupValue, TargetRow>> {
  const stored = await requireTargetTable(db, system, table)
  const result = new Map<LookupValue, TargetRow>()
  const exactness = new Map<LookupValue, boolean>()
  const select = ['_hash', ...stored.columns.map((c) => q(c.name))].join(', ')
  const ci = options.caseInsensitive === true
  await eachMatch(db, stored, column, values, select, ci, (raw, asked, exact) => {
    const item = { row: decodeRow(stored.columns, raw), hash: String(Number(raw['_hash'])) }
    keepBest(result, exactness, asked, item, exact)
  })
  return result
}

/**
 * Only the fingerprints of the current rows of `system.table` whose `column` holds one of
 * `values`: what `plan execute` compares with `StoredOperation.targetHash` to skip operations
 * whose target row changed since planning.
 */
export async function lookupCurrentHashes(
  db: SqlExecutor,
  system: string,
  table: string,
  column: string,
  values: readonly LookupValue[],
  options: LookupOptions = {},
): Promise<Map<LookupValue, string>> {
  const stored = await requireTargetTable(db, system, table)
  const result = new Map<LookupValue, string>()
  const exactness = new Map<LookupValue, boolean>()
  const ci = options.caseInsensitive === true
  await eachMatch(db, stored, column, values, `_hash, ${q(column)}`, ci, (raw, asked, exact) => {
    keepBest(result, exactness, asked, String(Number(raw['_hash'])), exact)
  })
  return result
}

/**
 * Streams some columns of every current row of `system.table` in pages, decoded to data-model
 * values: what role planning reads of a group table and of a memberships table (300,000 pairs are
 * one sequential read, not 300,000 lookups).
 */
export async function* streamCurrentColumns(
  db: SqlExecutor,
  system: string,
  table: string,
  columns: readonly string[],
  options: { readonly pageSize?: number | undefined } = {},
): AsyncGenerator<Row[]> {
  const stored = await requireTargetTable(db, system, table)
  const wanted = columns.map((c) => requireColumn(stored, c))
  const select = wanted.map((c) => q(c.name)).join(', ')
  for await (const page of db.streamArrays(
    // By row id: a plain table scan on SQLite (without it, a table without a primary key is read through
    // the partial index on _key with a lookup per row, 40% slower), and a stable order on both.
    `SELECT ${select} FROM ${stored.versions} WHERE _to IS NULL ORDER BY _rid`,
    [],
    options.pageSize ?? 5000,
  )) {
    yield page.map((values) => {
      const raw: Record<string, unknown> = {}
      wanted.forEach((c, i) => (raw[c.name] = values[i]))
      return decodeRow(wanted, raw)
    })
  }
}
