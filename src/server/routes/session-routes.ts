/**
 * /api/session: log in (a session cookie and the CSRF token to send with changes), who am I, log out,
 * change one's own password. `mustChangePassword` says the password is one-time: until it is changed,
 * every other API route answers SRV_PASSWORD_CHANGE_REQUIRED (auth/authenticate.ts).
 * Login and the password change check a password, so both are rate-limited (server.ts).
 * These routes write their admin audit records themselves (login, logout, user.passwd).
 */
import { z } from 'zod'
import { changeOwnPassword } from '../auth/accounts.ts'
import { SESSION_COOKIE, sessionOf } from '../auth/authenticate.ts'
import { MIN_PASSWORD_LENGTH } from '../auth/passwords.ts'
import { secretHash } from '../auth/secrets.ts'
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
    response: z.object({
      user: SessionUser,
      csrfToken: z.string(),
      expiresAt: z.iso.datetime(),
      mustChangePassword: z.boolean().describe('The password is one-time: change it with POST /api/session/password'),
    }),
    handler: async ({ body, request, reply }) => {
      const session = await login(ctx.db, ctx.clock, body.name, body.password, request.ip)
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        path: '/',
        expires: session.expiresAt,
      })
      return {
        user: session.user,
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
        mustChangePassword: session.mustChangePassword,
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/session',
    access: 'read',
    tag: 'session',
    summary: 'The user the request is made by, and the CSRF token of the session (null with an API token).',
    response: z.object({
      user: SessionUser,
      csrfToken: z.string().nullable(),
      mustChangePassword: z.boolean().describe('Always false with an API token'),
    }),
    handler: async ({ user, request }) => {
      const session = sessionOf(request)
      return {
        user: user!,
        csrfToken: session?.csrfToken ?? null,
        mustChangePassword: session?.mustChangePassword ?? false,
      }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/session/password',
    access: 'read',
    audit: 'self', // src/server/auth writes its own admin audit record (user.passwd)
    tag: 'session',
    summary:
      "Changes the user's own password (the only change allowed while it is one-time); ends their other sessions.",
    body: z.object({
      current: z.string().min(1).max(1024),
      new: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
    }),
    response: z.object({ ok: z.literal(true), mustChangePassword: z.literal(false) }),
    handler: async ({ body, user, request }) => {
      const session = sessionOf(request)
      await changeOwnPassword(ctx.db, ctx.clock, user!.id, {
        current: body.current,
        new: body.new,
        keepSession: session === undefined ? undefined : secretHash(session.token),
      })
      return { ok: true as const, mustChangePassword: false as const }
    },
  })

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/session',
    access: 'read',
    audit: 'self', // src/server/auth writes its own admin audit record
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
