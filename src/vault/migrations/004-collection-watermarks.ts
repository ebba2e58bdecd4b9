import type { Migration } from './migration.ts'

/**
 * Incremental collection: per collected table, the watermark its read returned (where a later read
 * may start), what that watermark is valid for (a fingerprint of the system's configuration and the
 * table's declaration: a changed filter or a new column needs a full read), and whether the table
 * was collected incrementally (a delta, which cannot see removals). Write-backs and loads read
 * nothing: they keep the defaults.
 */
export const migration004: Migration = {
  id: 4,
  name: 'collection watermarks',
  up: () => [
    `ALTER TABLE collection_tables ADD COLUMN watermark TEXT`,
    `ALTER TABLE collection_tables ADD COLUMN watermark_scope TEXT`,
    `ALTER TABLE collection_tables ADD COLUMN incremental INTEGER NOT NULL DEFAULT 0`,
  ],
}
