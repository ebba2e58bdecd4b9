/**
 * /api/secrets: the encrypted secret store (docs/secrets.md), for admins. Names and metadata only:
 * a value goes in with PUT and never comes out, not in answers, errors, logs or the admin audit.
 */
import { z } from 'zod'
import { listSecrets, loadStoreKey, removeSecret, requireSecretName, setSecret } from '../../vault/index.ts'
import type { RoutePlugin } from '../route-plugin.ts'
import { defineRoute } from '../route.ts'

export const SecretInfo = z.object({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().describe('The user who set it last, or `cli`'),
  keyId: z.string().describe('The first 8 hex digits of the SHA-256 of the key it is encrypted with'),
})

export const registerSecretRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(app, {
    method: 'GET',
    url: '/api/secrets',
    access: 'admin',
    tag: 'secrets',
    summary: 'The stored secrets: names, when and by whom they were set, and their key id (never values).',
    response: z.object({ secrets: z.array(SecretInfo) }),
    handler: async () => ({ secrets: await listSecrets(ctx.db) }),
  })

  defineRoute(app, {
    method: 'PUT',
    url: '/api/secrets/:name',
    access: 'admin',
    audit: {
      action: 'secret.set',
      subject: ({ params }) => params.name,
      details: (_input, answer) => ({ keyId: answer.secret.keyId }),
    },
    tag: 'secrets',
    summary: 'Stores a secret (replacing any earlier value); the answer has its metadata, never the value.',
    params: z.object({ name: z.string() }),
    body: z.object({ value: z.string().meta({ secret: true }).describe('The secret value; never answered') }),
    response: z.object({ secret: SecretInfo }),
    handler: async ({ params, body, user }) => {
      const name = requireSecretName(params.name)
      // The key file is made here too when the project has none yet, as by the first `secrets set`;
      // only for an empty store: a new key cannot open the secrets already stored (a lost key file).
      // With stored secrets, the key must be theirs (an interrupted key rotation is completed here).
      const key = await loadStoreKey(ctx.db, {
        projectDir: ctx.projectDir,
        create: true,
        onNotice: (message) => ctx.logger.warn(message),
      })
      const at = ctx.clock.now().toISOString()
      return { secret: await setSecret(ctx.db, key, { name, value: body.value, actor: user!.name, at }) }
    },
  })

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/secrets/:name',
    access: 'admin',
    audit: { action: 'secret.remove', subject: ({ params }) => params.name },
    tag: 'secrets',
    summary: 'Removes a secret; systems that refer to it can no longer be opened.',
    params: z.object({ name: z.string() }),
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ params }) => {
      await removeSecret(ctx.db, params.name)
      return { ok: true as const }
    },
  })
}
