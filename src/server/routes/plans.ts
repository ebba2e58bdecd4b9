/**
 * Plan routes (docs/api.md "Mappings, jobs and plans"): stored plans listed, one with its steps, its
 * operations page by page (secrets only by name, shown `(set)`), and executing one as planned, as
 * `provisio plan list|show|execute` do. Execution skips operations whose target row changed since.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { executeStoredPlan } from '../../jobs/index.ts'
import {
  type OperationCounts,
  type StoredOperation,
  countOperations,
  getPlan,
  listPlans,
  streamOperations,
} from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { runRegistryOf } from '../run-registry.ts'
import { executionSchema, idParams, operationSchema, operationView, planSchema } from './plans-schemas.ts'

const OPERATION_STATUSES = ['planned', 'running', 'succeeded', 'failed', 'skipped'] as const
type OperationStatus = (typeof OPERATION_STATUSES)[number]

const operationsQuery = z.object({
  status: z.enum(OPERATION_STATUSES).optional(),
  step: z.coerce.number().int().min(0).optional().describe('A plan step’s index, from 0'),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

/** How many operations match the status and step asked for. */
function matching(counts: OperationCounts, status: OperationStatus | undefined, step: number | undefined): number {
  if (step === undefined) return status === undefined ? counts.total : (counts.byStatus[status] ?? 0)
  const ofStep = counts.bySteps.find((s) => s.step === step)?.counts ?? {}
  if (status !== undefined) return ofStep[status] ?? 0
  return Object.values(ofStep).reduce((a, b) => a + (b ?? 0), 0)
}

/** One page of a plan's operations, in plan order. */
export async function operationsPage(
  ctx: ServerContext,
  planId: number,
  query: { status?: OperationStatus | undefined; step?: number | undefined; limit: number; offset: number },
): Promise<StoredOperation[]> {
  const page: StoredOperation[] = []
  let skip = query.offset
  const pageSize = Math.min(1000, query.offset + query.limit)
  const statuses = query.status === undefined ? undefined : [query.status]
  for await (const operations of streamOperations(ctx.db, planId, { statuses, step: query.step, pageSize })) {
    for (const op of operations) {
      if (skip > 0) skip--
      else if (page.length < query.limit) page.push(op)
      else return page
    }
  }
  return page
}

export function registerPlanRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/plans',
    access: 'read',
    tag: 'plans',
    summary: 'The most recent stored plans with their status and operation counts, newest first.',
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) }),
    response: z.object({ plans: z.array(planSchema) }),
    handler: async ({ query }) => ({ plans: await listPlans(ctx.db, { limit: query.limit }) }),
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/plans/:id',
    access: 'read',
    tag: 'plans',
    summary: 'One stored plan: its source, status, steps (with thresholds) and operation counts.',
    params: idParams,
    response: planSchema.extend({ total: z.number().int().describe('Operations in all') }),
    handler: async ({ params }) => {
      const plan = await getPlan(ctx.db, params.id)
      return { ...plan, total: (await countOperations(ctx.db, params.id)).total }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/plans/:id/operations',
    access: 'read',
    tag: 'plans',
    summary: 'A page of a plan’s operations in plan order, optionally of one status or step; secrets show as `(set)`.',
    params: idParams,
    query: operationsQuery,
    response: z.object({
      planId: z.number().int(),
      total: z.number().int().describe('Operations matching status and step'),
      offset: z.number().int(),
      operations: z.array(operationSchema),
    }),
    handler: async ({ params, query }) => {
      await getPlan(ctx.db, params.id)
      const counts = await countOperations(ctx.db, params.id)
      const operations = await operationsPage(ctx, params.id, query)
      return {
        planId: params.id,
        total: matching(counts, query.status, query.step),
        offset: query.offset,
        operations: operations.map(operationView),
      }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/plans/:id/execute',
    access: 'run',
    tag: 'plans',
    summary:
      'Execute a stored plan as planned (answers when done); an operation whose target row changed since planning is skipped.',
    params: idParams,
    body: z.object({ force: z.boolean().optional().describe('Execute a plan a threshold stopped') }).optional(),
    response: executionSchema.extend({ runId: z.number().int() }),
    audit: {
      action: 'plan.execute',
      subject: ({ params }) => `plan ${params.id}`,
      details: ({ params, body }, answer) => ({
        planId: params.id,
        runId: answer.runId,
        status: answer.status,
        ...(body?.force === true ? { force: true } : {}),
      }),
    },
    handler: async ({ params, body, user }) => {
      const project = await ctx.project()
      const running = runRegistryOf(ctx).begin(`plan ${params.id}`)
      return running.settle(
        executeStoredPlan(ctx.db, project, params.id, {
          actor: user!.name,
          force: body?.force,
          events: ctx.events,
          clock: ctx.clock,
          logger: ctx.logger,
          signal: running.signal,
          onRun: running.onRun,
          onExecuteProgress: running.callbacks.onExecuteProgress,
        }),
        (summary) => (summary.status === 'executed' ? 'succeeded' : summary.status),
      )
    },
  })
}
