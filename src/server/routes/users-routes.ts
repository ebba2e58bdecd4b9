/** /api/users: the users of the API, for admins (the same rules as `provisio users`). */
import { z } from 'zod'
import { listUsers } from '../../vault/index.ts'
import { addUser, removeUser } from '../auth/accounts.ts'
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
}
