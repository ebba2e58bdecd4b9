/**
 * Role routes (docs/api.md "Roles"): the stored role models (the active one and the history), the
 * diff of the development model against the active one, activating the development model, and
 * inspecting a member, group or role under a model, as `provisio roles history|diff|activate|inspect`
 * do. Models are resolved against the vault as it is now.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { activateDevelopmentModel, diffModels, inspectModel, modelJson, withoutSource } from '../../engine/index.ts'
import { listRoleModels } from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { serverError } from '../errors.ts'
import { defineRoute } from '../route.ts'

const storedModelSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  state: z.enum(['active', 'history']),
  hash: z.string(),
  file: z.string(),
  activatedAt: z.string(),
  activatedBy: z.string().describe('Who activated it: `cli` or a user name'),
  retiredAt: z.string().optional(),
  roles: z.number().int(),
  generators: z.number().int(),
  filters: z.record(z.string(), z.string()),
})

const namedList = z.array(z.string()).readonly()
const roleSummary = z.array(z.object({ role: z.string(), groups: namedList, members: z.number().int() })).readonly()
const noticesSchema = z
  .array(z.object({ code: z.string(), role: z.string(), message: z.string() }))
  .readonly()
  .describe('What resolving the model noticed (a group no group table has, …)')
const inspectedRoleSchema = z.object({
  role: z.string(),
  generator: z.string().optional(),
  groups: z.array(z.object({ system: z.string(), name: z.string(), key: z.string() })).readonly(),
  members: z.array(z.object({ system: z.string(), key: z.string() })).readonly(),
})
const membershipSchema = z.object({
  system: z.string(),
  table: z.string(),
  group: z.string(),
  member: z.string(),
  managed: z.boolean().describe('A role of the model references the group'),
  granted: z.boolean().describe('The model grants this very pair'),
})
const pendingSchema = z.object({
  system: z.string(),
  table: z.string(),
  change: z.enum(['add', 'remove']),
  group: z.string(),
  member: z.string(),
})

const modelQuery = z
  .union([z.enum(['active', 'development']), z.coerce.number().int().positive()])
  .optional()
  .describe('active, development or a stored model id (default: active, else development)')

export function registerRoleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/roles/models',
    access: 'read',
    tag: 'roles',
    summary: 'The stored role models, newest first (the active one and the history), and the development model.',
    response: z.object({
      development: z
        .object({ name: z.string(), file: z.string() })
        .nullable()
        .describe('The RoleModel document of the project'),
      active: storedModelSchema.nullable(),
      models: z.array(storedModelSchema),
    }),
    handler: async () => {
      const project = await ctx.project()
      const models = (await listRoleModels(ctx.db)).map(withoutSource)
      const development = project.roleModels[0]
      return {
        development: development === undefined ? null : { name: development.name, file: development.file },
        active: models.find((m) => m.state === 'active') ?? null,
        models,
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/roles/diff',
    access: 'read',
    tag: 'roles',
    summary:
      'The development model against the active one, both resolved against the vault: roles, groups and members.',
    response: z.object({
      development: z.record(z.string(), z.unknown()),
      active: z.record(z.string(), z.unknown()).nullable().describe('null when no model is active: every role is new'),
      rolesAdded: roleSummary,
      rolesRemoved: roleSummary,
      changed: z
        .array(
          z.object({
            role: z.string(),
            groupsAdded: namedList,
            groupsRemoved: namedList,
            membersAdded: namedList,
            membersRemoved: namedList,
          }),
        )
        .readonly(),
      unchanged: z.number().int(),
      groupsReleased: namedList.describe('Groups no longer managed once activated: their members are left alone'),
      notices: z.object({ development: noticesSchema, active: noticesSchema }),
      activeProblem: z.string().optional().describe('Why the active model could not be resolved'),
      changedFilters: namedList,
    }),
    handler: async () => (await diffModels(ctx.db, await ctx.project())).report,
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/roles/activate',
    access: 'run',
    tag: 'roles',
    summary:
      'Activate the development model: it becomes the model jobs execute, the active one moves to history. Recorded with the user.',
    response: z.object({
      active: storedModelSchema,
      previous: storedModelSchema.nullable(),
      unchanged: z.boolean().describe('The development model equals the active one: nothing was stored'),
    }),
    audit: {
      action: 'roles.activate',
      subject: (_input, answer) => answer.active.name,
      details: (_input, answer) => ({
        modelId: answer.active.id,
        previousId: answer.previous?.id ?? null,
        unchanged: answer.unchanged,
      }),
    },
    handler: async ({ user }) => {
      const result = await activateDevelopmentModel(ctx.db, await ctx.project(), {
        actor: user!.name,
        clock: ctx.clock,
      })
      return {
        active: withoutSource(result.active),
        previous: result.previous === undefined ? null : withoutSource(result.previous),
        unchanged: result.unchanged,
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/roles/inspect',
    access: 'read',
    tag: 'roles',
    summary:
      'One member, group or role under a role model: the roles involved, their groups and members, the memberships the vault holds and the pending changes.',
    query: z.object({
      member: z.string().min(1).optional().describe("A member's key as the memberships table holds it"),
      group: z.string().min(1).optional().describe("A group's name or key"),
      role: z.string().min(1).optional(),
      model: modelQuery,
    }),
    response: z.object({
      model: z.record(z.string(), z.unknown()),
      query: z.object({ member: z.string().optional(), group: z.string().optional(), role: z.string().optional() }),
      roles: z.array(inspectedRoleSchema).readonly(),
      current: z.array(membershipSchema).readonly().describe('Memberships the vault holds'),
      pending: z.array(pendingSchema).readonly().describe('What the next memberships step would change'),
      notices: noticesSchema,
      notes: z.array(z.string()).describe('Such as: no model is active yet, the development model is shown'),
    }),
    handler: async ({ query }) => {
      const given = [
        query.member === undefined ? undefined : { member: query.member },
        query.group === undefined ? undefined : { group: query.group },
        query.role === undefined ? undefined : { role: query.role },
      ].filter((q) => q !== undefined)
      if (given.length !== 1) {
        throw serverError('SRV_INVALID_REQUEST', 'Give exactly one of `member`, `group` and `role`.', {
          details: { where: 'query', given: given.length },
        })
      }
      const notes: string[] = []
      const inspected = await inspectModel(ctx.db, await ctx.project(), given[0]!, query.model, {
        onNote: (note) => notes.push(note),
      })
      return {
        model: modelJson(inspected.model),
        ...inspected.inspection,
        notices: inspected.resolved.notices,
        notes,
      }
    },
  })
}
