/**
 * The authentication hook: a request is made by the user of its session cookie or of its bearer
 * token, or by nobody. A changing request authenticated by cookie must also carry the session's
 * CSRF token in X-CSRF-Token (a browser sends cookies to any site's form; it never sends a custom
 * header cross-site), compared timing-safe. Bearer requests need none: no browser adds them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { serverError } from '../errors.ts'
import type { ServerContext } from '../context.ts'
import { sameSecret } from './secrets.ts'
import { sessionUser, tokenUser } from './sessions.ts'

export const SESSION_COOKIE = 'provisio_session'
export const CSRF_HEADER = 'x-csrf-token'
const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The session a request was authenticated by, for GET and DELETE /api/session. */
const sessions = new WeakMap<FastifyRequest, { token: string; csrfToken: string }>()

export function sessionOf(request: FastifyRequest): { token: string; csrfToken: string } | undefined {
  return sessions.get(request)
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
    request.provisioUser = session.user
    sessions.set(request, { token: cookie, csrfToken: session.csrfToken })
  }
}
