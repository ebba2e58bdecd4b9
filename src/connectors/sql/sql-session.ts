/**
 * Opening a SQL system's database through `ConnectorContext.openDatabase` (the vault's own query
 * layer: no driver code here). Before anything is opened, a SQLite file must exist, because opening
 * a missing file would create an empty database; a PostgreSQL URL must parse. Afterwards the
 * PostgreSQL schema is resolved once: the configured one (which must exist) or the search path's.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ConnectorContext, ConnectorDatabase } from '../contract.ts'
import { sqlError } from './sql-errors.ts'
import { isPostgresUrl, type SqlConfig } from './sql-schema.ts'
import { translateSqlError } from './translate-error.ts'

/** An open database with the schema its tables live in. */
export interface SqlSession {
  readonly db: ConnectorDatabase
  readonly dialect: 'sqlite' | 'postgres'
  /** PostgreSQL: the schema of the tables; SQLite: undefined. */
  readonly schema: string | undefined
  /** A file path or a URL without its password, for messages. */
  readonly location: string
  /** The quoted, schema-qualified name of a table. */
  qualify(table: string): string
}

/** Quotes an identifier with standard SQL double quotes; both databases accept it. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

async function assertFileExists(file: string, configured: string): Promise<void> {
  const found = await stat(file).then(
    (s) => s,
    (error: NodeJS.ErrnoException) => error,
  )
  if (found instanceof Error) {
    if (found.code === 'ENOENT' || found.code === 'ENOTDIR') {
      throw sqlError('CON_SQL_FILE_NOT_FOUND', `The SQLite file ${file} does not exist.`, {
        hint: `config.file is '${configured}' (relative to the project folder). Provisio never creates a missing database file: create the database, or correct the path.`,
      })
    }
    throw translateSqlError(found, { action: 'Cannot open the SQLite file', location: file })
  }
  if (!found.isFile()) {
    throw sqlError('CON_SQL_FILE_NOT_FOUND', `${file} is not a file.`, {
      hint: `config.file is '${configured}'; point it at a SQLite database file.`,
    })
  }
}

/** The URL without its password, for messages; throws when it is not a usable postgres:// URL. */
function displayUrl(url: string): string {
  // The URL is a secret: messages never show it, only that it is wrong.
  let parsed: URL | undefined
  try {
    parsed = isPostgresUrl(url) ? new URL(url) : undefined
  } catch {
    parsed = undefined
  }
  if (parsed === undefined) {
    throw sqlError(
      'CON_SQL_INVALID_CONFIG',
      'config.url is not a valid postgres:// URL (it is not shown because it may hold a password).',
      { hint: 'Set the variable it refers to a URL such as postgres://user:password@host:5432/database.' },
    )
  }
  parsed.password = ''
  parsed.search = '' // query parameters may carry credentials too
  return parsed.toString()
}

async function resolveSchema(db: ConnectorDatabase, configured: string | undefined): Promise<string> {
  if (configured !== undefined) {
    const found = await db.query('SELECT 1 AS found FROM pg_catalog.pg_namespace WHERE nspname = ?', [configured])
    if (found.length === 0) {
      throw sqlError('CON_SQL_SCHEMA_NOT_FOUND', `The schema '${configured}' does not exist in ${db.location}.`)
    }
    return configured
  }
  const [row] = await db.query<{ name: string | null }>('SELECT current_schema() AS name')
  if (row?.name == null) {
    throw sqlError('CON_SQL_SCHEMA_NOT_FOUND', `The search path of ${db.location} names no existing schema.`, {
      hint: 'Set `schema:` in the system config.',
    })
  }
  return row.name
}

/** Opens the database of a SQL system; every failure is a CON_SQL_ error with a hint. */
export async function openSqlSession(config: SqlConfig, context: ConnectorContext): Promise<SqlSession> {
  let location: string
  if (config.file !== undefined) {
    location = path.resolve(context.projectDir, config.file)
    await assertFileExists(location, config.file)
  } else {
    location = displayUrl(config.url ?? '')
  }
  let db: ConnectorDatabase
  try {
    db = await context.openDatabase(config.file !== undefined ? { file: location } : { url: config.url ?? '' })
  } catch (error) {
    throw translateSqlError(error, { action: 'Cannot open the database', location })
  }
  try {
    const schema = db.dialect === 'postgres' ? await resolveSchema(db, config.schema) : undefined
    const prefix = schema === undefined ? '' : `${quoteIdentifier(schema)}.`
    return {
      db,
      dialect: db.dialect,
      schema,
      location: db.location,
      qualify: (table) => `${prefix}${quoteIdentifier(table)}`,
    }
  } catch (error) {
    await db.close().catch(() => undefined)
    throw translateSqlError(error, { action: 'Cannot open the database', location: db.location })
  }
}
