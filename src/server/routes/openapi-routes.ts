/** GET /api/openapi.json: the API described, built once from every route registered. */
import { z } from 'zod'
import { openApiDocument } from '../openapi.ts'
import type { RoutePlugin } from '../route-plugin.ts'
import { defineRoute } from '../route.ts'

export const openApiRoutes: RoutePlugin = (app) => {
  let document: Record<string, unknown> | undefined
  defineRoute(app, {
    method: 'GET',
    url: '/api/openapi.json',
    access: 'public',
    tag: 'server',
    summary: 'The OpenAPI 3.1 document of this API.',
    response: z.record(z.string(), z.unknown()),
    // Built at the first request: by then every plugin has added its routes.
    handler: async () => (document ??= openApiDocument(app.provisioRoutes)),
  })
}
