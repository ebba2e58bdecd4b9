/**
 * Test support (imported by *.test.ts only): the three backends behind one small interface, over
 * the test table `t` of equivalence-case.ts. SQLite runs in memory with the provisio functions
 * registered; PostgreSQL uses PROVISIO_TEST_PG_URL and a temporary table, with the session time
 * zone set to Pacific/Chatham (+12:45/+13:45) to prove the SQL never depends on it.
 */
import Database from 'better-sqlite3'
import pg from 'pg'
import type { Value } from '../../core/index.ts'
import { compileToJs } from '../js-compiler.ts'
import { compileToSql } from '../sql/compile-to-sql.ts'
import { decodeSqlValue } from '../sql/sql-values.ts'
import { registerSqliteFunctions } from '../sql/sqlite-functions.ts'
import type { TypedExpr } from '../typed-expr.ts'
import type { CompileOptions } from '../compile-options.ts'
import { TEST_COLUMNS, type TestRow } from './equivalence-case.ts'

export const PG_URL = process.env.PROVISIO_TEST_PG_URL
export const PG_SKIP =
  PG_URL === undefined
    ? 'PROVISIO_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres); PostgreSQL cases are skipped'
    : false

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`
export const columnSql = (alias: string, column: string) => `${quote(alias)}.${quote(column)}`

/** Normalises -0 to 0: the databases and JS may differ in the sign of a float zero. */
export function normalize(value: Value): Value {
  return value === 0 ? 0 : value
}

export function evaluateJs(typed: TypedExpr, row: TestRow, options: CompileOptions): Value {
  return normalize(compileToJs(typed, options)({ rows: { t: row as Record<string, Value> } }))
}

export class SqliteBackend {
  readonly db = new Database(':memory:')

  constructor() {
    registerSqliteFunctions(this.db)
    this.db.exec(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, s2 TEXT, i INTEGER, j INTEGER, n REAL, b INTEGER, d TEXT, d2 TEXT, dt TEXT, dt2 TEXT, tags TEXT, "first name" TEXT)`,
    )
  }

  insert(id: number, row: TestRow): void {
    const values = TEST_COLUMNS.map((c) => {
      const v = row[c]
      return v === undefined || v === null
        ? null
        : typeof v === 'boolean'
          ? v
            ? 1
            : 0
          : Array.isArray(v)
            ? JSON.stringify(v)
            : v
    })
    this.db.prepare(`INSERT INTO t VALUES (?, ${TEST_COLUMNS.map(() => '?').join(', ')})`).run(id, ...values)
  }

  evaluate(typed: TypedExpr, id: number, options: CompileOptions): Value {
    const { sql, params } = compileToSql(typed, 'sqlite', { columnSql, ...options })
    const result = this.db.prepare(`SELECT ${sql} AS v FROM t WHERE id = ?`).get(...params, id) as { v: unknown }
    return normalize(decodeSqlValue(result.v, typed.type))
  }

  close(): void {
    this.db.close()
  }
}

export class PostgresBackend {
  private readonly client: pg.Client

  constructor(url: string) {
    // Dates come back as text, so no Date object (in the test process's time zone) gets in between.
    const types = {
      getTypeParser: (oid: number, format?: string) =>
        oid === 1082 ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text'),
    }
    this.client = new pg.Client({ connectionString: url, types })
  }

  async open(): Promise<void> {
    await this.client.connect()
    await this.client.query(`SET TIME ZONE 'Pacific/Chatham'`)
    await this.client.query(
      `CREATE TEMP TABLE t (id int PRIMARY KEY, s text, s2 text, i int8, j int8, n float8, b boolean, d date, d2 date, dt timestamptz, dt2 timestamptz, tags text, "first name" text)`,
    )
  }

  async insert(id: number, row: TestRow): Promise<void> {
    const values = TEST_COLUMNS.map((c) => {
      const v = row[c]
      return v === undefined ? null : Array.isArray(v) ? JSON.stringify(v) : v
    })
    await this.client.query(`INSERT INTO t VALUES ($1, ${TEST_COLUMNS.map((_, i) => `$${i + 2}`).join(', ')})`, [
      id,
      ...values,
    ])
  }

  async evaluate(typed: TypedExpr, id: number, options: CompileOptions): Promise<Value> {
    // paramOffset 1: the expression's placeholders follow the id's $1, as when embedded in a larger statement.
    const { sql, params } = compileToSql(typed, 'postgres', { columnSql, paramOffset: 1, ...options })
    const result = await this.client.query<{ v: unknown }>(`SELECT ${sql} AS v FROM t WHERE id = $1`, [id, ...params])
    return normalize(decodeSqlValue(result.rows[0]?.v, typed.type))
  }

  async close(): Promise<void> {
    await this.client.end()
  }
}
