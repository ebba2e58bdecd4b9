/**
 * The authentication hook: a request is made by the user of its session cookie or of its bearer
 * token, or by nobody. A changing request authenticated by cookie must also carry the session's
 * CSRF token in X-CSRF-Token (a browser sends cookies to any site's form; it never sends a custom
 * header cross-site), compared timing-safe. Bearer requests need none: no browser adds them.
 * A session whose user has a one-time password may only see itself, log out and change the password
 * (SRV_PASSWORD_CHANGE_REQUIRED); API tokens are never held back, since only a user who has changed
 * theirs can make one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { serverError } from '../errors.ts'
import type { ServerContext } from '../context.ts'
import { sameSecret } from './secrets.ts'
import { sessionUser, tokenUser } from './sessions.ts'

export const SESSION_COOKIE = 'provisio_session'
export const CSRF_HEADER = 'x-csrf-token'
const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** What a session with a one-time password may still do: see itself, log in again, log out, change it. */
const WHILE_PASSWORD_CHANGE = new Set([
  'GET /api/session',
  'POST /api/session',
  'DELETE /api/session',
  'POST /api/session/password',
])

export interface RequestSession {
  readonly token: string
  readonly csrfToken: string
  readonly mustChangePassword: boolean
}

/** The session a request was authenticated by, for the /api/session routes. */
const sessions = new WeakMap<FastifyRequest, RequestSession>()

export function sessionOf(request: FastifyRequest): RequestSession | undefined {
  return sessions.get(request)
}

/**
 * Whether a session with a one-time password is held back from this request. Only API routes: the
 * Studio's own files must load, so that it can show the form to change the password.
 */
function heldBack(request: FastifyRequest): boolean {
  const url = request.routeOptions.url ?? request.url.split('?')[0]!
  return url.startsWith('/api/') && !WHILE_PASSWORD_CHANGE.has(`${request.method} ${url}`)
}

export function authenticator(ctx: ServerContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const authorization = request.headers.authorization
    if (authorization !== undefined) {
      const [scheme, token] = authorization.split(' ', 2)
      const user =
        scheme?.toLowerCase() === 'bearer' && token ? await tokenUser(ctx.db, ctx.clock, token.trim()) : undefined
      // A wrong token is an error even on a public route: a script should learn its token is bad.
      if (user === undefined) throw serverError('SRV_UNAUTHENTICATED', 'The API token is unknown, revoked or expired.')
      request.provisioUser = user
      return
    }
    const cookie = request.cookies[SESSION_COOKIE]
    if (cookie === undefined || cookie === '') return
    // An ended session leaves the request anonymous: the route decides (login still works).
    const session = await sessionUser(ctx.db, ctx.clock, cookie)
    if (session === undefined) return
    if (CHANGING.has(request.method)) {
      const sent = request.headers[CSRF_HEADER]
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken))
        throw serverError('SRV_CSRF', `The ${request.method} request has no valid X-CSRF-Token header.`)
    }
    if (session.mustChangePassword && heldBack(request))
      throw serverError(
        'SRV_PASSWORD_CHANGE_REQUIRED',
        `${session.user.name} must change their one-time password first.`,
      )
    request.provisioUser = session.user
    sessions.set(request, {
      token: cookie,
      csrfToken: session.csrfToken,
      mustChangePassword: session.mustChangePassword,
    })
  }
}
