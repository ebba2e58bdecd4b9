/**
 * The SQL connector: a system is a SQL database, a SQLite file or PostgreSQL, reached through the
 * vault's own query layer. It reads declared tables with keyset paging and writes them through
 * per-table functions (`<table>_create`, `_update`, `_delete`, and `_disable`/`_enable`; a
 * memberships table has `_add` and `_remove` instead).
 */
import type { ConnectorDefinition } from '../contract.ts'
import { createSqlConnection } from './sql-connection.ts'
import { sqlFunctions } from './sql-functions.ts'
import { type SqlConfig, sqlConfigSchema, type SqlTableOptions, sqlTableOptionsSchema } from './sql-schema.ts'
import { tableProblems } from './sql-table.ts'

/**
 * Reads and writes tables of a SQLite file or a PostgreSQL database.
 *
 * @example
 * const connection = await sqlConnector.open(sqlConfigSchema.parse({ file: 'data/directory.db' }), context)
 * for await (const page of connection.read({ table })) console.log(page.rows.length)
 * await connection.apply(operation, { table, function: sqlConnector.functions!(table, config)[0]! })
 */
export const sqlConnector: ConnectorDefinition<SqlConfig, SqlTableOptions> = {
  type: 'sql',
  displayName: 'SQL database (SQLite, PostgreSQL)',
  configSchema: sqlConfigSchema,
  tableOptionsSchema: sqlTableOptionsSchema,
  capabilities: {
    supportsIncrementalRead: false,
    supportsApply: true,
    requiresDeclaredTables: true,
  },
  functions: (table) => sqlFunctions(table),
  checkTable: (table) => tableProblems(table),
  async open(config, context) {
    return createSqlConnection(config, context)
  },
}
