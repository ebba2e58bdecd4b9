/** /api/users: the users of the API, for admins (the same rules as `provisio users`). */
import { z } from 'zod'
import { findUserByName, listUsers } from '../../vault/index.ts'
import { addUser, removeUser, setDisabled, setPassword, setRole } from '../auth/accounts.ts'
import { serverError } from '../errors.ts'
import { generatePassword } from '../auth/passwords.ts'
import type { RoutePlugin } from '../route-plugin.ts'
import { USER_ROLES, defineRoute } from '../route.ts'

export const UserInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  disabled: z.boolean(),
  createdAt: z.string(),
  passwordChangedAt: z.string(),
  mustChangePassword: z.boolean().describe('The password is one-time: the user must change it at the next login'),
})

export const usersRoutes: RoutePlugin = (app, ctx) => {
  defineRoute(app, {
    method: 'GET',
    url: '/api/users',
    access: 'admin',
    tag: 'users',
    summary: 'The users, with their roles.',
    response: z.object({ users: z.array(UserInfo) }),
    handler: async () => ({
      users: (await listUsers(ctx.db)).map(({ passwordHash: _hash, ...user }) => user),
    }),
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/users',
    access: 'admin',
    audit: 'self', // src/server/auth writes its own admin audit record
    tag: 'users',
    status: 201,
    summary: 'Adds a user; without a password, one is generated and answered once. Either is one-time by default.',
    body: z.object({
      name: z.string(),
      role: z.enum(USER_ROLES),
      password: z.string().optional(),
      oneTime: z
        .boolean()
        .default(true)
        .describe('The user must change the password at first login (an admin chose it for them)'),
    }),
    response: z.object({ user: UserInfo, password: z.string().optional() }),
    handler: async ({ body, user }) => {
      const password = body.password ?? generatePassword()
      const { passwordHash: _hash, ...added } = await addUser(ctx.db, ctx.clock, user!.name, {
        name: body.name,
        role: body.role,
        password,
        oneTime: body.oneTime,
      })
      return body.password === undefined ? { user: added, password } : { user: added }
    },
  })

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/users/:name',
    access: 'admin',
    audit: 'self', // src/server/auth writes its own admin audit record
    tag: 'users',
    summary: 'Removes a user with their sessions and API tokens (never the last admin).',
    params: z.object({ name: z.string() }),
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ params, user }) => {
      await removeUser(ctx.db, ctx.clock, user!.name, params.name)
      return { ok: true as const }
    },
  })

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/users/:name',
    access: 'admin',
    audit: 'self', // setRole and setDisabled write their own admin audit records
    tag: 'users',
    summary:
      "Changes a user's role or disables or enables them (never the last admin); disabling ends their sessions and stops their tokens.",
    params: z.object({ name: z.string() }),
    body: z
      .object({ role: z.enum(USER_ROLES).optional(), disabled: z.boolean().optional() })
      .refine((b) => b.role !== undefined || b.disabled !== undefined, { message: 'Give role, disabled or both.' }),
    response: z.object({ user: UserInfo }),
    handler: async ({ params, body, user }) => {
      if (body.role !== undefined) await setRole(ctx.db, ctx.clock, user!.name, params.name, body.role)
      if (body.disabled !== undefined) await setDisabled(ctx.db, ctx.clock, user!.name, params.name, body.disabled)
      const changed = await findUserByName(ctx.db, params.name)
      if (changed === undefined) throw serverError('SRV_UNKNOWN_USER', `There is no user ${params.name}.`)
      const { passwordHash: _hash, ...info } = changed
      return { user: info }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/users/:name/password',
    access: 'admin',
    audit: 'self', // setPassword writes its own admin audit record
    tag: 'users',
    summary:
      "Resets a user's password to a generated one-time password, answered once: their sessions end and they choose their own at the next login.",
    params: z.object({ name: z.string() }),
    response: z.object({ password: z.string().describe('Shown once; never stored in clear or logged') }),
    handler: async ({ params, user }) => {
      const password = generatePassword()
      await setPassword(ctx.db, ctx.clock, user!.name, params.name, password, true)
      return { password }
    },
  })
}
