/**
 * Tasks the tests add to a copy of the demo project (examples/hr500), and what they wait for.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'

/** The demo's daily sync, but its plans wait for a person's approval. */
export const APPROVED_SYNC = `kind: Task
name: approved_sync
type: sync
collect: [hr500, directory]
evaluate: [directory_accounts]
execute: true
approval: true
`

/** Adds {@link APPROVED_SYNC} to the project in `dir` (tasks/approved-sync.yaml). */
export function addApprovedSync(dir: string): void {
  writeFileSync(path.join(dir, 'tasks', 'approved-sync.yaml'), APPROVED_SYNC)
}

/** A run's status once it has ended. */
export const FINAL_RUN_STATUS = /^(succeeded|partially-failed|failed|stopped|interrupted|rejected)$/
