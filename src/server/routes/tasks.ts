/**
 * Task routes (docs/api.md "Tasks and runs"): the project's tasks with their schedules and next run
 * times, and starting a task run. The run goes on in the server process: the answer (202) comes as
 * soon as the run is recorded, with its id; GET /api/runs/:id/progress follows it live, and
 * POST /api/runs/:id/cancel stops it. One run per task at a time: a second is refused (409) unless
 * `wait`, which records it as queued until the other ends.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { requireTask, runTask, taskListing } from '../../jobs/index.ts'
import { getRun } from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { runRegistryOf } from '../run-registry.ts'
import { nameParams } from './plans-schemas.ts'

const taskSchema = z.object({
  name: z.string(),
  type: z.enum(['sync', 'export']),
  enabled: z.boolean(),
  description: z.string().optional(),
  schedule: z.object({ cron: z.string(), timeZone: z.string().optional() }).nullable(),
  nextRun: z.string().nullable().describe('The next scheduled run (ISO 8601); null when disabled or unscheduled'),
  nextRunText: z
    .string()
    .describe("The next run as the task's time zone reads it: `2026-12-06 02:00 Europe/Amsterdam`"),
})

/** Starts task `name` in the background; resolves with its run id once recorded, or rejects when it cannot start. */
async function startTask(
  ctx: ServerContext,
  name: string,
  options: { evaluateOnly?: boolean | undefined; wait?: boolean | undefined; actor: string },
): Promise<number> {
  const project = await ctx.project()
  const task = requireTask(project, name)
  const running = runRegistryOf(ctx).begin(task.name)
  let recorded: (runId: number) => void = () => {}
  const started = new Promise<number>((resolve) => (recorded = resolve))
  const work = runTask(ctx.db, project, task.name, {
    evaluateOnly: options.evaluateOnly,
    whenBusy: options.wait === true ? 'wait' : 'refuse',
    actor: options.actor,
    events: ctx.events,
    clock: ctx.clock,
    logger: ctx.logger,
    signal: running.signal,
    ...running.callbacks,
    onRun: (runId) => {
      running.onRun(runId)
      recorded(runId)
    },
  })
  running
    .settle(work, (run) => run.status)
    .catch((error: unknown) => ctx.logger.error(`task ${task.name} could not run`, { error: (error as Error).message }))
  // Refused before it was recorded (JOB_TASK_RUNNING): the request gets that error.
  return Promise.race([started, work.then(() => started)])
}

export function registerTaskRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/tasks',
    access: 'read',
    tag: 'tasks',
    summary: 'The tasks of the project with their schedules and next run times.',
    response: z.object({ tasks: z.array(taskSchema) }),
    handler: async () => {
      const now = ctx.clock.now()
      return { tasks: (await ctx.project()).tasks.map((t) => taskListing(t, now)) }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/tasks/:name/run',
    access: 'run',
    tag: 'tasks',
    status: 202,
    summary:
      'Start a run of a task now (enabled or not); answers at once with the run id while the run goes on in the server.',
    params: nameParams,
    body: z
      .object({
        evaluateOnly: z
          .boolean()
          .optional()
          .describe('Stop a sync task after evaluating: plans are stored, nothing written'),
        wait: z.boolean().optional().describe('When the task is running already, queue this run instead of refusing'),
      })
      .optional(),
    response: z.object({
      runId: z.number().int(),
      task: z.string(),
      status: z.string().describe('running, or queued (wait); the run’s end shows in GET /api/runs/:id'),
    }),
    handler: async ({ params, body, user }) => {
      const runId = await startTask(ctx, params.name, {
        evaluateOnly: body?.evaluateOnly,
        wait: body?.wait,
        actor: user!.name,
      })
      const run = await getRun(ctx.db, runId)
      return { runId, task: run.name, status: run.status }
    },
  })
}
