/**
 * Reading a table in pages. With a primary key, pages are found by KEYSET paging: each page starts
 * after the last key of the page before (`WHERE key > ? ORDER BY key LIMIT n`), so every page costs
 * one index range scan however deep into the table it is, and a page never repeats or skips a row
 * when rows change meanwhile the way OFFSET does. Rows whose key is NULL come last, in one query,
 * so that the vault can report them (a key must not be empty). A table without a primary key is
 * read with one streamed query.
 */
import type { ReadPage } from '../contract.ts'
import type { BoundTable } from './sql-bind.ts'
import { aliasOf, rowFrom, selectList } from './sql-rows.ts'
import type { SqlSession } from './sql-session.ts'
import { quoteIdentifier } from './sql-session.ts'

export interface SqlReadOptions {
  readonly pageSize: number
  readonly signal?: AbortSignal | undefined
}

async function* keysetPages(
  session: SqlSession,
  bound: BoundTable,
  keyIndex: number,
  options: SqlReadOptions,
): AsyncGenerator<ReadPage, void, undefined> {
  const key = quoteIdentifier(bound.physical[keyIndex]!.name)
  const head = `SELECT ${selectList(bound)} FROM ${bound.qualified}`
  const tail = `ORDER BY ${key} LIMIT ?`
  let after: unknown
  for (let first = true; ; first = false) {
    options.signal?.throwIfAborted()
    const records = first
      ? await session.db.query(`${head} WHERE ${key} IS NOT NULL ${tail}`, [options.pageSize])
      : await session.db.query(`${head} WHERE ${key} > ? ${tail}`, [after as never, options.pageSize])
    if (records.length === 0) break
    // The next page starts after the raw key as the database returned it, not the converted value.
    after = records.at(-1)![aliasOf(keyIndex)]
    yield { rows: records.map((r) => rowFrom(bound, r)) }
    if (records.length < options.pageSize) break
  }
  yield* streamedPages(session, bound, `${head} WHERE ${key} IS NULL`, options)
}

async function* streamedPages(
  session: SqlSession,
  bound: BoundTable,
  sql: string,
  options: SqlReadOptions,
): AsyncGenerator<ReadPage, void, undefined> {
  for await (const records of session.db.stream(sql, [], options.pageSize)) {
    options.signal?.throwIfAborted()
    yield { rows: records.map((r) => rowFrom(bound, r)) }
  }
}

/** Every row of the table, page by page; never more than one page in memory. */
export function readTable(
  session: SqlSession,
  bound: BoundTable,
  options: SqlReadOptions,
): AsyncGenerator<ReadPage, void, undefined> {
  const key = bound.plan.table.primaryKey
  const keyIndex = key === undefined ? -1 : bound.plan.table.columns.findIndex((c) => c.name === key)
  if (keyIndex >= 0) return keysetPages(session, bound, keyIndex, options)
  return streamedPages(session, bound, `SELECT ${selectList(bound)} FROM ${bound.qualified}`, options)
}
