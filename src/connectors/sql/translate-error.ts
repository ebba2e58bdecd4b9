/**
 * The SQL connector's error boundary: whatever better-sqlite3, pg, the network or the vault's
 * driver layer threw becomes one CON_SQL_ error with a hint and a retry meaning. Classification
 * reads the database's own codes (SQLite extended result codes, PostgreSQL SQLSTATEs, Node's
 * system error codes), never guesses from free text except where a driver gives no code at all.
 *
 * INVARIANT: no message, hint or detail built here contains a password or a password hash. The
 * database's `detail` (PostgreSQL's "Failing row contains (…)") is never copied, and the original
 * error is not kept as `cause` when the statement carried a password hash.
 */
import { ProvisioError } from '../../core/index.ts'
import { sqlError, type SqlErrorCode } from './sql-errors.ts'
import type { MissingReference } from './sql-foreign-key.ts'

/** What the failing statement was doing, to name it in the message and the hint. */
export interface SqlErrorContext {
  /** `Cannot read table users`, `users_create on users` … (no values). */
  readonly action: string
  /** Where the database is: a file path or a URL without password. */
  readonly location: string
  /** The data-model name of a physical column, to name it in hints. @default the physical name */
  readonly columnName?: ((physical: string) => string) | undefined
  /** The value the operation gave a declared column, for the unique-violation hint; undefined for secrets. */
  readonly valueOf?: ((column: string) => unknown) | undefined
  /** The statement carried a password hash: the original error is not kept. @default false */
  readonly secret?: boolean | undefined
  /** SQLite: the value that refers to no row, found by sql-foreign-key.ts. @default none */
  readonly missingReference?: MissingReference | undefined
}

interface RawError {
  readonly code?: unknown
  readonly message?: unknown
  readonly detail?: unknown
  readonly constraint?: unknown
  readonly column?: unknown
  readonly errno?: unknown
}

// https://www.postgresql.org/docs/current/errcodes-appendix.html and https://www.sqlite.org/rescode.html
const BY_CODE: Readonly<Record<string, SqlErrorCode>> = {
  SQLITE_CONSTRAINT_UNIQUE: 'CON_SQL_UNIQUE_VIOLATION',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'CON_SQL_UNIQUE_VIOLATION',
  '23505': 'CON_SQL_UNIQUE_VIOLATION',
  '28P01': 'CON_SQL_AUTH_FAILED',
  '28000': 'CON_SQL_AUTH_FAILED',
  '3D000': 'CON_SQL_DATABASE_NOT_FOUND',
  '3F000': 'CON_SQL_SCHEMA_NOT_FOUND',
  '42P01': 'CON_SQL_TABLE_NOT_FOUND',
  '42703': 'CON_SQL_COLUMN_NOT_FOUND',
  '42501': 'CON_SQL_PERMISSION_DENIED',
  SQLITE_PERM: 'CON_SQL_PERMISSION_DENIED',
  SQLITE_AUTH: 'CON_SQL_PERMISSION_DENIED',
  EACCES: 'CON_SQL_PERMISSION_DENIED',
  SQLITE_NOTADB: 'CON_SQL_NOT_A_DATABASE',
  SQLITE_MISMATCH: 'CON_SQL_INVALID_VALUE',
  SQLITE_TOOBIG: 'CON_SQL_INVALID_VALUE',
  // The server closed the session or the network dropped it mid-statement.
  ECONNRESET: 'CON_SQL_CONNECTION_LOST',
  EPIPE: 'CON_SQL_CONNECTION_LOST',
  '57P01': 'CON_SQL_CONNECTION_LOST', // admin_shutdown (pg_terminate_backend, a server restart)
  '57P02': 'CON_SQL_CONNECTION_LOST', // crash_shutdown
  '08000': 'CON_SQL_CONNECTION_LOST',
  '08003': 'CON_SQL_CONNECTION_LOST',
  '08006': 'CON_SQL_CONNECTION_LOST',
  // No connection could be made at all.
  ECONNREFUSED: 'CON_SQL_UNREACHABLE',
  ENOTFOUND: 'CON_SQL_UNREACHABLE',
  ETIMEDOUT: 'CON_SQL_UNREACHABLE',
  EHOSTUNREACH: 'CON_SQL_UNREACHABLE',
  ENETUNREACH: 'CON_SQL_UNREACHABLE',
  EAI_AGAIN: 'CON_SQL_UNREACHABLE',
  '57P03': 'CON_SQL_UNREACHABLE', // cannot_connect_now: the server is starting up
  '08001': 'CON_SQL_UNREACHABLE',
  '08004': 'CON_SQL_UNREACHABLE',
  // The statement did not run because of other sessions; the same statement may succeed later.
  '40001': 'CON_SQL_BUSY', // serialization_failure
  '40P01': 'CON_SQL_BUSY', // deadlock_detected
  '55P03': 'CON_SQL_BUSY', // lock_not_available
  '53300': 'CON_SQL_BUSY', // too_many_connections
  '57014': 'CON_SQL_BUSY', // query_canceled (statement_timeout)
}

