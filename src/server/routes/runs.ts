/**
 * Run routes (docs/api.md "Tasks and runs"): the recorded runs of jobs, plans and tasks, one run with
 * its plans, first operations and configuration revision, its log page by page, deciding a run that
 * awaits approval (approve executes exactly its plans), cancelling a run going on in this server, and
 * a run's live progress as server-sent events. Decisions record the user as the actor.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { approveRun, rejectRun } from '../../jobs/index.ts'
import {
  type RunRecord,
  type StoredOperation,
  countOperations,
  countRunLog,
  findRunPlan,
  getConfigRevision,
  getPlan,
  getRun,
  listRuns,
  readRunLog,
  streamOperations,
} from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { serverError } from '../errors.ts'
import { defineRoute } from '../route.ts'
import { runRegistryOf } from '../run-registry.ts'
import { executionSchema, idParams, operationSchema, operationView, planSchema } from './plans-schemas.ts'
import { streamProgress } from './runs-sse.ts'

const RUN_STATUSES = [
  'queued',
  'running',
  'awaiting-approval',
  'succeeded',
  'partially-failed',
  'failed',
  'stopped',
  'interrupted',
  'rejected',
] as const

/** Operations `GET /api/runs/:id` answers per plan (the failed and skipped first); the plans routes page on. */
const OPERATIONS_SHOWN = 50

const runSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['job', 'plan', 'task']),
  name: z.string(),
  planId: z.number().int().optional().describe('The plan a job or plan run executed'),
  planIds: z.array(z.number().int()).readonly().describe('The plans a task run evaluated'),
  actor: z.string().describe('Who started it: `cli`, a user name, the scheduler'),
  status: z.enum(RUN_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  counts: z.record(z.string(), z.number()),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  configRevision: z.number().int().optional(),
  approvedBy: z.string().optional().describe('Who approved or rejected it'),
  decidedAt: z.string().optional(),
  runningHere: z.boolean().describe('Going on in this server process: it can be cancelled and followed live'),
})

async function viewOf(ctx: ServerContext, run: RunRecord): Promise<z.input<typeof runSchema>> {
  const finished = run.finishedAt === undefined ? undefined : Date.parse(run.finishedAt)
  return {
    ...run,
    planId: await findRunPlan(ctx.db, run),
    durationMs: finished === undefined ? undefined : Math.max(0, finished - Date.parse(run.startedAt)),
    runningHere: runRegistryOf(ctx).get(run.id) !== undefined,
  }
}

/** Up to `limit` operations of a plan: the failed and skipped first, then the rest, each in plan order. */
async function firstOperations(ctx: ServerContext, planId: number, limit: number): Promise<StoredOperation[]> {
  const operations: StoredOperation[] = []
  for (const statuses of [
    ['failed', 'skipped'],
    ['running', 'planned', 'succeeded'],
  ] as const) {
    for await (const page of streamOperations(ctx.db, planId, { statuses, pageSize: limit })) {
      operations.push(...page.slice(0, limit - operations.length))
      if (operations.length >= limit) return operations
    }
  }
  return operations
}

