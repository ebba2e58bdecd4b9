import type { Dialect } from '../driver/dialect.ts'
import type { Migration } from './migration.ts'

/**
 * Audit records are immutable: the database itself refuses to change or delete them, so no code
 * path (and no bug) can rewrite what was done to a target. Retention, when it comes, is a migration.
 */
function immutableAudit(d: Dialect): string[] {
  if (d.name === 'sqlite') {
    return ['UPDATE', 'DELETE'].map(
      (event) =>
        `CREATE TRIGGER audit_immutable_${event.toLowerCase()} BEFORE ${event} ON audit
         BEGIN SELECT RAISE(ABORT, 'audit records are immutable'); END`,
    )
  }
  return [
    `CREATE FUNCTION audit_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'audit records are immutable'; END $$`,
    `CREATE TRIGGER audit_immutable BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_immutable()`,
    `CREATE TRIGGER audit_immutable_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_immutable()`,
  ]
}

/** Plans and their operations, runs, the audit, and the run a write-back collection belongs to. */
export const migration002: Migration = {
  id: 2,
  name: 'plans',
  up: (d) => [
    `CREATE TABLE plans (
      id ${d.serialPrimaryKey},
      source_kind TEXT NOT NULL,
      source_name TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      executed_at TEXT,
      steps_json TEXT NOT NULL
    )`,
    `CREATE INDEX plans_source ON plans (source_kind, source_name, id)`,
    // Values (attributes, before, key) are JSON text: their types survive the round trip on both
    // databases, and the store never queries inside them.
    `CREATE TABLE plan_operations (
      plan_id BIGINT NOT NULL,
      seq BIGINT NOT NULL,
      id TEXT NOT NULL,
      step INTEGER NOT NULL,
      mapping TEXT NOT NULL,
      system TEXT NOT NULL,
      table_name TEXT NOT NULL,
      function_name TEXT NOT NULL,
      semantics TEXT NOT NULL,
      key_column TEXT,
      key_json TEXT,
      attributes_json TEXT NOT NULL,
      before_json TEXT,
      secrets_json TEXT,
      source_json TEXT,
      target_hash TEXT,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      error_code TEXT,
      message TEXT,
      started_at TEXT,
      finished_at TEXT,
      PRIMARY KEY (plan_id, seq)
    )`,
    `CREATE INDEX plan_operations_id ON plan_operations (id)`,
    `CREATE INDEX plan_operations_status ON plan_operations (plan_id, status, seq)`,
    // Operations in doubt are few (at most what was in flight when a process died): a partial index
    // finds them across all plans without reading the millions that are settled.
    `CREATE INDEX plan_operations_running ON plan_operations (system, plan_id, seq) WHERE status = 'running'`,
    `CREATE TABLE runs (
      id ${d.serialPrimaryKey},
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      plan_id BIGINT,
      actor TEXT NOT NULL,
      status TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      counts_json TEXT NOT NULL,
      error_code TEXT,
      message TEXT
    )`,
    `CREATE INDEX runs_name ON runs (kind, name, id)`,
    `CREATE TABLE audit (
      id ${d.serialPrimaryKey},
      at TEXT NOT NULL,
      run_id BIGINT,
      plan_id BIGINT,
      operation_id TEXT NOT NULL,
      mapping TEXT NOT NULL,
      system TEXT NOT NULL,
      table_name TEXT NOT NULL,
      function_name TEXT NOT NULL,
      semantics TEXT NOT NULL,
      key_column TEXT,
      key_text TEXT,
      key_json TEXT,
      before_json TEXT,
      after_json TEXT,
      outcome TEXT NOT NULL,
      error_code TEXT,
      message TEXT,
      actor TEXT NOT NULL
    )`,
    // Searches are newest first (by id); these serve "this key", "this system", "this run" and time ranges.
    `CREATE INDEX audit_key ON audit (key_text, id)`,
    `CREATE INDEX audit_system ON audit (system, id)`,
    `CREATE INDEX audit_run ON audit (run_id, id)`,
    `CREATE INDEX audit_at ON audit (at)`,
    ...immutableAudit(d),
    `ALTER TABLE collections ADD COLUMN run_id BIGINT`,
  ],
}
