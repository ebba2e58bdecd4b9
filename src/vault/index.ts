/**
 * vault: the SQL store of collected data, its history, and (with later layers) operations, runs and
 * audit. SQLite (embedded default) or PostgreSQL behind one small driver interface.
 */
export { vaultError } from './errors.ts'
export { type Dialect, type DialectName, quoteIdentifier, sqliteDialect, postgresDialect } from './driver/dialect.ts'
export type { SqlDriver, SqlExecutor, SqlValue, ColumnSpec } from './driver/sql-driver.ts'
export { openVaultDriver, openDriver, defaultVaultPath, DATA_FOLDER, type OpenVaultOptions } from './open-vault.ts'
export { migrate } from './migrate.ts'
export {
  writeCollection,
  type CollectOptions,
  type CollectTable,
  type CollectionResult,
  type TableResult,
} from './collection-writer.ts'
export { loadCollection, type LoadCollectionOptions } from './snapshot-load.ts'
export { resetVaultTable } from './reset-table.ts'
export { checkGuards, describeBreach, type CollectionGuards, type GuardBreach, type TableCounts } from './guards.ts'
export {
  listCollections,
  listVaultTables,
  queryRows,
  requireVaultTable,
  findVaultTable,
  type CollectionRecord,
  type VaultTableInfo,
  type QueryRowsOptions,
} from './vault-queries.ts'
export { rowHistory, type RowChange, type ColumnChange, type HistoryOptions } from './row-history.ts'
export { decodeRow } from './row-codec.ts'
export { type VaultTable, describeVaultTable, sqlBaseName } from './vault-table.ts'
export { RowPreparer, type StagePage } from './staging.ts'
export { compileTableCondition } from './table-condition.ts'
