/**
 * Configuration revisions: the project's documents as a run used them, stored once per distinct
 * configuration (by hash), so a run can always be traced to the configuration it ran with. Only
 * sources as written are stored; they hold `${env:…}` references, never resolved secrets.
 */
import { type Clock, systemClock } from '../../core/index.ts'
import type { SqlExecutor } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import type { RevisionDocument } from '../plan-types.ts'

export interface ConfigRevision {
  /** sha256 (hex) over the documents, see projectRevision in config. */
  readonly hash: string
  readonly documents: readonly RevisionDocument[]
}

export interface StoredConfigRevision extends ConfigRevision {
  readonly id: number
  readonly createdAt: string
}

/**
 * Stores a revision and returns its id, or the id of the revision stored before with the same hash.
 * Insert-or-ignore then select: two processes storing one revision at once both get the one row.
 */
export async function storeConfigRevision(
  db: SqlExecutor,
  revision: ConfigRevision,
  clock: Clock = systemClock,
): Promise<number> {
  const existing = await revisionId(db, revision.hash)
  if (existing !== undefined) return existing
  await db.run(
    'INSERT INTO config_revisions (hash, created_at, documents_json) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING',
    [revision.hash, clock.now().toISOString(), JSON.stringify(revision.documents)],
  )
  return (await revisionId(db, revision.hash))!
}

async function revisionId(db: SqlExecutor, hash: string): Promise<number | undefined> {
  const rows = await db.query<{ id: unknown }>('SELECT id FROM config_revisions WHERE hash = ?', [hash])
  return rows[0] === undefined ? undefined : Number(rows[0].id)
}

/** One stored revision; throws VLT_UNKNOWN_REVISION. */
export async function getConfigRevision(db: SqlExecutor, id: number): Promise<StoredConfigRevision> {
  const rows = await db.query<Record<string, unknown>>('SELECT * FROM config_revisions WHERE id = ?', [id])
  const r = rows[0]
  if (r === undefined)
    throw vaultError('VLT_UNKNOWN_REVISION', `There is no configuration revision ${id}.`, { details: { id } })
  return {
    id: Number(r['id']),
    hash: String(r['hash']),
    createdAt: String(r['created_at']),
    documents: JSON.parse(String(r['documents_json'])) as RevisionDocument[],
  }
}
