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

interface Transaction {
  open: boolean
  savepoints: number
}

export class SqliteDriver extends SqliteExecutor implements SqlDriver {
  private lock: Promise<void> = Promise.resolve()
  /**
   * Set in the async context of a transaction's work: its statements pass the lock while it is open
   * (`open`: work it started without awaiting may outlive it, and must then wait like anyone else).
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

  private async waitForLock(): Promise<void> {
    if (this.inTransaction.getStore()?.open !== true) await this.lock
  }

  override async query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    await this.waitForLock()
    return super.query<T>(sql, params)
  }

  override async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    await this.waitForLock()
    return super.run(sql, params)
  }

  override async exec(sql: string): Promise<void> {
    await this.waitForLock()
    return super.exec(sql)
  }

  override async insertMany(
    table: string,
    columns: readonly ColumnSpec[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void> {
    await this.waitForLock()
    return super.insertMany(table, columns, rows)
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const outer = this.inTransaction.getStore()
    if (outer?.open === true) return this.savepoint(outer, work)
    const previous = this.lock
    let release!: () => void
    this.lock = new Promise((resolve) => (release = resolve))
    await previous
    const transaction: Transaction = { open: true, savepoints: 0 }
    try {
      // Inside the try: a BEGIN that fails (SQLITE_BUSY) must still release the lock, or every later call waits forever.
      this.db.exec('BEGIN IMMEDIATE')
      const result = await this.inTransaction.run(transaction, () => work(this))
      this.db.exec('COMMIT')
      return result
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw error
    } finally {
      transaction.open = false
      release()
    }
  }

  /**
   * A transaction inside a transaction (work that calls the driver's `transaction` again): a
   * savepoint, undone alone when its work fails. It used to wait for the outer one's lock for ever.
   */
  private async savepoint<T>(outer: Transaction, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const name = `provisio_${++outer.savepoints}`
    this.db.exec(`SAVEPOINT ${name}`)
    try {
      const result = await work(this)
      this.db.exec(`RELEASE ${name}`)
      return result
    } catch (error) {
      if (this.db.inTransaction) this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`)
      throw error
    }
  }

  async session<T>(work: (session: SqlDriver) => Promise<T>): Promise<T> {
    return work(this) // one connection: every call is already on the same session
  }

  async close(): Promise<void> {
    this.db.close()
  }
}
