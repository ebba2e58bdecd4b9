/**
 * The PostgreSQL vault, for larger installations and distributed workers. A pg Pool, with type
 * parsers set so that values come back in the same shapes as from SQLite: numbers for bigint,
 * 'YYYY-MM-DD' for dates and ISO 8601 UTC strings for timestamps.
 *
 * Transactions follow the embedded driver's contract, so that code passing on SQLite behaves the
 * same here: the async context of a transaction's work is marked, and a driver call made from it
 * (through the driver or its `tx` alike) runs on the transaction's client, inside it. Were it sent to
 * another pooled client, it would not see the transaction's uncommitted rows, could wait forever on
 * its row locks, and enough of them at once would take every client of the pool. A nested
 * transaction is a savepoint of the same client.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import { postgresDialect } from './dialect.ts'
import type { ColumnSpec, SqlDriver, SqlExecutor, SqlValue } from './sql-driver.ts'
import { type Scope, type ScopedTransaction, freeScope, openOf } from './transaction-scope.ts'

/** Rewrites `?` placeholders to `$1…$n`, leaving quoted strings and identifiers alone. */
export function toPostgresPlaceholders(sql: string): string {
  let out = ''
  let n = 0
  let quote: string | undefined
  for (const ch of sql) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
      out += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      out += ch
    } else if (ch === '?') {
      out += `$${++n}`
    } else {
      out += ch
    }
  }
  return out
}

function timestampToIso(text: string): string {
  // PostgreSQL prints `2026-12-04 15:46:10.123+00` with TimeZone=UTC.
  return new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString()
}

const typeParsers: Record<number, (text: string) => unknown> = {
  20: (t) => Number(t), // int8: safe for counts and ids below 2^53, which the vault never exceeds
  1700: (t) => Number(t), // numeric
  1082: (t) => t, // date: keep 'YYYY-MM-DD', never a local-time Date
  1114: (t) => timestampToIso(`${t}+00`),
  1184: timestampToIso,
}

const types = {
  getTypeParser(oid: number, format?: string) {
    return typeParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')
  },
}

// rowMode 'array' hands rows out as arrays (streamArrays).
type Statement = string | (pg.QueryConfig & { rowMode?: 'array' })
type RowMode = 'object' | 'array'

/** query/run/exec/insertMany in terms of one `submit`, streams in terms of `pages`: where they go differs. */
abstract class PostgresExecutor implements SqlExecutor {
  readonly dialect = postgresDialect

  /** Internal to this module: runs one statement where the calling work belongs. */
  abstract submit(statement: Statement): Promise<pg.QueryResult>
  /** Internal to this module: a stream's pages, read where the calling work belongs. */
  abstract pages<T>(sql: string, params: readonly SqlValue[], pageSize: number, rowMode: RowMode): AsyncIterable<T[]>

  async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const result = await this.submit({ text: toPostgresPlaceholders(sql), values: params as unknown[] })
    return result.rows as T[]
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.submit({ text: toPostgresPlaceholders(sql), values: params as unknown[] })
    return result.rowCount ?? 0
  }

  async exec(sql: string): Promise<void> {
    await this.submit(sql)
  }

  async insertMany(
    table: string,
    columns: readonly ColumnSpec[],
    rows: readonly (readonly SqlValue[])[],
  ): Promise<void> {
    if (rows.length === 0) return
    // One statement per page: each column travels as one array and unnest() zips them back into
    // rows, which is several times faster than multi-row VALUES and has no parameter-count limit.
    const arrays = columns.map((_c, i) => rows.map((r) => r[i] ?? null))
    const names = columns.map((c) => `"${c.name.replaceAll('"', '""')}"`).join(', ')
    const unnest = columns.map((c, i) => `$${i + 1}::${c.sqlType}[]`).join(', ')
    await this.submit({ text: `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`, values: arrays })
  }

  stream<T>(sql: string, params: readonly SqlValue[] = [], pageSize = 5000): AsyncIterable<T[]> {
    return this.pages<T>(sql, params, pageSize, 'object')
  }

  streamArrays(sql: string, params: readonly SqlValue[] = [], pageSize = 5000): AsyncIterable<unknown[][]> {
    return this.pages<unknown[]>(sql, params, pageSize, 'array')
  }
}

function cursorName(): string {
  return `provisio_cursor_${Math.random().toString(36).slice(2)}`
}

function fetchPage(
  submit: (s: Statement) => Promise<pg.QueryResult>,
  cursor: string,
  size: number,
  mode: RowMode,
): Promise<pg.QueryResult> {
  const text = `FETCH ${size} FROM ${cursor}`
  return submit(mode === 'array' ? { text, rowMode: 'array' as const } : text)
}

/** Statements outside any transaction: each on whichever pooled client is free. */
class PooledExecutor extends PostgresExecutor {
  constructor(readonly pool: pg.Pool) {
    super()
  }