export function registerRunRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const registry = runRegistryOf(ctx)
  // The server stops: runs it started stop gracefully (they end interrupted, as on a signal) before the vault closes.
  // preClose, not onClose: Fastify closes the listening server before onClose hooks and waits for every open
  // request, and a request waiting on a run (approve, a progress stream) ends only when the run does.
  app.addHook('preClose', async () => {
    const running = registry.ids().map((id) => registry.get(id)!)
    for (const run of running) run.controller.abort()
    await Promise.all(running.map((run) => run.done))
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/runs',
    access: 'read',
    tag: 'runs',
    summary: 'The recorded runs of jobs, plans and tasks, newest first.',
    query: z.object({
      job: z.string().min(1).optional().describe('Only the runs of this job'),
      task: z.string().min(1).optional().describe('Only the runs of this task'),
      status: z.enum(RUN_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(20),
      before: z.coerce.number().int().positive().optional().describe('The next page: runs older than this id'),
    }),
    response: z.object({ runs: z.array(runSchema) }),
    handler: async ({ query }) => {
      if (query.job !== undefined && query.task !== undefined) {
        throw serverError('SRV_INVALID_REQUEST', '`job` and `task` cannot be combined: a run belongs to one of them.', {
          details: { where: 'query' },
        })
      }
      const filter =
        query.job !== undefined
          ? { kind: 'job', name: query.job }
          : query.task !== undefined
            ? { kind: 'task', name: query.task }
            : {}
      const records = await listRuns(ctx.db, {
        ...filter,
        status: query.status,
        limit: query.limit,
        beforeId: query.before,
      })
      const runs = []
      for (const run of records) runs.push(await viewOf(ctx, run))
      return { runs }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/runs/:id',
    access: 'read',
    tag: 'runs',
    summary:
      "One run: how it ended, its configuration revision, and its plans' steps with their first operations (the failed first).",
    params: idParams,
    response: z.object({
      run: runSchema,
      revision: z.object({ id: z.number().int(), hash: z.string(), createdAt: z.string() }).nullable(),
      plans: z.array(
        planSchema.extend({
          total: z.number().int(),
          operations: z.array(operationSchema).describe(`The first ${OPERATIONS_SHOWN}: the failed and skipped first`),
        }),
      ),
      logTotal: z.number().int().describe('Lines in the run’s log (GET /api/runs/:id/log)'),
    }),
    handler: async ({ params }) => {
      const run = await viewOf(ctx, await getRun(ctx.db, params.id))
      const planIds = run.planIds.length > 0 ? [...run.planIds] : run.planId === undefined ? [] : [run.planId]
      const plans = []
      for (const planId of planIds) {
        plans.push({
          ...(await getPlan(ctx.db, planId)),
          total: (await countOperations(ctx.db, planId)).total,
          operations: (await firstOperations(ctx, planId, OPERATIONS_SHOWN)).map(operationView),
        })
      }
      const revision =
        run.configRevision === undefined ? undefined : await getConfigRevision(ctx.db, run.configRevision)
      return {
        run,
        revision:
          revision === undefined ? null : { id: revision.id, hash: revision.hash, createdAt: revision.createdAt },
        plans,
        logTotal: await countRunLog(ctx.db, run.id),
      }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/runs/:id/log',
    access: 'read',
    tag: 'runs',
    summary: "A page of a run's log in written order; `after` is the last `seq` of the page before.",
    params: idParams,
    query: z.object({
      after: z.coerce.number().int().min(0).optional(),
      limit: z.coerce.number().int().min(1).max(5000).default(200),
    }),
    response: z.object({
      total: z.number().int(),
      lines: z.array(
        z.object({
          seq: z.number().int(),
          at: z.string(),
          level: z.enum(['info', 'warn', 'error']),
          message: z.string(),
          details: z.record(z.string(), z.unknown()).optional(),
        }),
      ),
    }),
    handler: async ({ params, query }) => {
      await getRun(ctx.db, params.id)
      const lines = await readRunLog(ctx.db, params.id, { afterSeq: query.after, limit: query.limit })
      return {
        total: await countRunLog(ctx.db, params.id),
        lines: lines.map(({ runId: _runId, ...line }) => ({ ...line, details: line.details && { ...line.details } })),
      }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/runs/:id/approve',
    access: 'run',
    tag: 'runs',
    summary:
      'Approve a task run that awaits approval: execute exactly the plans it evaluated, in order (answers when done).',
    params: idParams,
    response: z.object({
      runId: z.number().int(),
      task: z.string(),
      status: z.enum(RUN_STATUSES),
      executions: z.array(executionSchema.extend({ job: z.string(), runId: z.number().int() })).readonly(),
      counts: z.record(z.string(), z.number()),
    }),
    audit: {
      action: 'run.approve',
      subject: (_input, answer) => `run ${answer.runId}`,
      details: (_input, answer) => ({
        runId: answer.runId,
        task: answer.task,
        status: answer.status,
        plans: answer.executions.map((e) => e.planId),
      }),
    },
    handler: async ({ params, user }) => {
      const project = await ctx.project()
      const running = registry.begin(`run ${params.id}`)
      // Followed live and cancellable from here on; a run going on here already (not awaiting) keeps its entry.
      if (registry.get(params.id) === undefined && (await getRun(ctx.db, params.id)).status === 'awaiting-approval')
        running.onRun(params.id)
      const work = approveRun(ctx.db, project, params.id, {
        actor: user!.name,
        events: ctx.events,
        clock: ctx.clock,
        logger: ctx.logger,
        signal: running.signal,
        onExecuteProgress: running.callbacks.onExecuteProgress,
      })
      return running.settle(work, (result) => result.status)
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/runs/:id/reject',
    access: 'run',
    tag: 'runs',
    summary: 'Reject a task run that awaits approval: its plans are never executed.',
    params: idParams,
    body: z
      .object({ reason: z.string().min(1).max(2000).optional().describe('Why; recorded with the run') })
      .optional(),
    response: runSchema,
    audit: {
      action: 'run.reject',
      subject: ({ params }) => `run ${params.id}`,
      // The reason is recorded with the run itself; the audit says only that there was one.
      details: ({ params, body }) => ({ runId: params.id, withReason: body?.reason !== undefined }),
    },
    handler: async ({ params, body, user }) => {
      const run = await rejectRun(ctx.db, params.id, {
        actor: user!.name,
        reason: body?.reason,
        events: ctx.events,
        clock: ctx.clock,
      })
      return viewOf(ctx, run)
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/runs/:id/cancel',
    access: 'run',
    tag: 'runs',
    summary: 'Cancel a run going on in this server: it stops gracefully (ends interrupted); answers once it has ended.',
    params: idParams,
    response: z.object({ runId: z.number().int(), status: z.string().describe('How the run ended') }),
    audit: {
      action: 'run.cancel',
      subject: (_input, answer) => `run ${answer.runId}`,
      details: (_input, answer) => ({ runId: answer.runId, status: answer.status }),
    },
    handler: async ({ params, user }) => {
      const running = registry.get(params.id)
      if (running === undefined) {
        const run = await getRun(ctx.db, params.id)
        throw serverError(
          'SRV_RUN_NOT_RUNNING',
          `Run ${run.id} is not going on in this server (it is ${run.status}).`,
          {
            details: { runId: run.id, status: run.status },
          },
        )
      }
      ctx.logger.info(`run ${params.id} cancelled by ${user!.name}`, { runId: params.id })
      running.controller.abort()
      await running.done
      return { runId: params.id, status: (await getRun(ctx.db, params.id)).status }
    },
  })

  defineRoute(app, {
    method: 'GET',
    url: '/api/runs/:id/progress',
    access: 'read',
    tag: 'runs',
    summary:
      "A run's live progress as server-sent events (text/event-stream): stage.started, progress, stage.finished, then finished; a run that has ended answers one finished event.",
    params: idParams,
    response: z.string().describe('text/event-stream'),
    handler: async ({ params, reply }) => {
      const run = await getRun(ctx.db, params.id)
      const running = registry.get(run.id)
      const ended =
        running === undefined
          ? { event: 'finished' as const, runId: run.id, status: run.status, at: ctx.clock.now().toISOString() }
          : undefined
      streamProgress(reply, running?.progress, ended)
      return ''
    },
  })
}
