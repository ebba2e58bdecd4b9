/**
 * One way to define an API route (docs/server.md): its method and URL, who may call it (`access`),
 * zod schemas for params, query, body and response, and a handler that gets the parsed input and
 * the user. The same schemas validate requests and make the OpenAPI document (openapi.ts), so the
 * two cannot drift apart. Access is checked here for every route, so a route without one cannot
 * exist: the API is closed by default.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { serverError } from './errors.ts'

/** What a route requires: nothing (`public`), reading, running work, or administration. */
export type Access = 'public' | 'read' | 'run' | 'admin'

/** The roles of users (DESIGN.md §10). */
export const USER_ROLES = ['admin', 'operator', 'auditor'] as const
export type UserRole = (typeof USER_ROLES)[number]

/** What each role may do: auditors read, operators also run and approve, admins everything. */
export const ROLE_ACCESS: Readonly<Record<UserRole, readonly Access[]>> = {
  admin: ['public', 'read', 'run', 'admin'],
  operator: ['public', 'read', 'run'],
  auditor: ['public', 'read'],
}

/** The user a request is made by, once authenticated (by a session cookie or an API token). */
export interface ServerUser {
  readonly id: number
  readonly name: string
  readonly role: UserRole
  readonly via: 'session' | 'token'
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook; undefined for an anonymous request. */
    provisioUser?: ServerUser | undefined
  }
  interface FastifyInstance {
    /** Every route defined with defineRoute, for the OpenAPI document. */
    provisioRoutes: RouteSpec[]
    /** Writes one admin audit record (set by buildServer; routes declare `audit` instead of calling it). */
    provisioAudit: (record: AuditEntry) => Promise<void>
  }
}

/** One admin audit record a route writes after it succeeded: who did what to which object. */
export interface AuditEntry {
  readonly actor: string
  /** `document.change`, `task.run`, `run.approve`, … (docs/server.md "Audit"). */
  readonly action: string
  readonly subject?: string | undefined
  /** Never a secret, a password or a token. */
  readonly details?: Record<string, unknown> | undefined
}

/**
 * How a changing route is audited: its action, and the subject and details taken from the parsed
 * input and the answer. Every route that changes something (any method but GET) declares one;
 * test/server/audit-coverage.test.ts checks that none is missing.
 */
export interface RouteAudit<P, Q, B, A> {
  readonly action: string
  subject?(input: { params: P; query: Q; body: B }, answer: A): string | undefined
  details?(input: { params: P; query: Q; body: B }, answer: A): Record<string, unknown> | undefined
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteInput<P, Q, B> {
  readonly params: P
  readonly query: Q
  readonly body: B
  /** Undefined only on `public` routes. */
  readonly user: ServerUser | undefined
  readonly request: FastifyRequest
  readonly reply: FastifyReply
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod
  /** Fastify syntax: `/api/runs/:id`. */
  readonly url: string
  readonly access: Access
  /** One line for the OpenAPI document. */
  readonly summary: string
  /** The OpenAPI tag: the area (`runs`, `vault`, …). */
  readonly tag: string
  readonly params?: P | undefined
  readonly query?: Q | undefined
  readonly body?: B | undefined
  /** The answer's shape (200, or `status`). */
  readonly response: R
  /** @default 200 */
  readonly status?: number | undefined
  /**
   * The admin audit record written when the route succeeds (by a user). Required of changing routes;
   * `'self'`: the handler writes its own records (the account routes, through src/server/auth).
   */
  readonly audit?: RouteAudit<z.output<P>, z.output<Q>, z.output<B>, z.input<R>> | 'self' | undefined
  /** A POST that changes nothing (a filter run, a preview): it needs no audit. */
  readonly readOnly?: true | undefined
  handler(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>
}

/** Whether a route is accounted for in the admin audit: reads, public routes, and changes that are audited. */
export function auditAccountedFor(spec: RouteSpec): boolean {
  return spec.method === 'GET' || spec.access === 'public' || spec.readOnly === true || spec.audit !== undefined
}

/** Whether `user` may call a route that requires `access`. */
export function allows(user: ServerUser | undefined, access: Access): boolean {
  if (access === 'public') return true
  return user !== undefined && ROLE_ACCESS[user.role].includes(access)
}

function parse<T extends z.ZodType>(
  schema: T | undefined,
  value: unknown,
  where: 'params' | 'query' | 'body',
): z.output<T> | undefined {
  if (schema === undefined) return undefined
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}))
  if (result.success) return result.data
  throw serverError('SRV_INVALID_REQUEST', `The request's ${where} do not match the API schema.`, {
    details: {
      where,
      issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    },
  })
}

/** Registers a route on `app`, with access checked and its input parsed before the handler runs. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  app: FastifyInstance,
  spec: RouteSpec<P, Q, B, R>,
): void {
  app.provisioRoutes.push(spec)
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (request, reply) => {
      const user = request.provisioUser
      if (spec.access !== 'public' && user === undefined)
        throw serverError('SRV_UNAUTHENTICATED', 'Log in or send an API token to use this route.')
      if (!allows(user, spec.access)) {
        throw serverError('SRV_FORBIDDEN', `The role ${user!.role} may not ${spec.method} ${spec.url}.`, {
          details: { role: user!.role, requires: spec.access },
        })
      }
      const input = {
        params: parse(spec.params, request.params, 'params') as z.output<P>,
        query: parse(spec.query, request.query, 'query') as z.output<Q>,
        body: parse(spec.body, request.body, 'body') as z.output<B>,
        user,
        request,
        reply,
      }
      const answer = await spec.handler(input)
      if (typeof spec.audit === 'object' && user !== undefined) {
        await app.provisioAudit({
          actor: user.name,
          action: spec.audit.action,
          subject: spec.audit.subject?.(input, answer),
          details: spec.audit.details?.(input, answer),
        })
      }
      reply.code(spec.status ?? 200)
      return answer
    },
  })
}
