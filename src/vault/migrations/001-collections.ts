import type { Migration } from './migration.ts'

/** Collections, their per-table counts, and the registry of collected tables. */
export const migration001: Migration = {
  id: 1,
  name: 'collections',
  up: (d) => [
    `CREATE TABLE collections (
      id ${d.serialPrimaryKey},
      system TEXT NOT NULL,
      kind TEXT NOT NULL,
      status TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      duration_ms INTEGER,
      source_collection_id INTEGER,
      forced INTEGER NOT NULL DEFAULT 0,
      error_code TEXT,
      message TEXT
    )`,
    `CREATE INDEX collections_system ON collections (system, id)`,
    `CREATE TABLE collection_tables (
      collection_id INTEGER NOT NULL,
      table_name TEXT NOT NULL,
      rows_before INTEGER NOT NULL,
      rows_after INTEGER NOT NULL,
      added INTEGER NOT NULL,
      changed INTEGER NOT NULL,
      removed INTEGER NOT NULL,
      PRIMARY KEY (collection_id, table_name)
    )`,
    `CREATE TABLE vault_tables (
      system TEXT NOT NULL,
      table_name TEXT NOT NULL,
      sql_name TEXT NOT NULL UNIQUE,
      schema_json TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (system, table_name)
    )`,
  ],
}
