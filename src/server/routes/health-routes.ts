/** GET /api/health: whether the server answers, for load balancers and `provisio serve` checks. */
import { z } from 'zod'
import type { RoutePlugin } from '../route-plugin.ts'
import { defineRoute } from '../route.ts'
import { PROVISIO_VERSION } from '../version.ts'

export const healthRoutes: RoutePlugin = (app) => {
  defineRoute(app, {
    method: 'GET',
    url: '/api/health',
    access: 'public',
    tag: 'server',
    summary: 'Answers while the server runs, with its version.',
    response: z.object({ ok: z.literal(true), version: z.string() }),
    handler: async () => ({ ok: true as const, version: PROVISIO_VERSION }),
  })
}
