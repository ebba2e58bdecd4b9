/**
 * Login sessions (migration 7). A session is found by the SHA-256 of its cookie value, which is
 * the only form stored; the CSRF token is kept so that the server can compare it.
 */
import type { SqlExecutor } from '../driver/sql-driver.ts'

export interface SessionRecord {
  readonly idHash: string
  readonly userId: number
  readonly csrfToken: string
  readonly createdAt: string
  readonly lastSeenAt: string
  readonly expiresAt: string
}

function toSession(r: Record<string, unknown>): SessionRecord {
  return {
    idHash: String(r['id_hash']),
    userId: Number(r['user_id']),
    csrfToken: String(r['csrf_token']),
    createdAt: String(r['created_at']),
    lastSeenAt: String(r['last_seen_at']),
    expiresAt: String(r['expires_at']),
  }
}

export async function insertSession(db: SqlExecutor, session: SessionRecord): Promise<void> {
  await db.run(
    `INSERT INTO user_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
    [session.idHash, session.userId, session.csrfToken, session.createdAt, session.lastSeenAt, session.expiresAt],
  )
}

export async function findSession(db: SqlExecutor, idHash: string): Promise<SessionRecord | undefined> {
  const rows = await db.query(
    'SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at FROM user_sessions WHERE id_hash = ?',
    [idHash],
  )
  return rows[0] === undefined ? undefined : toSession(rows[0])
}

export async function touchSession(db: SqlExecutor, idHash: string, at: string): Promise<void> {
  await db.run('UPDATE user_sessions SET last_seen_at = ? WHERE id_hash = ?', [at, idHash])
}

export async function deleteSession(db: SqlExecutor, idHash: string): Promise<void> {
  await db.run('DELETE FROM user_sessions WHERE id_hash = ?', [idHash])
}

/**
 * Ends every session of a user: after a password change, a role change or disabling. `exceptIdHash`
 * keeps one: the session a user changed their own password in.
 */
export async function deleteUserSessions(db: SqlExecutor, userId: number, exceptIdHash?: string): Promise<void> {
  if (exceptIdHash === undefined) await db.run('DELETE FROM user_sessions WHERE user_id = ?', [userId])
  else await db.run('DELETE FROM user_sessions WHERE user_id = ? AND id_hash <> ?', [userId, exceptIdHash])
}
