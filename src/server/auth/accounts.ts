/**
 * Users and API tokens as the CLI (`provisio users`) and the API (/api/users, /api/tokens) change
 * them: the rules (name, password length, the last admin) and the admin audit record of each change.
 */
import type { Clock } from '../../core/index.ts'
import {
  type ApiTokenRecord,
  type SqlDriver,
  type UserRecord,
  appendAdminAudit,
  countActiveAdmins,
  deleteApiToken,
  deleteUser,
  deleteUserSessions,
  findUserByName,
  getApiToken,
  getUser,
  insertApiToken,
  insertUser,
  updateUser,
} from '../../vault/index.ts'
import { serverError } from '../errors.ts'
import type { UserRole } from '../route.ts'
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts'
import { API_TOKEN_PREFIX, randomToken, secretHash } from './secrets.ts'

const USER_NAME = /^[\p{L}\p{N}._@-]{1,64}$/u

/** Who made a change: a user of the API, or `cli` for the command line on the server. */
export type Actor = string

export async function requireUser(db: SqlDriver, name: string): Promise<UserRecord> {
  const user = await findUserByName(db, name)
  if (user === undefined) throw serverError('SRV_UNKNOWN_USER', `There is no user ${name}.`)
  return user
}

export async function addUser(
  db: SqlDriver,
  clock: Clock,
  actor: Actor,
  user: {
    name: string
    role: UserRole
    password: string
    /** A generated password the user must change at first login. @default false */
    oneTime?: boolean | undefined
  },
): Promise<UserRecord> {
  if (!USER_NAME.test(user.name))
    throw serverError('SRV_INVALID_USER_NAME', `The user name ${JSON.stringify(user.name)} is not allowed.`)
  checkPasswordStrength(user.password)
  const passwordHash = await hashPassword(user.password)
  const at = clock.now().toISOString()
  return db.transaction(async (tx) => {
    if ((await findUserByName(tx, user.name)) !== undefined)
      throw serverError('SRV_USER_EXISTS', `A user ${user.name} exists already.`)
    const mustChangePassword = user.oneTime === true
    const id = await insertUser(tx, { name: user.name, role: user.role, passwordHash, at, mustChangePassword })
    await appendAdminAudit(tx, {
      at,
      actor,
      action: 'user.add',
      subject: user.name,
      details: { role: user.role, ...(mustChangePassword ? { oneTime: true } : {}) },
    })
    return {
      id,
      name: user.name,
      role: user.role,
      passwordHash,
      disabled: false,
      createdAt: at,
      passwordChangedAt: at,
      mustChangePassword,
    }
  })
}

/** Throws SRV_LAST_ADMIN when `user` is the only enabled admin. */
async function keepAnAdmin(db: Parameters<typeof countActiveAdmins>[0], user: UserRecord, doing: string) {
  if (user.role === 'admin' && !user.disabled && (await countActiveAdmins(db)) <= 1)
    throw serverError('SRV_LAST_ADMIN', `${user.name} is the last admin and cannot be ${doing}.`)
}

export async function removeUser(db: SqlDriver, clock: Clock, actor: Actor, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await findUserByName(tx, name)
    if (user === undefined) throw serverError('SRV_UNKNOWN_USER', `There is no user ${name}.`)
    await keepAnAdmin(tx, user, 'removed')
    await deleteUser(tx, user.id)
    await appendAdminAudit(tx, {
      at: clock.now().toISOString(),
      actor,
      action: 'user.remove',
      subject: user.name,
      details: undefined,
    })
  })
}

export async function setRole(db: SqlDriver, clock: Clock, actor: Actor, name: string, role: UserRole): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await findUserByName(tx, name)
    if (user === undefined) throw serverError('SRV_UNKNOWN_USER', `There is no user ${name}.`)
    if (role !== 'admin') await keepAnAdmin(tx, user, 'demoted')
    const at = clock.now().toISOString()
    await updateUser(tx, user.id, { role, at })
    await appendAdminAudit(tx, {
      at,
      actor,
      action: 'user.role',
      subject: user.name,
      details: { from: user.role, to: role },
    })
  })
}

/**
 * Disables or enables a user. A disabled user cannot log in, and their sessions and API tokens stop
 * working at once (authentication checks the flag); the last enabled admin cannot be disabled.
 */
