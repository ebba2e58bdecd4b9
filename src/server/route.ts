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
  }
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
  handler(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>
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
      reply.code(spec.status ?? 200)
      return answer
    },
  })
}
