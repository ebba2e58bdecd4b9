import type { Migration } from './migration.ts'

/**
 * One row per target system while a run writes to it: who holds it and when it last said it was
 * alive. Keeps two runs from executing against one system at once (see plans/execution-lease.ts).
 */
export const migration003: Migration = {
  id: 3,
  name: 'execution leases',
  up: () => [
    `CREATE TABLE execution_leases (
      system TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      holder TEXT NOT NULL,
      acquired_at TEXT NOT NULL,
      heartbeat_at TEXT NOT NULL
    )`,
  ],
}
