/** /api/tokens: API tokens for scripts. Everyone manages their own; an admin sees and revokes all. */
import { z } from 'zod'
import { listApiTokens } from '../../vault/index.ts'
import { addApiToken, revokeApiToken } from '../auth/accounts.ts'
import type { RoutePlugin } from '../route-plugin.ts'
import { defineRoute } from '../route.ts'

export const TokenInfo = z.object({
  id: z.number().int(),
  label: z.string(),
  user: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
})

export const tokensRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(app, {
    method: 'GET',
    url: '/api/tokens',
    access: 'read',
    tag: 'tokens',
    summary: "The caller's API tokens (an admin's: everyone's), without the tokens themselves.",
    response: z.object({ tokens: z.array(TokenInfo) }),
    handler: async ({ user }) => ({
      tokens: (await listApiTokens(ctx.db, user!.role === 'admin' ? undefined : user!.id)).map((t) => ({
        id: t.id,
        label: t.label,
        user: t.userName,
        createdAt: t.createdAt,
        lastUsedAt: t.lastUsedAt ?? null,
        expiresAt: t.expiresAt ?? null,
      })),
    }),
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/tokens',
    access: 'read',
    audit: 'self', // src/server/auth writes its own admin audit record
    tag: 'tokens',
    status: 201,
    summary: 'Makes an API token acting as the caller; the token is answered this once.',
    body: z.object({
      label: z.string().min(1).max(200),
      expiresAt: z.iso.datetime({ offset: true }).optional(),
    }),
    response: z.object({
      id: z.number().int(),
      label: z.string(),
      token: z.string(),
      expiresAt: z.string().nullable(),
    }),
    handler: async ({ body, user }) => {
      const { token, record } = await addApiToken(ctx.db, ctx.clock, user!.name, {
        userName: user!.name,
        label: body.label,
        expiresAt: body.expiresAt === undefined ? undefined : new Date(body.expiresAt),
      })
      return { id: record.id, label: record.label, token, expiresAt: record.expiresAt ?? null }
    },
  })

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/tokens/:id',
    access: 'read',
    audit: 'self', // src/server/auth writes its own admin audit record
    tag: 'tokens',
    summary: "Revokes an API token: the caller's own, or any for an admin.",
    params: z.object({ id: z.coerce.number().int().positive() }),
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ params, user }) => {
      await revokeApiToken(ctx.db, ctx.clock, user!.name, params.id, user!.role === 'admin' ? undefined : user!.id)
      return { ok: true as const }
    },
  })
}
