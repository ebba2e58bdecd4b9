/**
 * The embedded vault: one better-sqlite3 connection in WAL mode. better-sqlite3 is synchronous, which
 * is what makes bulk staging fast; the async interface only wraps it. A transaction holds a lock so
 * that nothing else interleaves on the single connection while it awaits: a statement from outside
 * the transaction (another request of the server, say) waits for it to end. Were it let through, it
 * would run inside the open transaction and vanish with it on a rollback (an audit record, a session).
 * Whether a statement belongs to the transaction is known from its async context, so work inside a
 * transaction may use the driver or its `tx` alike, and a nested transaction becomes a savepoint.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import Database from 'better-sqlite3'
import { sqliteDialect } from './dialect.ts'
import type { ColumnSpec, SqlDriver, SqlExecutor, SqlValue } from './sql-driver.ts'
import { type Scope, type ScopedTransaction, freeScope, openOf } from './transaction-scope.ts'

/** Rows per multi-row INSERT: fewer statement executions, within SQLite's 32,766 bound parameters. */
const ROWS_PER_INSERT = 64

export interface SqliteDriverOptions {
  /** Called once with the raw connection, to register application-defined SQL functions. */
  readonly onOpen?: ((db: Database.Database) => void) | undefined
}

function toSqlite(value: SqlValue): SqlValue {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value
}

class SqliteExecutor implements SqlExecutor {
  readonly dialect = sqliteDialect
  private readonly statements = new Map<string, Database.Statement>()

  constructor(protected readonly db: Database.Database) {}

