/**
 * The vault's query layer: one small interface, two implementations (better-sqlite3, pg). SQL is
 * written with `?` placeholders for both; the PostgreSQL driver renumbers them to `$n`. Values are
 * always bound, never spliced into the text.
 */
import type { Dialect } from './dialect.ts'

export type SqlValue = string | number | boolean | null | bigint | Buffer

export interface SqlExecutor {
  readonly dialect: Dialect
  /** Runs a statement that returns rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>
  /** Runs several statements without parameters (DDL). */
  exec(sql: string): Promise<void>
  /** Inserts rows (arrays in `columns` order) into a table, in as few round trips as the database allows. */
  insertMany(table: string, columns: readonly ColumnSpec[], rows: readonly (readonly SqlValue[])[]): Promise<void>
  /** Streams the rows of a query in pages, without holding the whole result. */
  stream<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[], pageSize?: number): AsyncIterable<T[]>
  /** Like {@link stream}, with each row as an array in select order: cheaper for millions of rows. */
  streamArrays(sql: string, params?: readonly SqlValue[], pageSize?: number): AsyncIterable<unknown[][]>
}

export interface ColumnSpec {
  readonly name: string
  /** SQL type, needed by PostgreSQL to type its unnest() arrays. */
  readonly sqlType: string
}

export interface SqlDriver extends SqlExecutor {
  /**
   * Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it
   * throws. Nothing else runs on that connection meanwhile. Both drivers keep the same contract
   * (driver-transactions.test.ts runs it on each): a call made from the work's async context, through
   * the driver or `tx` alike, belongs to the transaction; a nested `transaction` is a savepoint undone
   * alone when its work throws; a statement from outside never joins it and never sees its
   * uncommitted rows.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>
  /** Runs `work` on one dedicated connection (temporary tables live per connection), without a transaction. */
  session<T>(work: (session: SqlDriver) => Promise<T>): Promise<T>
  close(): Promise<void>
  /** Where the data lives, for messages (a file path or a URL without password). */
  readonly location: string
}
