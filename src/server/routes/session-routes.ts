/**
 * /api/session: log in (a session cookie and the CSRF token to send with changes), who am I, log out.
 * Login is the only public route that checks a secret, so it alone is rate-limited (server.ts).
 */
import { z } from 'zod'
import { SESSION_COOKIE, sessionOf } from '../auth/authenticate.ts'
import { login, logout } from '../auth/sessions.ts'
import type { RoutePlugin } from '../route-plugin.ts'
import { USER_ROLES, defineRoute } from '../route.ts'

const SessionUser = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  via: z.enum(['session', 'token']),
})

export const sessionRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(app, {
    method: 'POST',
    url: '/api/session',
    access: 'public',
    tag: 'session',
    summary: 'Log in: sets the session cookie and answers the CSRF token for changing requests.',
    body: z.object({ name: z.string().min(1).max(200), password: z.string().min(1).max(1024) }),
    response: z.object({ user: SessionUser, csrfToken: z.string(), expiresAt: z.iso.datetime() }),
    handler: async ({ body, request, reply }) => {
      const session = await login(ctx.db, ctx.clock, body.name, body.password, request.ip)
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        path: '/',
        expires: session.expiresAt,
      })
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/session',
    access: 'read',
    tag: 'session',
    summary: 'The user the request is made by, and the CSRF token of the session (null with an API token).',
    response: z.object({ user: SessionUser, csrfToken: z.string().nullable() }),
    handler: async ({ user, request }) => ({ user: user!, csrfToken: sessionOf(request)?.csrfToken ?? null }),
  })

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/session',
    access: 'read',
    tag: 'session',
    summary: 'Log out: ends the session and clears its cookie.',
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ user, request, reply }) => {
      const session = sessionOf(request)
      if (session !== undefined) await logout(ctx.db, ctx.clock, session.token, user!)
      reply.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' })
      return { ok: true as const }
    },
  })
}
