/**
 * Real databases for the SQL connector's tests: always a SQLite file in a fresh project folder, and
 * a fresh PostgreSQL schema when PROVISIO_TEST_PG_URL is set. Each target has an `admin` handle
 * (for DDL and for looking at what the connector wrote) and opens connector connections on itself.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { silentLogger, type TableSchema } from '../../src/core/index.ts'
import type { Connection, ConnectorContext, ConnectorDatabase } from '../../src/connectors/contract.ts'
import { openConnectorDatabase } from '../../src/connectors/connector-database.ts'
import { sqlConfigSchema, sqlConnector } from '../../src/connectors/sql/index.ts'
import { PG_URL } from './vaults.ts'

export type TargetKind = 'sqlite' | 'postgres'

export const TARGET_KINDS: readonly TargetKind[] = PG_URL === undefined ? ['sqlite'] : ['sqlite', 'postgres']

export interface SqlTarget {
  readonly kind: TargetKind
  readonly projectDir: string
  /** The connector's raw `config:` for this database. */
  readonly config: Record<string, unknown>
  /** PostgreSQL: the schema of the tables; SQLite: undefined. */
  readonly schema: string | undefined
  /** A handle of its own on the same database (PostgreSQL: search path = the test's schema). */
  readonly admin: ConnectorDatabase
  readonly context: ConnectorContext
  /** Runs DDL, the SQLite or the PostgreSQL spelling. */
  ddl(sql: { sqlite: string; postgres: string } | string): Promise<void>
  /** Opens a connector connection (closed by `close`), with config overrides. */
  open(overrides?: Record<string, unknown>): Promise<Connection>
  close(): Promise<void>
}

let counter = 0

/** A fresh, empty database of `kind`. */
export async function createSqlTarget(kind: TargetKind): Promise<SqlTarget> {
  const projectDir = mkdtempSync(path.join(os.tmpdir(), 'provisio-sql-'))
  const schema = kind === 'postgres' ? `sql_${process.pid}_${Date.now().toString(36)}_${counter++}` : undefined
  const config: Record<string, unknown> = kind === 'postgres' ? { url: PG_URL, schema } : { file: 'data/target.db' }
  // The admin handle creates the SQLite file (the connector itself never does) and the PG schema.
  const admin = await openConnectorDatabase(
    projectDir,
    kind === 'postgres' ? { url: `${PG_URL}?schema=${schema}` } : { file: 'data/target.db' },
  )
  const context: ConnectorContext = {
    projectDir,
    logger: silentLogger,
    openDatabase: (location) => openConnectorDatabase(projectDir, location),
  }
  const connections: Connection[] = []
  return {
    kind,
    projectDir,
    config,
    schema,
    admin,
    context,
    async ddl(sql) {
      await admin.exec(typeof sql === 'string' ? sql : sql[kind])
    },
    async open(overrides = {}) {
      const connection = await sqlConnector.open(sqlConfigSchema.parse({ ...config, ...overrides }), context)
      connections.push(connection)
      return connection
    },
    async close() {
      await Promise.all(connections.map((c) => c.close()))
      if (kind === 'postgres') await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await admin.close()
      rmSync(projectDir, { recursive: true, force: true })
    },
  }
}

/** Declared tables written short (`'name'`, `'name:integer'`, or a full schema). */
export { type ColumnSpec, tableOf } from './table-specs.ts'

/** Every row a connection reads from `table`, and the page sizes it came in. */
export async function readAll(connection: Connection, table: TableSchema) {
  const rows: Record<string, unknown>[] = []
  const pages: number[] = []
  for await (const page of connection.read({ table })) {
    rows.push(...page.rows)
    pages.push(page.rows.length)
  }
  return { rows, pages }
}

/** The rejection of a promise (fails when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise
  } catch (error) {
    return error as Error & Record<string, unknown>
  }
  throw new Error('Expected a rejection, but the promise resolved.')
}
