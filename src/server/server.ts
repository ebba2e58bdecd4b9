/**
 * The API server (DESIGN.md §10, docs/server.md): Fastify with security headers, cookies, the
 * authentication hook, CSRF, login rate limiting and one error shape, then the core routes (session,
 * users, tokens, health, OpenAPI, admin audit) and the route plugins given. `buildServer` makes the
 * app without listening: tests use inject, serve.ts listens over HTTPS.
 */
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { authenticator } from './auth/authenticate.ts'
import type { ServerContext } from './context.ts'
import { errorAnswer } from './error-answer.ts'
import { serverError } from './errors.ts'
import type { AuditEntry } from './route.ts'
import type { RoutePlugin } from './route-plugin.ts'
import { appendAdminAudit } from '../vault/index.ts'
import { CORE_ROUTES } from './routes/core-routes.ts'
import { defaultStudioDir, registerStudio, studioBuilt, studioFallback } from './studio.ts'

/**
 * The routes that check a password, the ones the rate limit guards: the login, and the change of
 * one's own password, whose `current` would otherwise let a stolen session guess the password.
 */
const PASSWORD_ROUTES = new Set(['POST /api/session', 'POST /api/session/password'])

export interface BuildServerOptions {
  readonly ctx: ServerContext
  /** Route plugins besides the core ones (ALL_ROUTES for the full API). */
  readonly routes?: readonly RoutePlugin[] | undefined
  /** A certificate and key in PEM: the server speaks HTTPS. False or absent: plain HTTP (inject). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer } | false | undefined
  /** Fastify's logger option. @default false */
  readonly logger?: FastifyServerOptions['logger'] | undefined
  /** Login attempts per address and window. @default 10 per minute */
  readonly loginRateLimit?: { readonly max: number; readonly windowMs: number } | undefined
  /** The built Studio to serve beside the API; false: the API alone. @default web/dist when it is built */
  readonly studio?: string | false | undefined
}

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { ctx } = options
  const app = (options.tls
    ? Fastify({ logger: options.logger ?? false, https: { cert: options.tls.cert, key: options.tls.key } })
    : Fastify({ logger: options.logger ?? false })) as unknown as FastifyInstance
  app.decorate('provisioRoutes', [])
  app.decorate('provisioAudit', (record: AuditEntry) =>
    appendAdminAudit(ctx.db, {
      ...record,
      at: ctx.clock.now().toISOString(),
      subject: record.subject,
      details: record.details,
    }),
  )

  app.setErrorHandler((error, request, reply) => {
    const { status, body, unexpected } = errorAnswer(error)
    if (unexpected) {
      ctx.logger.error('API request failed unexpectedly', {
        method: request.method,
        url: request.url,
        error: error instanceof Error ? error.message : String(error),
      })
    }
    return reply.code(status).send({ error: body })
  })
  const studio = options.studio ?? (studioBuilt(defaultStudioDir()) ? defaultStudioDir() : false)
  app.setNotFoundHandler((request, reply) => {
    if (studio !== false) {
      const page = studioFallback(request, reply)
      if (page !== undefined) return page
    }
    throw serverError('SRV_NOT_FOUND', `There is no route ${request.method} ${request.url.split('?')[0]}.`)
  })

  await app.register(fastifyHelmet)
  await app.register(fastifyCookie)
  // Before the rate-limit plugin's own onRoute hook, so that it sees the password routes' limit.
  const limit = options.loginRateLimit ?? { max: 10, windowMs: 60_000 }
  app.addHook('onRoute', (route) => {
    if (typeof route.method === 'string' && PASSWORD_ROUTES.has(`${route.method} ${route.url}`))
      route.config = { ...route.config, rateLimit: { max: limit.max, timeWindow: limit.windowMs } }
  })
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      serverError('SRV_RATE_LIMITED', `Too many password attempts from this address; try again in ${context.after}.`, {
        retryAfterMs: context.ttl,
      }),
  })
  app.addHook('onRequest', authenticator(ctx))
  if (studio !== false) await registerStudio(app, studio)

  for (const plugin of [...CORE_ROUTES, ...(options.routes ?? [])]) plugin(app, ctx)
  return app
}
