/**
 * Authorization across every route of the API: the core routes and every plugin in ALL_ROUTES, so
 * a route added to ALL_ROUTES is checked here without writing a test. For each route and role, an
 * allowed role is never answered 401 or 403, a role not allowed gets 403, and an anonymous request
 * gets 401 on every route that is not public. Requests carry placeholder parameters and an empty
 * body: what matters is that access is decided before anything else.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ALL_ROUTES, ROLE_ACCESS, USER_ROLES, type RouteSpec } from '../../src/server/index.ts'
import { type TestServer, createTestServer } from '../support/server.ts'
import { VAULT_KINDS } from '../support/vaults.ts'

/** `/api/runs/:id` with every parameter set to `1`: a value no route's schema should refuse before access. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, '1')
}

for (const kind of VAULT_KINDS) {
  describe(`authorization of every route (${kind} vault)`, () => {
    let server: TestServer
    let routes: RouteSpec[]
    before(async () => {
      server = await createTestServer(kind, { register: ALL_ROUTES, loginRateLimit: { max: 10_000, windowMs: 60_000 } })
      // Logging out ends the session the other checks use: it goes last.
      const logout = (r: RouteSpec) => r.method === 'DELETE' && r.url === '/api/session'
      routes = [...server.app.provisioRoutes].sort((a, b) => Number(logout(a)) - Number(logout(b)))
    })
    after(() => server.close())

    it('has routes to check', () => {
      assert.ok(routes.length >= 10, `${routes.length} routes`)
    })

    it('answers an anonymous request 401 on every route that is not public', async () => {
      for (const route of routes) {
        const answer = await server.as('anonymous')[method(route)](concrete(route.url), body(route))
        if (route.access === 'public')
          assert.ok(![401, 403].includes(answer.status), `${route.method} ${route.url} is public: ${answer.body}`)
        else assert.equal(answer.status, 401, `${route.method} ${route.url}: ${answer.body}`)
      }
    })

    for (const role of USER_ROLES) {
      it(`gives ${role} exactly the routes its role allows`, async () => {
        for (const route of routes) {
          const answer = await server.as(role)[method(route)](concrete(route.url), body(route))
          const where = `${role} ${route.method} ${route.url} (${route.access}): ${answer.status} ${answer.body}`
          if (ROLE_ACCESS[role].includes(route.access)) assert.ok(![401, 403].includes(answer.status), where)
          else {
            assert.equal(answer.status, 403, where)
            assert.equal(answer.json.error.code, 'SRV_FORBIDDEN', where)
          }
        }
      })
    }
  })
}

function method(route: RouteSpec): 'get' | 'post' | 'put' | 'patch' | 'delete' {
  return route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
}

function body(route: RouteSpec): unknown {
  return route.method === 'GET' || route.method === 'DELETE' ? undefined : {}
}
