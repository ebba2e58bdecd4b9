/**
 * API tokens for scripts (migration 7): a label, the user it acts as, and the SHA-256 of the token,
 * which is shown once when made and never stored.
 */
import type { SqlExecutor } from '../driver/sql-driver.ts'

export interface ApiTokenRecord {
  readonly id: number
  readonly label: string
  readonly userId: number
  readonly userName: string
  readonly createdAt: string
  readonly lastUsedAt: string | undefined
  readonly expiresAt: string | undefined
}

const SELECT = `SELECT t.id, t.label, t.user_id, u.name AS user_name, t.created_at, t.last_used_at, t.expires_at
  FROM api_tokens t JOIN api_users u ON u.id = t.user_id`

function toToken(r: Record<string, unknown>): ApiTokenRecord {
  return {
    id: Number(r['id']),
    label: String(r['label']),
    userId: Number(r['user_id']),
    userName: String(r['user_name']),
    createdAt: String(r['created_at']),
    lastUsedAt: (r['last_used_at'] as string | null) ?? undefined,
    expiresAt: (r['expires_at'] as string | null) ?? undefined,
  }
}

export async function insertApiToken(
  db: SqlExecutor,
  token: { label: string; userId: number; tokenHash: string; at: string; expiresAt: string | undefined },
): Promise<number> {
  const rows = await db.query<{ id: unknown }>(
    `INSERT INTO api_tokens (label, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
    [token.label, token.userId, token.tokenHash, token.at, token.expiresAt ?? null],
  )
  return Number(rows[0]!.id)
}

export async function findApiToken(db: SqlExecutor, tokenHash: string): Promise<ApiTokenRecord | undefined> {
  const rows = await db.query(`${SELECT} WHERE t.token_hash = ?`, [tokenHash])
  return rows[0] === undefined ? undefined : toToken(rows[0])
}

export async function getApiToken(db: SqlExecutor, id: number): Promise<ApiTokenRecord | undefined> {
  const rows = await db.query(`${SELECT} WHERE t.id = ?`, [id])
  return rows[0] === undefined ? undefined : toToken(rows[0])
}

/** The tokens of one user, or of everyone. */
export async function listApiTokens(db: SqlExecutor, userId?: number): Promise<ApiTokenRecord[]> {
  const rows =
    userId === undefined
      ? await db.query(`${SELECT} ORDER BY t.id`)
      : await db.query(`${SELECT} WHERE t.user_id = ? ORDER BY t.id`, [userId])
  return rows.map(toToken)
}

export async function touchApiToken(db: SqlExecutor, id: number, at: string): Promise<void> {
  await db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [at, id])
}

export async function deleteApiToken(db: SqlExecutor, id: number): Promise<void> {
  await db.run('DELETE FROM api_tokens WHERE id = ?', [id])
}
