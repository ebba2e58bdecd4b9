/**
 * The configuration revision a run records: the project's documents as written, stored once per
 * distinct configuration, so every run can be traced to the configuration it ran with.
 */
import type { Clock } from '../core/index.ts'
import { type ValidatedProject, projectRevision } from '../config/index.ts'
import { type SqlDriver, storeConfigRevision } from '../vault/index.ts'

/** The revision's id and hash; the hash is computed once per loaded project. */
export async function recordRevision(
  db: SqlDriver,
  project: ValidatedProject,
  clock?: Clock,
): Promise<{ readonly id: number; readonly hash: string }> {
  let revision = computed.get(project)
  if (revision === undefined) computed.set(project, (revision = projectRevision(project)))
  return { id: await storeConfigRevision(db, revision, clock), hash: revision.hash }
}

const computed = new WeakMap<ValidatedProject, ReturnType<typeof projectRevision>>()