export async function setDisabled(
  db: SqlDriver,
  clock: Clock,
  actor: Actor,
  name: string,
  disabled: boolean,
): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await findUserByName(tx, name)
    if (user === undefined) throw serverError('SRV_UNKNOWN_USER', `There is no user ${name}.`)
    if (disabled) await keepAnAdmin(tx, user, 'disabled')
    const at = clock.now().toISOString()
    await updateUser(tx, user.id, { disabled, at })
    if (disabled) await deleteUserSessions(tx, user.id)
    await appendAdminAudit(tx, {
      at,
      actor,
      action: disabled ? 'user.disable' : 'user.enable',
      subject: user.name,
      details: undefined,
    })
  })
}

/**
 * Sets a new password and ends the user's sessions, so a stolen session does not outlive the change.
 * `oneTime`: the password was generated or chosen by someone else, and the user must change it at
 * their next login.
 */
export async function setPassword(
  db: SqlDriver,
  clock: Clock,
  actor: Actor,
  name: string,
  password: string,
  oneTime = false,
): Promise<void> {
  checkPasswordStrength(password)
  const passwordHash = await hashPassword(password)
  await db.transaction(async (tx) => {
    const user = await findUserByName(tx, name)
    if (user === undefined) throw serverError('SRV_UNKNOWN_USER', `There is no user ${name}.`)
    const at = clock.now().toISOString()
    await updateUser(tx, user.id, { passwordHash, mustChangePassword: oneTime, at })
    await deleteUserSessions(tx, user.id)
    await appendAdminAudit(tx, {
      at,
      actor,
      action: 'user.passwd',
      subject: user.name,
      details: oneTime ? { oneTime: true } : undefined,
    })
  })
}

/**
 * A user changes their own password (POST /api/session/password): the current one must be right,
 * and the new one strong and different. Clears the one-time flag; the user's other sessions end,
 * the one they are using (`keepSession`, the hash of its cookie) stays.
 */
export async function changeOwnPassword(
  db: SqlDriver,
  clock: Clock,
  userId: number,
  change: { current: string; new: string; keepSession: string | undefined },
): Promise<void> {
  const user = await getUser(db, userId)
  if (user === undefined) throw serverError('SRV_UNKNOWN_USER', `There is no user ${userId}.`)
  if (!(await verifyPassword(change.current, user.passwordHash)))
    throw serverError('SRV_WRONG_PASSWORD', 'The current password is wrong.')
  checkPasswordStrength(change.new)
  if (change.new.normalize('NFC') === change.current.normalize('NFC'))
    throw serverError('SRV_WEAK_PASSWORD', 'The new password is the same as the current one.')
  const passwordHash = await hashPassword(change.new)
  await db.transaction(async (tx) => {
    const at = clock.now().toISOString()
    await updateUser(tx, user.id, { passwordHash, mustChangePassword: false, at })
    await deleteUserSessions(tx, user.id, change.keepSession)
    await appendAdminAudit(tx, {
      at,
      actor: user.name,
      action: 'user.passwd',
      subject: user.name,
      details: { own: true },
    })
  })
}

/** Makes an API token for a user; the token itself is returned here once and never stored. */
export async function addApiToken(
  db: SqlDriver,
  clock: Clock,
  actor: Actor,
  request: { userName: string; label: string; expiresAt: Date | undefined },
): Promise<{ token: string; record: ApiTokenRecord }> {
  const user = await requireUser(db, request.userName)
  const token = `${API_TOKEN_PREFIX}${randomToken()}`
  const at = clock.now().toISOString()
  const id = await db.transaction(async (tx) => {
    const id = await insertApiToken(tx, {
      label: request.label,
      userId: user.id,
      tokenHash: secretHash(token),
      at,
      expiresAt: request.expiresAt?.toISOString(),
    })
    await appendAdminAudit(tx, {
      at,
      actor,
      action: 'token.add',
      subject: user.name,
      details: { id, label: request.label, expiresAt: request.expiresAt?.toISOString() },
    })
    return id
  })
  return { token, record: (await getApiToken(db, id))! }
}

/** Revokes a token; `ownerId` restricts it to that user's tokens (a non-admin revoking their own). */
export async function revokeApiToken(
  db: SqlDriver,
  clock: Clock,
  actor: Actor,
  id: number,
  ownerId?: number,
): Promise<void> {
  const token = await getApiToken(db, id)
  if (token === undefined || (ownerId !== undefined && token.userId !== ownerId))
    throw serverError('SRV_UNKNOWN_TOKEN', `There is no API token ${id}.`)
  await db.transaction(async (tx) => {
    await deleteApiToken(tx, id)
    await appendAdminAudit(tx, {
      at: clock.now().toISOString(),
      actor,
      action: 'token.revoke',
      subject: token.userName,
      details: { id, label: token.label },
    })
  })
}
