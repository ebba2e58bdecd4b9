/**
 * The API's local users (migration 7): a name unique regardless of case, a role and a password
 * hash. The hash is made and checked by the server layer; the vault only keeps it.
 */
import type { SqlExecutor } from '../driver/sql-driver.ts'

export type StoredUserRole = 'admin' | 'operator' | 'auditor'

export interface UserRecord {
  readonly id: number
  readonly name: string
  readonly role: StoredUserRole
  readonly passwordHash: string
  readonly disabled: boolean
  readonly createdAt: string
  readonly passwordChangedAt: string
  /** The password was generated for the user (migration 9): they must choose their own first. */
  readonly mustChangePassword: boolean
}

const COLUMNS = 'id, name, role, password_hash, disabled, created_at, password_changed_at, must_change_password'

function toUser(r: Record<string, unknown>): UserRecord {
  return {
    id: Number(r['id']),
    name: String(r['name']),
    role: r['role'] as StoredUserRole,
    passwordHash: String(r['password_hash']),
    disabled: Number(r['disabled']) === 1,
    createdAt: String(r['created_at']),
    passwordChangedAt: String(r['password_changed_at']),
    mustChangePassword: Number(r['must_change_password']) === 1,
  }
}

/** The key names are unique by: `Alice` and `alice` are one user. */
export function userNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase()
}

export async function insertUser(
  db: SqlExecutor,
  user: { name: string; role: StoredUserRole; passwordHash: string; at: string; mustChangePassword?: boolean },
): Promise<number> {
  const rows = await db.query<{ id: unknown }>(
    `INSERT INTO api_users
       (name, name_key, role, password_hash, disabled, created_at, password_changed_at, must_change_password)
     VALUES (?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`,
    [
      user.name,
      userNameKey(user.name),
      user.role,
      user.passwordHash,
      user.at,
      user.at,
      user.mustChangePassword === true ? 1 : 0,
    ],
  )
  return Number(rows[0]!.id)
}

export async function findUserByName(db: SqlExecutor, name: string): Promise<UserRecord | undefined> {
  const rows = await db.query(`SELECT ${COLUMNS} FROM api_users WHERE name_key = ?`, [userNameKey(name)])
  return rows[0] === undefined ? undefined : toUser(rows[0])
}

export async function getUser(db: SqlExecutor, id: number): Promise<UserRecord | undefined> {
  const rows = await db.query(`SELECT ${COLUMNS} FROM api_users WHERE id = ?`, [id])
  return rows[0] === undefined ? undefined : toUser(rows[0])
}

export async function listUsers(db: SqlExecutor): Promise<UserRecord[]> {
  return (await db.query(`SELECT ${COLUMNS} FROM api_users ORDER BY name_key`)).map(toUser)
}

export async function updateUser(
  db: SqlExecutor,
  id: number,
  change: {
    role?: StoredUserRole
    passwordHash?: string
    disabled?: boolean
    /** With a new password: whether it is one-time (generated) or the user's own. @default false */
    mustChangePassword?: boolean
    at: string
  },
): Promise<void> {
  if (change.role !== undefined) await db.run('UPDATE api_users SET role = ? WHERE id = ?', [change.role, id])
  if (change.disabled !== undefined)
    await db.run('UPDATE api_users SET disabled = ? WHERE id = ?', [change.disabled ? 1 : 0, id])
  if (change.passwordHash !== undefined)
    await db.run(
      'UPDATE api_users SET password_hash = ?, password_changed_at = ?, must_change_password = ? WHERE id = ?',
      [change.passwordHash, change.at, change.mustChangePassword === true ? 1 : 0, id],
    )
}

/** Removes a user with their sessions and API tokens. */
export async function deleteUser(db: SqlExecutor, id: number): Promise<void> {
  await db.run('DELETE FROM user_sessions WHERE user_id = ?', [id])
  await db.run('DELETE FROM api_tokens WHERE user_id = ?', [id])
  await db.run('DELETE FROM api_users WHERE id = ?', [id])
}

/** How many enabled admins there are: the last one may not be removed, demoted or disabled. */
export async function countActiveAdmins(db: SqlExecutor): Promise<number> {
  const rows = await db.query<{ n: unknown }>(
    `SELECT COUNT(*) AS n FROM api_users WHERE role = 'admin' AND disabled = 0`,
  )
  return Number(rows[0]!.n)
}
