/** GET /api/admin-audit: logins, logouts and changes of users and tokens, newest first, in pages. */
import { z } from 'zod'
import { listAdminAudit } from '../../vault/index.ts'
import type { RoutePlugin } from '../route-plugin.ts'
import { defineRoute } from '../route.ts'

export const adminAuditRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(app, {
    method: 'GET',
    url: '/api/admin-audit',
    access: 'read',
    tag: 'users',
    summary: 'The admin audit: logins, logouts, user and token changes, newest first.',
    query: z.object({
      actor: z.string().optional(),
      action: z.string().optional(),
      before: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    response: z.object({
      events: z.array(
        z.object({
          id: z.number().int(),
          at: z.string(),
          actor: z.string(),
          action: z.string(),
          subject: z.string().nullable(),
          details: z.record(z.string(), z.unknown()).nullable(),
        }),
      ),
    }),
    handler: async ({ query }) => ({
      events: (await listAdminAudit(ctx.db, query)).map((e) => ({
        ...e,
        subject: e.subject ?? null,
        details: e.details ?? null,
      })),
    }),
  })
}
