/**
 * Task routes (docs/api.md "Tasks and runs"): the project's tasks with their schedules and next run
 * times, and starting a task run. The run goes on in the server process: the answer (202) comes as
 * soon as the run is recorded, with its id; GET /api/runs/:id/progress follows it live, and
 * POST /api/runs/:id/cancel stops it. One run per task at a time: a second is refused (409) unless
 * `wait`, which records it as queued until the other ends.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { type TaskConfig, nextTaskRun } from '../../config/index.ts'
import { formatInZone, requireTask, runTask, taskListing } from '../../jobs/index.ts'
import { getRun, listRuns } from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { runRegistryOf } from '../run-registry.ts'
import { nameParams } from './plans-schemas.ts'

/** How many next run times a task is listed with (the Studio shows them beside the schedule). */
const NEXT_RUNS = 5

function nextRuns(task: TaskConfig, now: Date): { at: string; text: string }[] {
  const runs: { at: string; text: string }[] = []
  if (task.schedule === undefined || !task.enabled) return runs
  for (let after = now; runs.length < NEXT_RUNS;) {
    const next = nextTaskRun(task.schedule, after)
    if (next === undefined) break
    runs.push({ at: next.toISOString(), text: formatInZone(next, task.schedule.timeZone) })
    after = next
  }
  return runs
}

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
  nextRuns: z
    .array(z.object({ at: z.string().describe('ISO 8601'), text: z.string().describe("In the task's time zone") }))
    .describe(`The next ${NEXT_RUNS} scheduled runs; empty when disabled or unscheduled`),
  approval: z.boolean().describe('A sync task whose plans wait for a person to approve them before they are executed'),
  lastRun: z
    .object({ id: z.number().int(), status: z.string(), startedAt: z.string(), finishedAt: z.string().nullable() })
    .nullable()
    .describe('The newest run of the task, whatever its status'),
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
      const tasks = []
      for (const task of (await ctx.project()).tasks) {
        const [last] = await listRuns(ctx.db, { kind: 'task', name: task.name, limit: 1 })
        tasks.push({
          ...taskListing(task, now),
          nextRuns: nextRuns(task, now),
          approval: task.type === 'sync' && task.approval,
          lastRun:
            last === undefined
              ? null
              : { id: last.id, status: last.status, startedAt: last.startedAt, finishedAt: last.finishedAt ?? null },
        })
      }
      return { tasks }
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
    audit: {
      action: 'task.run',
      subject: (_input, answer) => answer.task,
      details: ({ body }, answer) => ({
        runId: answer.runId,
        ...(body?.evaluateOnly === true ? { evaluateOnly: true } : {}),
        ...(answer.status === 'queued' ? { queued: true } : {}),
      }),
    },
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
