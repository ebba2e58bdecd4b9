import type { Migration } from './migration.ts'

/**
 * What a run needs to be understood afterwards (DESIGN.md §9): the configuration revision it used,
 * the plans a task run evaluated (in job order, so an approval executes exactly those), who
 * approved or rejected it and when, and its log lines, which outlive the process. A configuration
 * revision is stored once per distinct configuration (its hash is unique): the document sources as
 * written, which hold `${env:…}` references, never resolved secrets.
 */
export const migration006: Migration = {
  id: 6,
  name: 'run details',
  up: (d) => [
    `ALTER TABLE runs ADD COLUMN config_revision BIGINT`,
    `ALTER TABLE runs ADD COLUMN plan_ids_json TEXT`,
    `ALTER TABLE runs ADD COLUMN approved_by TEXT`,
    `ALTER TABLE runs ADD COLUMN decided_at TEXT`,
    `CREATE INDEX runs_status ON runs (status, id)`,
    // seq is one sequence over all runs: appends from several writers never collide, and a run's
    // lines read in seq order are in the order they were written.
    `CREATE TABLE run_log (
      seq ${d.serialPrimaryKey},
      run_id BIGINT NOT NULL,
      at TEXT NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
      message TEXT NOT NULL,
      details_json TEXT
    )`,
    `CREATE INDEX run_log_run ON run_log (run_id, seq)`,
    `CREATE TABLE config_revisions (
      id ${d.serialPrimaryKey},
      hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      documents_json TEXT NOT NULL
    )`,
  ],
}