function classify(code: string, message: string): SqlErrorCode {
  const known = BY_CODE[code]
  if (known !== undefined) return known
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'CON_SQL_BUSY'
  if (code.startsWith('SQLITE_READONLY')) return 'CON_SQL_PERMISSION_DENIED'
  if (code.startsWith('SQLITE_CONSTRAINT') || code.startsWith('23')) return 'CON_SQL_CONSTRAINT'
  if (code.length === 5 && code.startsWith('22')) return 'CON_SQL_INVALID_VALUE' // data_exception
  if (code === 'SQLITE_ERROR' && /^no such table/i.test(message)) return 'CON_SQL_TABLE_NOT_FOUND'
  if (code === 'SQLITE_ERROR' && /no such column|has no column named/i.test(message)) return 'CON_SQL_COLUMN_NOT_FOUND'
  // pg raises these without a code when the socket closes under a running or idle client.
  if (code === '' && /connection terminated|connection error|not queryable|socket hang up/i.test(message)) {
    return 'CON_SQL_CONNECTION_LOST'
  }
  return 'CON_SQL_FAILED'
}

/** The driver's error under the vault's open error (VLT_UNREACHABLE etc. keep it as `cause`). */
function underlying(error: unknown): unknown {
  if (error instanceof ProvisioError && error.code.startsWith('VLT_') && error.cause !== undefined) return error.cause
  return error
}

/** `UNIQUE constraint failed: users.mail` or `Key (mail)=(x) already exists.` → the column and its value. */
function uniqueColumn(raw: RawError, message: string): { column?: string; value?: string } {
  const detail =
    typeof raw.detail === 'string' ? /^Key \(([^,]+?)\)=\((.*)\) already exists\.?$/s.exec(raw.detail) : null
  if (detail !== null) return { column: detail[1]!.replace(/^"(.*)"$/, '$1'), value: detail[2]! }
  const sqlite = /constraint failed: [^.,]+\.([^,]+)$/.exec(message)
  return sqlite === null ? {} : { column: sqlite[1]! }
}

function uniqueHint(raw: RawError, message: string, context: SqlErrorContext): string | undefined {
  const found = uniqueColumn(raw, message)
  if (found.column === undefined) return undefined
  const column = context.columnName?.(found.column) ?? found.column
  const given = context.valueOf?.(column)
  // The database's own copy of the value is shown only when the statement carried no password hash.
  const fromDatabase = found.value === undefined || context.secret === true ? undefined : `'${found.value}'`
  const value = given !== undefined ? JSON.stringify(given) : fromDatabase
  const which = value === undefined ? `column ${column}` : `${column} = ${value}`
  return `Another row already has ${which}. Make the mapped value unique (a name generator with uniqueIn on that column), or collect the system again if the row is yours.`
}

const FOREIGN_KEY_CODES = new Set(['23503', 'SQLITE_CONSTRAINT_FOREIGNKEY'])

/** A foreign key's column, value and the table it refers to (or, for a removal, the table that still refers to the row). */
interface ForeignKeyProblem {
  readonly column?: string | undefined
  /** The value: the one the operation gave, else (no secret in the statement) the database's text. */
  readonly value?: unknown
  readonly table?: string | undefined
  /** A row was to be removed or changed that rows of `table` still refer to. */
  readonly stillReferenced: boolean
}

