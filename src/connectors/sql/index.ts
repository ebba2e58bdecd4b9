/**
 * The SQL connector (`connector: sql`). A SQL system is a database, a SQLite file or PostgreSQL,
 * opened through the vault's query layer (ConnectorContext.openDatabase):
 *
 *   declared table ──sql-table (options) ──sql-bind (catalog: table and columns exist)──▶ bound table
 *   bound table ──sql-read (keyset pages)──▶ rows          operation ──sql-apply (one statement)──▶ outcome
 *
 * Every database failure becomes a CON_SQL_ error at this boundary (translate-error.ts): unique
 * violations are never retried, a lost connection or a busy database is.
 */
export { sqlConnector } from './sql-connector.ts'
export {
  DEFAULT_PAGE_SIZE,
  type SqlConfig,
  sqlConfigSchema,
  type SqlTableOptions,
  sqlTableOptionsSchema,
} from './sql-schema.ts'
export { sqlError, type SqlErrorCode } from './sql-errors.ts'
export { sqlFunctions } from './sql-functions.ts'
export { hashPassword, verifyPassword } from './password-hash.ts'
export { translateSqlError, type SqlErrorContext } from './translate-error.ts'
