/**
 * Error codes of the SQL connector. Every failure of the database or of the connection is
 * translated into one of these at the connector's boundary (see translate-error.ts), with a hint
 * and a retry meaning: a lost connection or a busy database may succeed when tried again, a
 * unique violation never will.
 */
import { defineErrors } from '../../core/index.ts'

/** Factory for the SQL connector's errors; accepts only the codes below. */
export const sqlError = defineErrors('connectors.sql', {
  CON_SQL_INVALID_CONFIG: {
    audience: 'user',
    title: 'The connection settings of a SQL system are not usable.',
    hint: 'Give either `file:` (a SQLite file) or `url:` (a postgres:// URL, as ${env:NAME}); `schema:` only with `url:`.',
  },
  CON_SQL_INVALID_OPTIONS: {
    audience: 'user',
    title: "The options of a SQL table do not fit the table's declared columns.",
    hint: 'Name declared columns in `mandatory`, `readOnly`, `disable.column` and `memberships`; never declare the `password.column`.',
  },
  CON_SQL_FILE_NOT_FOUND: {
    audience: 'user',
    title: 'The SQLite file of a SQL system does not exist.',
    hint: 'Check `config.file` (relative to the project folder). Provisio never creates a missing database file.',
  },
  CON_SQL_NOT_A_DATABASE: {
    audience: 'user',
    title: 'The file of a SQL system is not a SQLite database.',
    hint: 'Point `config.file` at a SQLite database file.',
  },
  CON_SQL_UNREACHABLE: {
    audience: 'operational',
    retry: 'safe',
    title: 'The database server of a SQL system cannot be reached.',
    hint: 'Check the host and port of the URL, that the server runs and that no firewall blocks the way.',
  },
  CON_SQL_AUTH_FAILED: {
    audience: 'user',
    title: 'The database refused the user name or password of a SQL system.',
    hint: 'Check the user and password in the URL (the environment variable it comes from) and that the user may log in.',
  },
  CON_SQL_DATABASE_NOT_FOUND: {
    audience: 'user',
    title: 'The database named in the URL of a SQL system does not exist.',
    hint: 'Correct the database name at the end of the URL, or create the database.',
  },
  CON_SQL_SCHEMA_NOT_FOUND: {
    audience: 'user',
    title: 'The PostgreSQL schema configured for a SQL system does not exist.',
    hint: 'Correct `config.schema`, or leave it out to use the schema of the search path (usually public).',
  },
  CON_SQL_TABLE_NOT_FOUND: {
    audience: 'user',
    title: 'A declared table is not in the database.',
    hint: "Set the table's `options.table` to the name in the database (`provisio system discover` lists them).",
  },
  CON_SQL_COLUMN_NOT_FOUND: {
    audience: 'user',
    title: 'A declared column is not in its database table.',
    hint: "Set the column's `source:` to the column's name in the database (`provisio system discover` lists them).",
  },
  CON_SQL_PERMISSION_DENIED: {
    audience: 'operational',
    title: 'The database user of a SQL system may not do what was asked.',
    hint: 'Grant the user the rights it needs on the table (SELECT to collect; INSERT, UPDATE, DELETE to provision).',
  },
  CON_SQL_UNIQUE_VIOLATION: {
    audience: 'user',
    title: 'A write would give a row a value that another row of a unique column already has.',
    hint: 'Make the mapped value unique (a name generator with `uniqueIn` on that column), or collect the system again.',
  },
  CON_SQL_CONSTRAINT: {
    audience: 'user',
    title: 'A write broke a NOT NULL, CHECK or foreign key constraint of the table.',
    hint: "Map a value for the column (and list it under the table's `mandatory` option), or fix the value the constraint refuses; for a foreign key, create the row it refers to first.",
  },
  CON_SQL_INVALID_VALUE: {
    audience: 'user',
    title:
      "A value does not fit its column: unreadable as the declared type, refused by the database's type, or holding a NUL character.",
    hint: "Correct the value, or the column's declared type.",
  },
  CON_SQL_ROW_NOT_FOUND: {
    audience: 'operational',
    title: 'The row an update, disable or enable operation targets is not in the table.',
    hint: 'The row was removed since the last collection: collect the system again and evaluate anew.',
  },
  CON_SQL_CONNECTION_LOST: {
    audience: 'operational',
    retry: 'safe',
    title: 'The connection to the database broke off during a statement.',
    hint: 'Tried again automatically; if it persists, check the database server and the network.',
  },
  CON_SQL_BUSY: {
    audience: 'operational',
    retry: 'safe',
    title: 'The database was busy (locked, deadlocked or out of connections) and did not run the statement.',
    hint: 'Tried again automatically; if it persists, look for long transactions that hold locks on the table.',
  },
  CON_SQL_INVALID_OPERATION: {
    audience: 'bug',
    title: "An operation handed to the SQL connector does not fit the function's parameters.",
    hint: 'The engine validates operations before executing them; please report this with the mapping.',
  },
  CON_SQL_FAILED: {
    audience: 'operational',
    title: 'The database reported an error the SQL connector has no more specific code for.',
    hint: "Read the database's message; it names the statement's problem.",
  },
})

/** The codes {@link sqlError} accepts. */
export type SqlErrorCode = Parameters<typeof sqlError>[0]
