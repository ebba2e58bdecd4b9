/**
 * The OpenAPI 3.1 document of the API, built from the routes defined with defineRoute and their zod
 * schemas (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses), so it cannot drift from what
 * the server validates.
 */
import { z } from 'zod'
import type { RouteSpec } from './route.ts'
import { PROVISIO_VERSION } from './version.ts'

type Json = Record<string, unknown>

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json
  return rest
}

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'hint', 'details'],
      properties: {
        code: { type: 'string', description: 'A stable code from docs/errors.md.' },
        message: { type: 'string' },
        hint: { type: ['string', 'null'], description: 'What to do about it.' },
        details: { type: ['object', 'null'], additionalProperties: true },
      },
    },
  },
}

/** `/api/runs/:id` → `/api/runs/{id}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (schema === undefined) return []
  const json = schemaOf(schema, 'input')
  const properties = (json['properties'] ?? {}) as Record<string, Json>
  const required = new Set((json['required'] ?? []) as string[])
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
  }))
}

function operationOf(route: RouteSpec): Json {
  const status = String(route.status ?? 200)
  const errors: Json = { default: { $ref: '#/components/responses/Error' } }
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method.toLowerCase()}${openApiPath(route.url).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    'x-provisio-access': route.access,
    security: route.access === 'public' ? [] : [{ sessionCookie: [] }, { bearerToken: [] }],
    parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: !route.body.safeParse(undefined).success,
            content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
          },
        }),
    responses: {
      [status]: {
        description: 'Success',
        content: { 'application/json': { schema: schemaOf(route.response, 'output') } },
      },
      ...errors,
    },
  }
}

export function openApiDocument(routes: readonly RouteSpec[]): Json {
  const paths: Record<string, Json> = {}
  for (const route of routes) {
    const path = openApiPath(route.url)
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Provisio API',
      version: PROVISIO_VERSION,
      description:
        'The HTTPS API of `provisio serve` (docs/server.md). Log in with POST /api/session (a cookie, and the CSRF token for X-CSRF-Token) or send an API token as `Authorization: Bearer pvt_…`.',
    },
    tags: [...new Set(routes.map((r) => r.tag))].sort().map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'provisio_session' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token from `provisio users token add`.' },
      },
      schemas: { Error: ERROR_SCHEMA },
      responses: {
        Error: {
          description: 'An error, as data (docs/errors.md lists the codes).',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  }
}
