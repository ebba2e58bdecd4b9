/**
 * Job routes (docs/api.md "Mappings, jobs and plans"): the project's jobs with their steps and
 * thresholds, evaluating one (a stored plan, thresholds checked) and running one (evaluate, check,
 * execute), as `provisio job evaluate|run` do. A threshold stop writes nothing and is answered as the
 * error JOB_THRESHOLD_EXCEEDED (409) with the exceeded steps and the plan's id in its details.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { JobConfig } from '../../config/index.ts'
import { type JobEvaluation, evaluateJob, requireName, runJob, thresholdError } from '../../jobs/index.ts'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../route.ts'
import { runRegistryOf } from '../run-registry.ts'
import { executionSchema, nameParams, stepsSchema } from './plans-schemas.ts'

const limitSchema = z
  .object({ kind: z.enum(['count', 'percent']), value: z.number() })
  .describe('At most `value` operations, or `value` percent of the target table')

const jobSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  file: z.string(),
  steps: z.array(
    z.object({
      step: z.number().int().describe('From 1'),
      type: z.enum(['mapping', 'memberships']),
      mapping: z.string().optional(),
      system: z.string().optional(),
      enabled: z.boolean(),
      threshold: limitSchema
        .nullable()
        .optional()
        .describe('A mapping step’s own threshold (null: none; delete and disable default to 10%)'),
      thresholds: z
        .object({ add: limitSchema.optional(), remove: limitSchema.optional() })
        .optional()
        .describe('A memberships step’s thresholds (removes default to 10% of the memberships table)'),
    }),
  ),
})

function jobView(job: JobConfig): z.input<typeof jobSchema> {
  return {
    name: job.name,
    ...(job.description === undefined ? {} : { description: job.description }),
    file: job.file,
    steps: job.steps.map((s, i) =>
      s.type === 'mapping'
        ? { step: i + 1, type: s.type, mapping: s.mapping, enabled: s.enabled, threshold: s.threshold ?? null }
        : { step: i + 1, type: s.type, system: s.system, enabled: s.enabled, thresholds: { ...s.threshold } },
    ),
  }
}

const roleModelSchema = z
  .object({ id: z.number().int(), name: z.string(), notices: z.array(z.unknown()).readonly() })
  .optional()
  .describe('The active role model memberships steps planned from, with what its resolution noticed')

/** The role model a job's memberships steps planned from; nothing for other jobs. */
function roleModelOf(evaluation: JobEvaluation): { roleModel?: z.input<typeof roleModelSchema> } {
  const roleModel = evaluation.roleModel
  if (roleModel === undefined) return {}
  const { id, name } = roleModel.model.stored
  return { roleModel: { id, name, notices: roleModel.notices } }
}

const forceBody = z
  .object({ force: z.boolean().optional().describe('Go past an exceeded threshold (after review)') })
  .optional()

async function requireJobName(ctx: ServerContext, name: string) {
  const project = await ctx.project()
  requireName(
    'job',
    project.jobs.map((j) => j.name),
    name,
  )
  return project
}

export function registerJobRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/jobs',
    access: 'read',
    tag: 'jobs',
    summary: 'The jobs of the project with their steps and thresholds.',
    response: z.object({ jobs: z.array(jobSchema) }),
    handler: async () => ({ jobs: (await ctx.project()).jobs.map(jobView) }),
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/jobs/:name/evaluate',
    access: 'run',
    tag: 'jobs',
    summary: 'Plan every enabled step of a job and check the thresholds; nothing is written to the targets.',
    params: nameParams,
    body: forceBody,
    response: z.object({ planId: z.number().int(), steps: stepsSchema, roleModel: roleModelSchema }),
    audit: {
      action: 'job.evaluate',
      subject: ({ params }) => params.name,
      details: ({ body }, answer) => ({ planId: answer.planId, ...(body?.force === true ? { force: true } : {}) }),
    },
    handler: async ({ params, body }) => {
      const project = await requireJobName(ctx, params.name)
      const evaluation = await evaluateJob(ctx.db, project, params.name, { force: body?.force, clock: ctx.clock })
      if (evaluation.stopped) throw thresholdError(evaluation)
      return { planId: evaluation.planId, steps: evaluation.steps, ...roleModelOf(evaluation) }
    },
  })

  defineRoute(app, {
    method: 'POST',
    url: '/api/jobs/:name/run',
    access: 'run',
    tag: 'jobs',
    summary:
      'Evaluate a job, check its thresholds and execute the plan; answers when done. The run records the user as its actor.',
    params: nameParams,
    body: forceBody,
    response: z.object({
      runId: z.number().int(),
      planId: z.number().int(),
      steps: stepsSchema,
      execution: executionSchema.optional().describe('Absent when there was nothing to write'),
      settledInDoubt: z.number().int(),
      roleModel: roleModelSchema,
    }),
    audit: {
      action: 'job.run',
      subject: ({ params }) => params.name,
      details: ({ body }, answer) => ({
        runId: answer.runId,
        planId: answer.planId,
        ...(answer.execution === undefined ? {} : { status: answer.execution.status }),
        ...(body?.force === true ? { force: true } : {}),
      }),
    },
    handler: async ({ params, body, user }) => {
      const project = await requireJobName(ctx, params.name)
      const running = runRegistryOf(ctx).begin(params.name)
      const run = await running.settle(
        runJob(ctx.db, project, params.name, {
          force: body?.force,
          actor: user!.name,
          events: ctx.events,
          clock: ctx.clock,
          logger: ctx.logger,
          signal: running.signal,
          onRun: running.onRun,
          onEvaluateProgress: running.callbacks.onEvaluateProgress,
          onExecuteProgress: running.callbacks.onExecuteProgress,
        }),
        (r) =>
          r.evaluation.stopped
            ? 'stopped'
            : r.execution === undefined || r.execution.status === 'executed'
              ? 'succeeded'
              : r.execution.status,
      )
      const { evaluation, execution } = run
      if (evaluation.stopped) throw thresholdError(evaluation)
      return {
        runId: run.runId,
        planId: evaluation.planId,
        steps: evaluation.steps,
        ...(execution === undefined ? {} : { execution }),
        settledInDoubt: evaluation.settledInDoubt,
        ...roleModelOf(evaluation),
      }
    },
  })
}