/** PostgreSQL: `Key (group_cn)=(X) is not present in table "groups".` or `… is still referenced from table "t".` */
function foreignKeyProblem(raw: RawError, context: SqlErrorContext): ForeignKeyProblem {
  const found = context.missingReference
  if (found !== undefined) return { ...found, stillReferenced: false }
  const detail =
    typeof raw.detail === 'string'
      ? /^Key \((.+?)\)=\((.*)\) is (not present in|still referenced from) table "?(.+?)"?\.?$/s.exec(raw.detail)
      : null
  if (detail === null) return { stillReferenced: false }
  const column = context.columnName?.(detail[1]!.replace(/^"(.*)"$/, '$1')) ?? detail[1]!
  const given = context.valueOf?.(column)
  return {
    column,
    value: given !== undefined ? given : context.secret === true ? undefined : detail[2]!,
    table: detail[4]!,
    stillReferenced: detail[3] === 'still referenced from',
  }
}

/** `member = "nobody"`, or `column member` when the value is not known. */
function columnAndValue(problem: ForeignKeyProblem): string {
  return problem.value === undefined
    ? `column ${problem.column}`
    : `${problem.column} = ${JSON.stringify(problem.value)}`
}

/** For the message: `member = "nobody" refers to no row of table people`. */
function foreignKeyPhrase(problem: ForeignKeyProblem): string | undefined {
  if (problem.column === undefined) return undefined
  return problem.stillReferenced
    ? `rows of table ${problem.table ?? '?'} still refer to this row by ${columnAndValue(problem)}`
    : `${columnAndValue(problem)} refers to no row of table ${problem.table ?? '?'}`
}

function foreignKeyHint(problem: ForeignKeyProblem): string | undefined {
  if (problem.column === undefined) return undefined
  const table = problem.table ?? '?'
  return problem.stillReferenced
    ? `Rows of table ${table} still refer to this row by ${columnAndValue(problem)}: remove or change them first.`
    : `Table ${table} has no row for ${columnAndValue(problem)}: create that row first (an earlier step of the job), or correct the value.`
}

/**
 * Translates an error thrown while talking to the database into a CON_SQL_ ProvisioError. Our own
 * CON_ errors pass through unchanged.
 *
 * @example
 * try { await db.query(sql, params) } catch (error) { throw translateSqlError(error, { action: 'Cannot read table users', location }) }
 */
export function translateSqlError(error: unknown, context: SqlErrorContext): ProvisioError {
  if (error instanceof ProvisioError && error.code.startsWith('CON_')) return error
  const cause: unknown = underlying(error)
  const raw: RawError = cause !== null && typeof cause === 'object' ? cause : {}
  const code = typeof raw.code === 'string' ? raw.code : ''
  const text = typeof raw.message === 'string' ? raw.message : String(cause)
  const sqlCode = classify(code, text)
  const foreignKey = FOREIGN_KEY_CODES.has(code) ? foreignKeyProblem(raw, context) : undefined
  const hint =
    sqlCode === 'CON_SQL_UNIQUE_VIOLATION'
      ? uniqueHint(raw, text, context)
      : foreignKey === undefined
        ? undefined
        : foreignKeyHint(foreignKey)
  const constraint = typeof raw.constraint === 'string' ? raw.constraint : undefined
  const reference = Object.fromEntries(
    Object.entries({ column: foreignKey?.column, value: foreignKey?.value, referencedTable: foreignKey?.table }).filter(
      ([, v]) => v !== undefined,
    ),
  )
  const phrase = foreignKey === undefined ? undefined : foreignKeyPhrase(foreignKey)
  const which = phrase === undefined ? '' : ` (${phrase})`
  return sqlError(
    sqlCode,
    `${context.action} (${context.location}): ${text.replace(/^Unexpected error: /, '')}${which}`,
    {
      ...(hint === undefined ? {} : { hint }),
      details: {
        ...(code === '' ? {} : { databaseCode: code }),
        ...(constraint === undefined ? {} : { constraint }),
        ...reference,
      },
      ...(context.secret === true ? {} : { cause: error }),
    },
  )
}
