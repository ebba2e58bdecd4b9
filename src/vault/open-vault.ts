/**
 * Opening the vault: the embedded SQLite file in the project's data folder by default, or
 * PostgreSQL when a URL is given (`--database postgres://…` or PROVISIO_DATABASE_URL). Migrations run
 * on open, so a vault is always at the version of the code that opened it.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { toProvisioError } from '../core/index.ts'
import { registerSqliteFunctions } from '../expr/index.ts'
import { PostgresDriver } from './driver/postgres-driver.ts'
import type { SqlDriver } from './driver/sql-driver.ts'
import { SqliteDriver } from './driver/sqlite-driver.ts'
import { vaultError } from './errors.ts'
import { migrate } from './migrate.ts'

/** The project's data folder, where the embedded vault and other local state live. */
export const DATA_FOLDER = '.provisio'

export interface OpenVaultOptions {
  /** The project folder; the SQLite vault is `<projectDir>/.provisio/vault.db`. */
  readonly projectDir: string
  /** A `postgres://` URL, or a path to a SQLite file. @default PROVISIO_DATABASE_URL, else the embedded file */
  readonly database?: string | undefined
  /** PostgreSQL schema to use instead of `public` (created when missing). */
  readonly schema?: string | undefined
  /** Registers application-defined functions on each SQLite connection (the expression library's). */
  readonly onSqliteOpen?: ((db: Database.Database) => void) | undefined
}

function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value)
}

/**
 * A `?schema=NAME` parameter of the URL puts the vault in that PostgreSQL schema (created when
 * missing), so several vaults can share one database.
 */
function splitSchema(database: string, schema: string | undefined): { url: string; schema: string | undefined } {
  const url = new URL(database)
  const fromUrl = url.searchParams.get('schema') ?? undefined
  url.searchParams.delete('schema')
  const chosen = schema ?? fromUrl
  if (chosen !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(chosen)) {
    throw vaultError('VLT_OPEN_FAILED', `The vault schema name '${chosen}' is not a plain identifier.`, {
      hint: 'Use letters, digits and underscores, starting with a letter.',
    })
  }
  return { url: url.toString(), schema: chosen }
}

export function defaultVaultPath(projectDir: string): string {
  return path.join(projectDir, DATA_FOLDER, 'vault.db')
}

export async function openDriver(options: OpenVaultOptions): Promise<SqlDriver> {
  const database = options.database ?? process.env['PROVISIO_DATABASE_URL'] ?? defaultVaultPath(options.projectDir)
  if (isPostgresUrl(database)) {
    const { url, schema } = splitSchema(database, options.schema)
    const driver = new PostgresDriver(url, { schema })
    try {
      if (schema !== undefined) await driver.exec(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`)
      else await driver.query('SELECT 1')
    } catch (error) {
      await driver.close().catch(() => undefined)
      const code = (error as { code?: string }).code
      const unreachable =
        code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH'
      throw vaultError(
        unreachable ? 'VLT_UNREACHABLE' : 'VLT_OPEN_FAILED',
        `Cannot open the vault at ${driver.location}: ${toProvisioError(error).message.replace(/^Unexpected error: /, '')}`,
        {
          cause: error,
        },
      )
    }
    return driver
  }
  try {
    mkdirSync(path.dirname(database), { recursive: true })
    return new SqliteDriver(database, {
      onOpen: (db) => {
        // Filters and queries compile expressions to SQL that calls these (regex, transliterate…).
        registerSqliteFunctions(db)
        options.onSqliteOpen?.(db)
      },
    })
  } catch (error) {
    throw vaultError('VLT_OPEN_FAILED', `Cannot open the vault file ${database}: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

/** Opens the vault and brings its schema up to date. */
export async function openVaultDriver(options: OpenVaultOptions): Promise<SqlDriver> {
  const driver = await openDriver(options)
  try {
    await migrate(driver)
  } catch (error) {
    await driver.close()
    throw error
  }
  return driver
}

/**
 * A second connection for long reads beside writes: a SQLite connection cannot write while one of
 * its statements is still streaming rows, so a planner that streams a filter and stores operations
 * at the same time reads through its own connection (WAL lets it read a consistent snapshot while
 * the other writes). PostgreSQL streams on a pooled connection of its own already: the same driver.
 * Close what this returns with `release`.
 */
export async function openReader(driver: SqlDriver): Promise<{ reader: SqlDriver; release: () => Promise<void> }> {
  if (driver.dialect.name !== 'sqlite') return { reader: driver, release: async () => {} }
  const reader = await openDriver({ projectDir: path.dirname(driver.location), database: driver.location })
  return { reader, release: () => reader.close() }
}
