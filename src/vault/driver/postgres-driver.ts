/**
 * The PostgreSQL vault, for larger installations and distributed workers. A pg Pool, with type
 * parsers set so that values come back in the same shapes as from SQLite: numbers for bigint,
 * 'YYYY-MM-DD' for dates and ISO 8601 UTC strings for timestamps.
 */
import pg from 'pg'
import { postgresDialect } from './dialect.ts'
import type { ColumnSpec, SqlDriver, SqlExecutor, SqlValue } from './sql-driver.ts'

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

class PostgresExecutor implements SqlExecutor {
  readonly dialect = postgresDialect
  constructor(protected readonly client: pg.Pool | pg.PoolClient) {}

  async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const result = await this.client.query({ text: toPostgresPlaceholders(sql), values: params as unknown[] })
    return result.rows as T[]
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.client.query({ text: toPostgresPlaceholders(sql), values: params as unknown[] })
    return result.rowCount ?? 0
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql)
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
    await this.client.query({ text: `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`, values: arrays })
  }

  stream<T>(sql: string, params: readonly SqlValue[] = [], pageSize = 5000): AsyncIterable<T[]> {
    return this.pages<T>(sql, params, pageSize, 'object')
  }

  streamArrays(sql: string, params: readonly SqlValue[] = [], pageSize = 5000): AsyncIterable<unknown[][]> {
    return this.pages<unknown[]>(sql, params, pageSize, 'array')
  }

  private async *pages<T>(
    sql: string,
    params: readonly SqlValue[],
    pageSize: number,
    rowMode: 'object' | 'array',
  ): AsyncIterable<T[]> {
    const own = 'release' in this.client ? undefined : await this.client.connect()
    const client = own ?? (this.client as pg.PoolClient)
    const cursor = `provisio_cursor_${Math.random().toString(36).slice(2)}`
    try {
      if (own !== undefined) await client.query('BEGIN')
      await client.query({
        text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${toPostgresPlaceholders(sql)}`,
        values: params as unknown[],
      })
      for (;;) {
        const page: pg.QueryResult =
          rowMode === 'array'
            ? await client.query({ text: `FETCH ${pageSize} FROM ${cursor}`, rowMode: 'array' })
            : await client.query(`FETCH ${pageSize} FROM ${cursor}`)
        if (page.rows.length === 0) break
        yield page.rows as T[]
      }
      await client.query(`CLOSE ${cursor}`)
      if (own !== undefined) await client.query('COMMIT')
    } finally {
      if (own !== undefined) {
        await client.query('ROLLBACK').catch(() => undefined)
        own.release()
      }
    }
  }
}

class PostgresSession extends PostgresExecutor implements SqlDriver {
  constructor(
    protected override readonly client: pg.PoolClient,
    readonly location: string,
  ) {
    super(client)
  }
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await this.client.query('BEGIN')
    try {
      const result = await work(this)
      await this.client.query('COMMIT')
      return result
    } catch (error) {
      await this.client.query('ROLLBACK')
      throw error
    }
  }
  async session<T>(work: (session: SqlDriver) => Promise<T>): Promise<T> {
    return work(this)
  }
  async close(): Promise<void> {}
}

export interface PostgresDriverOptions {
  /** A schema to create and use instead of `public` (tests give each run its own). */
  readonly schema?: string | undefined
}

export class PostgresDriver extends PostgresExecutor implements SqlDriver {
  readonly location: string
  private readonly pool: pg.Pool

  constructor(url: string, options: PostgresDriverOptions = {}) {
    const searchPath = options.schema === undefined ? '' : ` -c search_path=${options.schema}`
    const pool = new pg.Pool({ connectionString: url, types, max: 8, options: `-c TimeZone=UTC${searchPath}` })
    super(pool)
    this.pool = pool
    const parsed = new URL(url)
    parsed.password = ''
    this.location = parsed.toString()
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined)
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.session((s) => s.transaction(work))
  }

  async session<T>(work: (session: SqlDriver) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      return await work(new PostgresSession(client, this.location))
    } finally {
      client.release()
    }
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
