/**
 * Logging in and recognising who a request is made by: a session (cookie) or an API token (bearer).
 * Sessions end after 12 hours without a request, and 7 days after login in any case.
 */
import type { Clock } from '../../core/index.ts'
import {
  type SqlDriver,
  appendAdminAudit,
  deleteSession,
  findApiToken,
  findSession,
  findUserByName,
  getUser,
  insertSession,
  touchApiToken,
  touchSession,
} from '../../vault/index.ts'
import { serverError } from '../errors.ts'
import type { ServerUser } from '../route.ts'
import { verifyNobody, verifyPassword } from './passwords.ts'
import { API_TOKEN_PREFIX, randomToken, secretHash } from './secrets.ts'

export const SESSION_IDLE_MS = 12 * 3600_000
export const SESSION_MAX_MS = 7 * 24 * 3600_000
/** A session's last use is written at most this often: not one write per request. */
const TOUCH_EVERY_MS = 60_000

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  readonly token: string
  readonly csrfToken: string
  readonly user: ServerUser
  readonly expiresAt: Date
  /** The password is one-time: until it is changed, the session may do nothing else (authenticate.ts). */
  readonly mustChangePassword: boolean
}

/** Checks the password and opens a session; SRV_LOGIN_FAILED the same way for every reason. */
export async function login(
  db: SqlDriver,
  clock: Clock,
  name: string,
  password: string,
  from: string,
): Promise<NewSession> {
  const user = await findUserByName(db, name)
  const ok = user === undefined ? await verifyNobody(password) : await verifyPassword(password, user.passwordHash)
  const now = clock.now()
  if (!ok || user === undefined || user.disabled) {
    await appendAdminAudit(db, {
      at: now.toISOString(),
      actor: user?.name ?? name.slice(0, 64),
      action: 'login.failed',
      subject: undefined,
      details: { ip: from },
    })
    throw serverError('SRV_LOGIN_FAILED', 'The user name or password is wrong.')
  }
  const token = randomToken()
  const csrfToken = randomToken()
  const expiresAt = new Date(now.getTime() + SESSION_MAX_MS)
  await insertSession(db, {
    idHash: secretHash(token),
    userId: user.id,
    csrfToken,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  })
  await appendAdminAudit(db, {
    at: now.toISOString(),
    actor: user.name,
    action: 'login',
    subject: undefined,
    details: { ip: from },
  })
  return {
    token,
    csrfToken,
    user: { id: user.id, name: user.name, role: user.role, via: 'session' },
    expiresAt,
    mustChangePassword: user.mustChangePassword,
  }
}

export interface SessionUser {
  readonly user: ServerUser
  readonly csrfToken: string
  readonly mustChangePassword: boolean
}

/** The user of a session cookie, or undefined when the session is unknown, expired or its user disabled. */
export async function sessionUser(db: SqlDriver, clock: Clock, token: string): Promise<SessionUser | undefined> {
  const idHash = secretHash(token)
  const session = await findSession(db, idHash)
  if (session === undefined) return undefined
  const now = clock.now().getTime()
  const lastSeen = Date.parse(session.lastSeenAt)
  if (now >= Date.parse(session.expiresAt) || now >= lastSeen + SESSION_IDLE_MS) {
    await deleteSession(db, idHash)
    return undefined
  }
  const user = await getUser(db, session.userId)
  if (user === undefined || user.disabled) return undefined
  if (now - lastSeen >= TOUCH_EVERY_MS) await touchSession(db, idHash, new Date(now).toISOString())
  return {
    user: { id: user.id, name: user.name, role: user.role, via: 'session' },
    csrfToken: session.csrfToken,
    mustChangePassword: user.mustChangePassword,
  }
}

/** The user of an API token, or undefined when it is unknown, revoked, expired or its user disabled. */
export async function tokenUser(db: SqlDriver, clock: Clock, token: string): Promise<ServerUser | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return undefined
  const record = await findApiToken(db, secretHash(token))
  if (record === undefined) return undefined
  const now = clock.now()
  if (record.expiresAt !== undefined && now.getTime() >= Date.parse(record.expiresAt)) return undefined
  const user = await getUser(db, record.userId)
  if (user === undefined || user.disabled) return undefined
  if (record.lastUsedAt === undefined || now.getTime() - Date.parse(record.lastUsedAt) >= TOUCH_EVERY_MS)
    await touchApiToken(db, record.id, now.toISOString())
  return { id: user.id, name: user.name, role: user.role, via: 'token' }
}

export async function logout(db: SqlDriver, clock: Clock, token: string, user: ServerUser): Promise<void> {
  await deleteSession(db, secretHash(token))
  await appendAdminAudit(db, {
    at: clock.now().toISOString(),
    actor: user.name,
    action: 'logout',
    subject: undefined,
    details: undefined,
  })
}