  protected prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (statement === undefined) {
      statement = this.db.prepare(sql)
      // Only cache what is likely to be reused; ad-hoc statements would grow the cache without bound.
      if (this.statements.size < 500) this.statements.set(sql, statement)
    }
    return statement
  }

  async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.prepare(sql).all(...params.map(toSqlite)) as T[]
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.prepare(sql).run(...params.map(toSqlite)).changes
  }

  async exec(sql: string): Promise<void> {
    this.db.exec(sql)
  }

  async insertMany(
    table: string,
    columns: readonly ColumnSpec[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void> {
    const names = columns.map((c) => `"${c.name.replaceAll('"', '""')}"`).join(', ')
    const tuple = `(${columns.map(() => '?').join(', ')})`
    const head = `INSERT INTO ${table} (${names}) VALUES `
    const batch = this.prepare(head + Array.from({ length: ROWS_PER_INSERT }, () => tuple).join(', '))
    const single = this.prepare(head + tuple)
    const flat: SqlValue[] = new Array<SqlValue>(columns.length * ROWS_PER_INSERT)
    let i = 0
    for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
      let p = 0
      for (let r = i; r < i + ROWS_PER_INSERT; r++) for (const v of rows[r]!) flat[p++] = toSqlite(v)
      batch.run(flat)
    }
    for (; i < rows.length; i++) single.run(rows[i]!.map(toSqlite))
  }

  stream<T>(sql: string, params: readonly SqlValue[] = [], pageSize = 5000): AsyncIterable<T[]> {
    return this.pages<T>(this.db.prepare(sql), params, pageSize)
  }

  streamArrays(sql: string, params: readonly SqlValue[] = [], pageSize = 5000): AsyncIterable<unknown[][]> {
    return this.pages<unknown[]>(this.db.prepare(sql).raw(true), params, pageSize)
  }

  private async *pages<T>(
    statement: Database.Statement,
    params: readonly SqlValue[],
    pageSize: number,
  ): AsyncIterable<T[]> {
    // iterate() keeps a cursor and rows are handed out in pages. The connection must not be
    // written to until the stream ends.
    let page: T[] = []
    for (const row of statement.iterate(...params.map(toSqlite))) {
      page.push(row as T)
      if (page.length >= pageSize) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
  }
}

interface Transaction extends ScopedTransaction<Transaction> {
  readonly outermost: { savepoints: number; lost?: Error | undefined }
}

export class SqliteDriver extends SqliteExecutor implements SqlDriver {
  private readonly root: Scope<Transaction> = freeScope()
  /**
   * Set in the async context of a transaction's work: its statements pass while it is open, and
   * a statement of its work beside one of its savepoints waits for that savepoint to end.
   */
  private readonly inTransaction = new AsyncLocalStorage<Transaction>()

  constructor(
    readonly location: string,
    options: SqliteDriverOptions = {},
  ) {
    super(new Database(location))
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('busy_timeout = 10000')
    this.db.pragma('cache_size = -65536') // 64 MiB page cache
    this.db.pragma('foreign_keys = ON')
    options.onOpen?.(this.db)
  }

  /** The open transaction the calling work belongs to, if any. */
  private current(): Transaction | undefined {
    return openOf(this.inTransaction.getStore())
  }

  /**
   * Runs `statement` once nothing the caller does not belong to holds the connection. The check and
   * the statement are one synchronous step: after a wait, the scope is checked again, since a
   * transaction queued meanwhile may have begun first (a statement let through then would run inside
   * it and vanish with its rollback).
   */
  private async whenFree<T>(statement: () => T): Promise<T> {
    for (;;) {
      const owner = this.current()
      if (owner?.outermost.lost !== undefined) throw owner.outermost.lost
      const held = owner ?? this.root
      if (held.active === undefined) return statement()
      await held.idle
    }
  }

  override async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.whenFree(() => this.prepare(sql).all(...params.map(toSqlite)) as T[])
  }

  override async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.whenFree(() => this.prepare(sql).run(...params.map(toSqlite)).changes)
  }

  override async exec(sql: string): Promise<void> {
    await this.whenFree(() => this.db.exec(sql))
  }

  override async insertMany(
    table: string,
    columns: readonly ColumnSpec[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void> {
    // super.insertMany runs synchronously to its end (no await inside): one step with the check. Its
    // promise is returned, not dropped: a refused row (a unique index) must reject this call.
    return this.whenFree(() => super.insertMany(table, columns, rows))
  }

  // A stream waits like a statement before its cursor opens: from outside, it would otherwise read
  // what an open transaction has not committed (and may roll back). Its consumer must not write
  // before the stream ends (better-sqlite3 refuses a statement while a cursor is open).
  override stream<T>(sql: string, params: readonly SqlValue[] = [], pageSize = 5000): AsyncIterable<T[]> {
    return this.afterWait(() => super.stream<T>(sql, params, pageSize))
  }

  override streamArrays(sql: string, params: readonly SqlValue[] = [], pageSize = 5000): AsyncIterable<unknown[][]> {
    return this.afterWait(() => super.streamArrays(sql, params, pageSize))
  }

  private async *afterWait<T>(open: () => AsyncIterable<T>): AsyncIterable<T> {
    // The first page is read in the same step as the check (the generator runs to its first yield).
    const pages = await this.whenFree(() => {
      const iterator = open()[Symbol.asyncIterator]()
      return { iterator, first: iterator.next() }
    })
    let next = await pages.first
    while (next.done !== true) {
      yield next.value
      next = await pages.iterator.next()
    }
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const parent = this.current()
    const held: Scope<Transaction> = parent ?? this.root
    while (held.active !== undefined) await held.idle
    if (parent?.outermost.lost !== undefined) throw parent.outermost.lost
    const outermost = parent?.outermost ?? { savepoints: 0 }
    const transaction: Transaction = { ...freeScope<Transaction>(), open: true, parent, outermost }
    held.active = transaction
    held.idle = new Promise((resolve) => (held.wake = resolve))
    const savepoint = parent === undefined ? undefined : `provisio_${++outermost.savepoints}`
    try {
      // Inside the try: a BEGIN that fails (SQLITE_BUSY) must still free the scope, or every later call waits forever.
      this.db.exec(savepoint === undefined ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`)
      let result: T
      try {
        result = await this.inTransaction.run(transaction, () => work(this))
      } finally {
        // A savepoint its work started without awaiting ends first: ended after, it would be cut in two.
        while (transaction.active !== undefined) await transaction.idle
      }
      if (outermost.lost !== undefined) throw outermost.lost
      this.db.exec(savepoint === undefined ? 'COMMIT' : `RELEASE ${savepoint}`)
      return result
    } catch (error) {
      this.undo(savepoint, outermost)
      throw error
    } finally {
      transaction.open = false
      held.active = undefined
      held.wake()
    }
  }

  /**
   * Undoes a failed transaction or savepoint. SQLite itself ends the whole transaction on some errors
   * (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM): then the outer work, were it to catch the error and go
   * on, would write outside any transaction, so it is refused from then on and the outermost fails.
   */
  private undo(savepoint: string | undefined, outermost: Transaction['outermost']): void {
    if (!this.db.inTransaction) {
      if (savepoint !== undefined)
        outermost.lost ??= new Error(
          `The transaction ended during its nested transaction ${savepoint} (SQLite rolled it back); nothing of it was written.`,
        )
      return
    }
    if (savepoint === undefined) {
      this.db.exec('ROLLBACK')
      return
    }
    try {
      this.db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`)
    } catch (error) {
      outermost.lost ??= new Error(
        `The nested transaction ${savepoint} could not be undone, so the transaction ended and was rolled back.`,
        { cause: error },
      )
    }
  }

  async session<T>(work: (session: SqlDriver) => Promise<T>): Promise<T> {
    return work(this) // one connection: every call is already on the same session
  }

  async close(): Promise<void> {
    this.db.close()
  }
}