  submit(statement: Statement): Promise<pg.QueryResult> {
    return this.pool.query(statement)
  }

  // A cursor lives in a transaction: the stream takes a client of its own for one, so that other
  // statements go on meanwhile (a planner writes operations while it streams a filter).
  async *pages<T>(sql: string, params: readonly SqlValue[], pageSize: number, rowMode: RowMode): AsyncIterable<T[]> {
    const client = await this.pool.connect()
    const cursor = cursorName()
    const submit = (statement: Statement) => client.query(statement)
    let ended = false
    try {
      await client.query('BEGIN')
      await client.query({
        text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${toPostgresPlaceholders(sql)}`,
        values: params as unknown[],
      })
      for (;;) {
        const page = await fetchPage(submit, cursor, pageSize, rowMode)
        if (page.rows.length === 0) break
        yield page.rows as T[]
      }
      await client.query('COMMIT')
      ended = true
    } finally {
      // A stream left early (or failed) rolls back; a client that cannot must not be reused mid-transaction.
      if (!ended)
        ended = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        )
      client.release(!ended)
    }
  }
}

interface Transaction extends ScopedTransaction<Transaction> {
  readonly session: PostgresSession
  readonly outermost: { savepoints: number }
}

/** One pooled client, for `session()` and for each outermost transaction. */
class PostgresSession extends PostgresExecutor implements SqlDriver {
  readonly root: Scope<Transaction> = freeScope()
  /**
   * Statements go to the client one at a time, in the order they were let through: pg would queue
   * them itself, but that is deprecated (removed in pg 9), and the order is what keeps a statement
   * let through before a BEGIN out of the transaction.
   */
  private tail: Promise<unknown> = Promise.resolve()
  /** Set once the client went back to the pool: from then on, calls go through the driver. */
  released = false
  /** Set when a ROLLBACK failed: the client may still be in a transaction, so it is not reused. */
  broken = false

  constructor(
    private readonly client: pg.PoolClient,
    private readonly driver: PostgresDriver,
    private readonly inTransaction: AsyncLocalStorage<Transaction>,
  ) {
    super()
  }

  get location(): string {
    return this.driver.location
  }

  /** The open transaction of this client the calling work belongs to, if any. */
  current(): Transaction | undefined {
    const transaction = openOf(this.inTransaction.getStore())
    return transaction?.session === this ? transaction : undefined
  }

  private serial<R>(statement: () => Promise<R>): Promise<R> {
    const result = this.tail.then(statement)
    this.tail = result.catch(() => undefined)
    return result
  }

  /**
   * Sends `statement` once nothing the caller does not belong to holds the client. The check and
   * the queuing are one synchronous step: after a wait, the scope is checked again, since a
   * transaction queued meanwhile may have begun first.
   */
  private async whenFree<R>(statement: () => Promise<R>, owner = () => this.current()): Promise<R> {
    for (;;) {
      const held = owner() ?? this.root
      if (held.active === undefined) return this.serial(statement)
      await held.idle
    }
  }

  submit(statement: Statement): Promise<pg.QueryResult> {
    if (this.released && this.current() === undefined) return this.driver.submit(statement)
    return this.whenFree(() => this.client.query(statement))
  }

  pages<T>(sql: string, params: readonly SqlValue[], pageSize: number, rowMode: RowMode): AsyncIterable<T[]> {
    const owner = this.current()
    if (this.released && owner === undefined) return this.driver.pages<T>(sql, params, pageSize, rowMode)
    return this.cursor<T>(owner, sql, params, pageSize, rowMode)
  }

  /**
   * Inside a transaction, the cursor lives in it: it sees the transaction's writes, and each FETCH
   * takes its turn with the transaction's other statements. Outside any, a cursor WITH HOLD outlives
   * the implicit transaction of its DECLARE, so that the session may run other statements between
   * pages (at the price of PostgreSQL computing the whole result up front, on the server); only the
   * DECLARE waits for an open transaction of the session, which would otherwise take the cursor with it.
   */
  private async *cursor<T>(
    owner: Transaction | undefined,
    sql: string,
    params: readonly SqlValue[],
    pageSize: number,
    rowMode: RowMode,
  ): AsyncIterable<T[]> {
    const cursor = cursorName()
    const submit = (statement: Statement) =>
      owner === undefined
        ? this.serial(() => this.client.query(statement))
        : this.whenFree(
            () => this.client.query(statement),
            () => openOf(owner),
          )
    let declared = false
    try {
      await this.whenFree(
        () =>
          this.client.query({
            text: `DECLARE ${cursor} NO SCROLL CURSOR ${owner === undefined ? 'WITH HOLD ' : ''}FOR ${toPostgresPlaceholders(sql)}`,
            values: params as unknown[],
          }),
        () => openOf(owner),
      )
      declared = true
      for (;;) {
        const page = await fetchPage(submit, cursor, pageSize, rowMode)
        if (page.rows.length === 0) break
        yield page.rows as T[]
      }
    } finally {
      // A cursor of a savepoint that ended went with it or into its parent, which closes it at its end.
      if (declared && (owner === undefined || owner.open)) await submit(`CLOSE ${cursor}`).catch(() => undefined)
    }
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const parent = this.current()
    if (this.released && parent === undefined) return this.driver.transaction(work)
    const held: Scope<Transaction> = parent ?? this.root
    while (held.active !== undefined) await held.idle
    const outermost = parent?.outermost ?? { savepoints: 0 }
    const transaction: Transaction = { ...freeScope<Transaction>(), open: true, parent, session: this, outermost }
    held.active = transaction
    held.idle = new Promise((resolve) => (held.wake = resolve))
    const savepoint = parent === undefined ? undefined : `provisio_${++outermost.savepoints}`
    try {
      await this.serial(() => this.client.query(savepoint === undefined ? 'BEGIN' : `SAVEPOINT ${savepoint}`))
      let result: T
      try {
        result = await this.inTransaction.run(transaction, () => work(this))
      } finally {
        // A savepoint its work started without awaiting ends first: ended after, it would be cut in two.
        while (transaction.active !== undefined) await transaction.idle
      }
      const end = await this.serial(() =>
        this.client.query(savepoint === undefined ? 'COMMIT' : `RELEASE ${savepoint}`),
      )
      // PostgreSQL answers the COMMIT of a transaction that a failed statement aborted with ROLLBACK, not
      // an error: had the work caught that failure and gone on, all of its writes would vanish unsaid.
      if (end.command === 'ROLLBACK')
        throw new Error('The transaction was rolled back: one of its statements failed and its work went on.')
      return result
    } catch (error) {
      await this.undo(savepoint)
      throw error
    } finally {
      transaction.open = false
      held.active = undefined
      held.wake()
    }
  }

  /**
   * Undoes a failed transaction or savepoint. A savepoint that cannot be undone leaves the
   * transaction aborted: its later statements fail, and its COMMIT answers ROLLBACK (refused above).
   */
  private async undo(savepoint: string | undefined): Promise<void> {
    const sql = savepoint === undefined ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`
    try {
      await this.serial(() => this.client.query(sql))
    } catch {
      if (savepoint === undefined) this.broken = true
    }
  }

  async session<T>(work: (session: SqlDriver) => Promise<T>): Promise<T> {
    if (this.released && this.current() === undefined) return this.driver.session(work)
    return work(this)
  }

  /** Resolves once no transaction is open and no statement is queued: the client may go back to the pool. */
  async settle(): Promise<void> {
    for (;;) {
      if (this.root.active !== undefined) {
        await this.root.idle
        continue
      }
      const tail = this.tail
      await tail
      if (tail === this.tail && this.root.active === undefined) return
    }
  }

  async close(): Promise<void> {}
}

export interface PostgresDriverOptions {
  /** A schema to create and use instead of `public` (tests give each run its own). */
  readonly schema?: string | undefined
}

export class PostgresDriver extends PostgresExecutor implements SqlDriver {
  readonly location: string
  private readonly pooled: PooledExecutor
  /** Set in the async context of a transaction's work: the driver's calls from it go to its client. */
  private readonly inTransaction = new AsyncLocalStorage<Transaction>()

  constructor(url: string, options: PostgresDriverOptions = {}) {
    super()
    const searchPath = options.schema === undefined ? '' : ` -c search_path=${options.schema}`
    const pool = new pg.Pool({ connectionString: url, types, max: 8, options: `-c TimeZone=UTC${searchPath}` })
    this.pooled = new PooledExecutor(pool)
    const parsed = new URL(url)
    parsed.password = ''
    this.location = parsed.toString()
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined)
  }

  /** The open transaction the calling work belongs to, if any. */
  private current(): Transaction | undefined {
    return openOf(this.inTransaction.getStore())
  }

  submit(statement: Statement): Promise<pg.QueryResult> {
    return (this.current()?.session ?? this.pooled).submit(statement)
  }

  pages<T>(sql: string, params: readonly SqlValue[], pageSize: number, rowMode: RowMode): AsyncIterable<T[]> {
    return (this.current()?.session ?? this.pooled).pages<T>(sql, params, pageSize, rowMode)
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.session((s) => s.transaction(work))
  }

  async session<T>(work: (session: SqlDriver) => Promise<T>): Promise<T> {
    const current = this.current()
    if (current !== undefined) return work(current.session)
    const client = await this.pooled.pool.connect()
    const session = new PostgresSession(client, this, this.inTransaction)
    try {
      return await work(session)
    } finally {
      // Work the session started without awaiting may still hold the client: it must end there first.
      await session.settle()
      session.released = true
      client.release(session.broken)
    }
  }

  async close(): Promise<void> {
    await this.pooled.pool.end()
  }
}
