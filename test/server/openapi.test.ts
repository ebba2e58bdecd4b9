/** The OpenAPI document: every route in it, with its parameters, body, responses and security. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ALL_ROUTES, httpStatusOf } from '../../src/server/index.ts'
import { registeredErrors } from '../../src/core/index.ts'
import { type TestServer, createTestServer } from '../support/server.ts'

describe('GET /api/openapi.json', () => {
  let server: TestServer
  before(async () => {
    server = await createTestServer('sqlite', { register: ALL_ROUTES })
  })
  after(() => server.close())

  it('is public, valid JSON, and describes every route', async () => {
    const answer = await server.as('anonymous').get('/api/openapi.json')
    assert.equal(answer.status, 200)
    const doc = JSON.parse(answer.body)
    assert.equal(doc.openapi, '3.1.0')
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearerToken', 'sessionCookie'])
    assert.equal(doc.components.securitySchemes.sessionCookie.name, 'provisio_session')
    assert.deepEqual(doc.components.schemas.Error.properties.error.required, ['code', 'message', 'hint', 'details'])
    const operationIds = new Set<string>()
    for (const route of server.app.provisioRoutes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}')
      const operation = doc.paths[path]?.[route.method.toLowerCase()]
      assert.ok(operation, `${route.method} ${route.url} is in the document`)
      assert.deepEqual(operation.tags, [route.tag])
      assert.ok(operation.responses[String(route.status ?? 200)].content['application/json'].schema)
      assert.equal(operation.responses.default.$ref, '#/components/responses/Error')
      assert.deepEqual(operation.security.length === 0, route.access === 'public')
      for (const name of route.url.match(/:(\w+)/g) ?? [])
        assert.ok(
          operation.parameters.some((p: { name: string; in: string }) => p.in === 'path' && `:${p.name}` === name),
        )
      assert.equal(operation.requestBody !== undefined, route.body !== undefined)
      assert.ok(!operationIds.has(operation.operationId), operation.operationId)
      operationIds.add(operation.operationId)
    }
    const login = doc.paths['/api/session'].post
    assert.deepEqual(login.requestBody.content['application/json'].schema.required.sort(), ['name', 'password'])
  })
})

describe('HTTP status of error codes', () => {
  it('maps every registered code to a 4xx or 5xx status, from one table', () => {
    for (const { code, audience } of registeredErrors()) {
      const status = httpStatusOf({ code, audience })
      assert.ok(status >= 400 && status < 600, `${code}: ${status}`)
    }
    const expect: Record<string, number> = {
      SRV_UNAUTHENTICATED: 401,
      SRV_FORBIDDEN: 403,
      SRV_CSRF: 403,
      SRV_INVALID_REQUEST: 400,
      SRV_NOT_FOUND: 404,
      SRV_RATE_LIMITED: 429,
      JOB_UNKNOWN_TASK: 404,
      VLT_UNKNOWN_RUN: 404,
      JOB_TASK_RUNNING: 409,
      VLT_EXECUTION_BUSY: 409,
      CFG_INVALID: 422,
      CFG_UNKNOWN_COLUMN: 422,
      BUG_UNEXPECTED: 500,
    }
    for (const [code, status] of Object.entries(expect))
      assert.equal(httpStatusOf({ code, audience: 'user' }), status, code)
  })
})
