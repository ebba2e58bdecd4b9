/**
 * Mapping routes (docs/api.md "Mappings, jobs and plans"): the project's mappings, and evaluating one
 * into a stored plan without writing anything, as `provisio mapping evaluate` does. The plan is then
 * reviewed with GET /api/plans/:id and executed with POST /api/plans/:id/execute.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { evaluatePlan } from '../../engine/index.ts'
import { requireName } from '../../jobs/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { nameParams, stepsSchema } from './plans-schemas.ts'

const mappingSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  system: z.string(),
  table: z.string(),
  function: z.string(),
  filter: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  nameGenerator: z.string().optional(),
  passwordGenerator: z.string().optional(),
  key: z.string().optional().describe("An expression giving the target row's key (all but create)"),
  attributes: z.array(z.object({ name: z.string(), expression: z.string() })),
  file: z.string(),
})

export function registerMappingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/mappings',
    access: 'read',
    tag: 'mappings',
    summary: 'The mappings of the project, with their filter, target function and attributes.',
    response: z.object({ mappings: z.array(mappingSchema) }),
    handler: async () => {
      const project = await ctx.project()
      return {
        mappings: project.mappings.map((m) => ({
          name: m.name,
          ...(m.description === undefined ? {} : { description: m.description }),
          system: m.system,
          table: m.table,
          function: m.function,
          filter: m.filter,
          parameters: { ...m.parameters },
          ...(m.nameGenerator === undefined ? {} : { nameGenerator: m.nameGenerator }),
          ...(m.passwordGenerator === undefined ? {} : { passwordGenerator: m.passwordGenerator }),
          ...(m.key === undefined ? {} : { key: m.key.text }),
          attributes: m.attributes.map((a) => ({ name: a.name, expression: a.expression.text })),
          file: m.file,
        })),
      }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/mappings/:name/evaluate',
    access: 'run',
    tag: 'mappings',
    summary: 'Plan one mapping against the vault into a stored plan; nothing is written to the target.',
    params: nameParams,
    response: z.object({ planId: z.number().int(), steps: stepsSchema }),
    audit: {
      action: 'mapping.evaluate',
      subject: ({ params }) => params.name,
      details: (_input, answer) => ({ planId: answer.planId }),
    },
    handler: async ({ params }) => {
      const project = await ctx.project()
      requireName(
        'mapping',
        project.mappings.map((m) => m.name),
        params.name,
      )
      const evaluation = await evaluatePlan(ctx.db, project, {
        source: { kind: 'mapping', name: params.name },
        steps: [{ mapping: params.name }],
        clock: ctx.clock,
      })
      return { planId: evaluation.planId, steps: evaluation.steps }
    },
  })
}
