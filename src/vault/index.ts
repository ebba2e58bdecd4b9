/**
 * vault: the SQL store of collected data, its history, and (with later layers) operations, runs and
 * audit. SQLite (embedded default) or PostgreSQL behind one small driver interface.
 */
export { vaultError } from './errors.ts'
export { type Dialect, type DialectName, quoteIdentifier, sqliteDialect, postgresDialect } from './driver/dialect.ts'
export type { SqlDriver, SqlExecutor, SqlValue, ColumnSpec } from './driver/sql-driver.ts'
export {
  openVaultDriver,
  openDriver,
  openReader,
  defaultVaultPath,
  DATA_FOLDER,
  type OpenVaultOptions,
} from './open-vault.ts'
export { migrate } from './migrate.ts'
export {
  writeCollection,
  type CollectOptions,
  type CollectTable,
  type CollectionResult,
  type TableResult,
} from './collection-writer.ts'
export { loadCollection, type LoadCollectionOptions } from './snapshot-load.ts'
export { findWatermark } from './watermarks.ts'
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
export { pageRows, type PageRowsOptions, type RowPage } from './row-pages.ts'
export { rowHistory, type RowChange, type ColumnChange, type HistoryOptions } from './row-history.ts'
export { decodeRow } from './row-codec.ts'
export { type VaultTable, describeVaultTable, sqlBaseName } from './vault-table.ts'
export {
  ensureJoinIndexes,
  ensureJoinIndexesOnce,
  joinedColumns,
  joinIndexName,
  withJoinIndexes,
  type JoinedProject,
  type JoinIndexOptions,
  type JoinIndexReport,
} from './join-indexes.ts'
export { RowPreparer, type StagePage } from './staging.ts'
export { compileTableCondition } from './table-condition.ts'
export type {
  AuditRecord,
  NewOperation,
  OperationStatus,
  PlanRecord,
  PlanSource,
  PlanStatus,
  PlanStepSummary,
  RunRecord,
  RunStatus,
  RunLogEntry,
  StoredRunLogEntry,
  RevisionDocument,
  StoredOperation,
} from './plan-types.ts'
export { SECRET_SET } from './plan-types.ts'
export {
  createPlan,
  updatePlan,
  getPlan,
  listPlans,
  PLAN_TRANSITIONS,
  isExecutable,
  type CreatePlanOptions,
  type UpdatePlanOptions,
  type ListPlansOptions,
} from './plans/plan-store.ts'
export {
  insertOperations,
  streamOperations,
  getOperations,
  countOperations,
  markRunning,
  requeueOperations,
  findInDoubt,
  type InsertedOperations,
  type StreamOperationsOptions,
  type OperationCounts,
  type FindInDoubtOptions,
} from './plans/operation-store.ts'
export {
  createRun,
  finishRun,
  setRunPlan,
  setRunPlans,
  changeRunStatus,
  getRun,
  interruptRuns,
  listRuns,
  findRunPlan,
  type CreateRunOptions,
  type FinishRunOptions,
  type ListRunsOptions,
  type ChangeRunStatusOptions,
} from './plans/run-store.ts'
export { appendRunLog, readRunLog, countRunLog, type ReadRunLogOptions } from './plans/run-log.ts'
export {
  storeConfigRevision,
  getConfigRevision,
  type ConfigRevision,
  type StoredConfigRevision,
} from './plans/config-revisions.ts'
export { closeInterruptedExecution, type ClosedExecution } from './plans/interrupted-execution.ts'
export { searchAudit, streamAudit, type AuditSearch } from './plans/audit-log.ts'
export {
  lookupCurrentRows,
  lookupCurrentHashes,
  requireTargetTable,
  streamCurrentColumns,
  type LookupValue,
  type LookupOptions,
  type TargetRow,
} from './plans/target-rows.ts'
export type { WriteBack, TargetKey } from './plans/write-back-state.ts'
export type { OperationOutcome, WriteBackProblem } from './plans/settle.ts'
export { OutcomeWriter, type OutcomeWriterOptions } from './plans/outcome-writer.ts'
export {
  acquireExecutionLease,
  withExecutionLease,
  DEFAULT_LEASE_STALE_MS,
  type ExecutionLease,
  type LeaseOptions,
} from './plans/execution-lease.ts'
export {
  activateRoleModel,
  getActiveRoleModel,
  getRoleModel,
  listRoleModels,
  type ActivateRoleModel,
  type ListRoleModelsOptions,
  type RoleModelState,
  type StoredRoleModel,
} from './role-models.ts'
export {
  insertUser,
  findUserByName,
  getUser,
  listUsers,
  updateUser,
  deleteUser,
  countActiveAdmins,
  userNameKey,
  type UserRecord,
  type StoredUserRole,
} from './users/user-store.ts'
export {
  insertSession,
  findSession,
  touchSession,
  deleteSession,
  deleteUserSessions,
  type SessionRecord,
} from './users/session-store.ts'
export {
  insertApiToken,
  findApiToken,
  getApiToken,
  listApiTokens,
  touchApiToken,
  deleteApiToken,
  type ApiTokenRecord,
} from './users/token-store.ts'
export { appendAdminAudit, listAdminAudit, type AdminAuditRecord, type AdminAuditQuery } from './users/admin-audit.ts'
export {
  setSecret,
  listSecrets,
  removeSecret,
  readSecrets,
  rotateSecretKey,
  requireSecretName,
  unknownSecret,
  type SecretRecord,
  type SetSecretOptions,
} from './secrets/secret-store.ts'
export { type SecretKey, parseSecretKey, keyIdOf } from './secrets/secret-cipher.ts'
export {
  loadSecretKey,
  loadStoreKey,
  newSecretKey,
  defaultKeyFile,
  type SecretKeyOptions,
  type NewSecretKey,
} from './secrets/secret-key.ts'
