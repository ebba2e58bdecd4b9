/**
 * An API server for tests: the real server (buildServer) over a test vault and a copy of the HR500
 * project, with one user per role logged in through POST /api/session (real authentication: the
 * session cookie and CSRF token are kept and sent like a browser would). Requests go through
 * Fastify's inject, without a socket.
 *
 * @example
 * const server = await createTestServer('sqlite', { register: (app, ctx) => runsRoutes(app, ctx) })
 * const answer = await server.as('operator').post('/api/tasks/sync/runs')
 * assert.equal(answer.status, 201)
 */
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { type Clock, silentLogger, systemClock } from '../../src/core/index.ts'
import {
  type RoutePlugin,
  type ServerContext,
  type UserRole,
  USER_ROLES,
  addUser,
  buildServer,
  projectLoader,
} from '../../src/server/index.ts'
import { copyHr500 } from './cli.ts'
import { createTestVault } from './vaults.ts'

export type VaultKind = 'sqlite' | 'postgres'

export interface TestAnswer {
  readonly status: number
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  readonly json: any // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly headers: Record<string, unknown>
  /** The raw body. */
  readonly body: string
}

export interface TestClient {
  get(url: string): Promise<TestAnswer>
  post(url: string, body?: unknown): Promise<TestAnswer>
  put(url: string, body?: unknown): Promise<TestAnswer>
  patch(url: string, body?: unknown): Promise<TestAnswer>
  delete(url: string, body?: unknown): Promise<TestAnswer>
}

export type Who =
  UserRole | 'anonymous' | { readonly token: string } | { readonly session: string; readonly csrf?: string }

export interface TestServer {
  readonly app: FastifyInstance
  readonly ctx: ServerContext
  /** The project folder. */
  readonly dir: string
  /** Requests made as a role's user (logged in with a session cookie), anonymously, or with an API token. */
  as(who: Who): TestClient
  /** The session cookie value and CSRF token of a role's user. */
  session(role: UserRole): { readonly cookie: string; readonly csrfToken: string }
  close(): Promise<void>
}

export interface TestServerOptions {
  /** A project folder. @default a fresh copy of examples/hr500 (removed at close) */
  readonly project?: string | undefined
  /** Route plugins to register besides the core routes. */
  readonly register?: RoutePlugin | readonly RoutePlugin[] | undefined
  /** @default the system clock */
  readonly clock?: Clock | undefined
  readonly loginRateLimit?: { readonly max: number; readonly windowMs: number } | undefined
  /** A certificate and key: the server speaks HTTPS (for listening, e.g. browser tests). @default none (inject) */
  readonly tls?: { readonly cert: string; readonly key: string } | undefined
}

/** Each role's user is named after the role, with this password. */
export function testPassword(role: UserRole): string {
  return `${role}-password-for-tests`
}

/** The `provisio_session` value in a set-cookie header. */
export function sessionCookieOf(headers: Record<string, unknown>): string | undefined {
  const raw = headers['set-cookie']
  const all = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as string[]
  for (const cookie of all) {
    const match = /^provisio_session=([^;]*)/.exec(cookie)
    if (match !== null) return match[1]
  }
  return undefined
}

export async function createTestServer(kind: VaultKind, options: TestServerOptions = {}): Promise<TestServer> {
  const copy = options.project === undefined ? copyHr500() : undefined
  const dir = options.project ?? copy!.dir
  const vault = await createTestVault(kind, dir)
  const clock = options.clock ?? systemClock
  const ctx: ServerContext = {
    db: vault.driver,
    projectDir: dir,
    project: projectLoader(dir),
    clock,
    logger: silentLogger,
  }
  const register = options.register
  const routes = register === undefined ? [] : typeof register === 'function' ? [register] : register
  const app = await buildServer({ ctx, routes, loginRateLimit: options.loginRateLimit, tls: options.tls })
  await app.ready()

  const sessions = new Map<UserRole, { cookie: string; csrfToken: string }>()
  for (const role of USER_ROLES) {
    await addUser(vault.driver, clock, 'test', { name: role, role, password: testPassword(role) })
    const answer = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { name: role, password: testPassword(role) },
    })
    assert.equal(answer.statusCode, 200, `login of ${role}: ${answer.body}`)
    const cookie = sessionCookieOf(answer.headers)
    assert.ok(cookie, `login of ${role} set no session cookie`)
    sessions.set(role, { cookie, csrfToken: answer.json<{ csrfToken: string }>().csrfToken })
  }

  const client = (who: Who): TestClient => {
    const send = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
      const headers: Record<string, string> = {}
      if (typeof who === 'object' && 'token' in who) headers['authorization'] = `Bearer ${who.token}`
      else if (typeof who === 'object') {
        headers['cookie'] = `provisio_session=${who.session}`
        if (who.csrf !== undefined) headers['x-csrf-token'] = who.csrf
      } else if (who !== 'anonymous') {
        const session = sessions.get(who)!
        headers['cookie'] = `provisio_session=${session.cookie}`
        if (method !== 'GET') headers['x-csrf-token'] = session.csrfToken
      }
      const answer = await app.inject({
        method,
        url,
        headers,
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      })
      let json: unknown
      try {
        json = answer.body === '' ? undefined : JSON.parse(answer.body)
      } catch {
        json = undefined
      }
      return { status: answer.statusCode, json, headers: answer.headers as Record<string, unknown>, body: answer.body }
    }
    return {
      get: (url) => send('GET', url),
      post: (url, body) => send('POST', url, body),
      put: (url, body) => send('PUT', url, body),
      patch: (url, body) => send('PATCH', url, body),
      delete: (url, body) => send('DELETE', url, body),
    }
  }

  return {
    app,
    ctx,
    dir,
    as: client,
    session: (role) => sessions.get(role)!,
    async close() {
      await app.close()
      await vault.close()
      copy?.remove()
    },
  }
}
