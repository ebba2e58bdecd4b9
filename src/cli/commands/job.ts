/**
 * `provisio job evaluate|run`: every enabled step of a job planned into one stored plan, thresholds
 * checked, and (run) executed. A threshold stop writes nothing and exits 1 with what to do next.
 */
import type { Command } from 'commander'
import type { ValidatedProject } from '../../config/index.ts'
import { type JobEvaluation, evaluateJob, runJob, thresholdError } from '../../jobs/index.ts'
import { type SqlDriver, ensureJoinIndexes } from '../../vault/index.ts'
import { type CliContext, contextOf } from '../context.ts'
import { cliEvents } from '../events.ts'
import { progressReporter } from '../progress.ts'
import {
  type ShowOptions,
  printFailedOperations,
  printPlan,
  renderExecution,
  requireName,
  showOptions,
} from './plan-printing.ts'
import { printNotices } from './roles-model.ts'

/** The role model a job's memberships steps planned from, for the JSON output; nothing for other jobs. */
function roleModelJson(evaluation: JobEvaluation): Record<string, unknown> {
  const roleModel = evaluation.roleModel
  if (roleModel === undefined) return {}
  const { id, name } = roleModel.model.stored
  return { roleModel: { id, name, notices: roleModel.notices } }
}

/** What resolving the role model noticed (a group no group table has), as warnings on stderr. */
function printRoleNotices(ctx: CliContext, evaluation: JobEvaluation): void {
  if (evaluation.roleModel !== undefined) printNotices(ctx, evaluation.roleModel.notices)
}

/** With --json, a threshold stop is one JSON document with the steps and the error, and exit code 1. */
function stoppedAsJson(ctx: CliContext, evaluation: JobEvaluation): void {
  const error = thresholdError(evaluation)
  ctx.out.result(
    {
      planId: evaluation.planId,
      steps: evaluation.steps,
      ...roleModelJson(evaluation),
      stopped: true,
      error: error.toJSON(),
    },
    () => '',
  )
  process.exitCode = 1
}

async function jobProject(ctx: CliContext, name: string): Promise<{ project: ValidatedProject; db: SqlDriver }> {
  const project = await ctx.project()
  requireName(
    'job',
    project.jobs.map((j) => j.name),
    name,
  )
  const db = await ctx.vault()
  await ensureJoinIndexes(db, project).catch((e) => ctx.out.note(`Join indexes: ${String(e)}`))
  return { project, db }
}

export function registerJob(program: Command): void {
  const job = program.command('job').description('Evaluate and run jobs: their mappings in order, with thresholds.')
  showOptions(
    job
      .command('evaluate')
      .argument('<name>', 'job name')
      .option('--force', 'record exceeded thresholds without stopping the plan')
      .description('Plan every enabled step of a job and check the thresholds; nothing is written to the targets.')
      .addHelpText(
        'after',
        '\nExamples:\n  $ provisio job evaluate directory_accounts -p examples/hr500\n  $ provisio job evaluate directory_accounts --json > plan.json',
      ),
  ).action(async (name: string, options: ShowOptions & { force?: boolean }, command: Command) => {
    const ctx = contextOf(command)
    const { project, db } = await jobProject(ctx, name)
    const progress = progressReporter(ctx.options)
    const evaluation = await progress.track(
      evaluateJob(db, project, name, {
        force: options.force,
        onEvaluateProgress: (step, rows) => progress.evaluated(name, step, rows),
      }),
    )
    printRoleNotices(ctx, evaluation)
    if (evaluation.stopped && ctx.options.json) return stoppedAsJson(ctx, evaluation)
    await printPlan(
      ctx,
      db,
      evaluation.planId,
      evaluation.steps,
      options,
      evaluation.stopped ? '' : `Execute it with: provisio plan execute ${evaluation.planId}`,
      roleModelJson(evaluation),
    )
    if (evaluation.stopped) throw thresholdError(evaluation)
  })

  showOptions(
    job
      .command('run')
      .argument('<name>', 'job name')
      .option('--force', 'execute even when a step exceeds its threshold')
      .description('Evaluate a job, check its thresholds, and execute the plan: only the differences are written.')
      .addHelpText(
        'after',
        '\nExamples:\n  $ provisio job run directory_accounts -p examples/hr500\n  $ provisio job run directory_accounts --force     # past an exceeded threshold, after review',
      ),
  ).action(async (name: string, options: ShowOptions & { force?: boolean }, command: Command) => {
    const ctx = contextOf(command)
    const { project, db } = await jobProject(ctx, name)
    const progress = progressReporter(ctx.options)
    const notify = cliEvents(ctx, db, project)
    const run = await progress
      .track(
        runJob(db, project, name, {
          force: options.force,
          actor: 'cli',
          events: notify.events,
          onEvaluateProgress: (step, rows) => progress.evaluated(name, step, rows),
          onExecuteProgress: (done, total) => progress.executed(name, done, total),
        }),
      )
      .finally(() => notify.finish())
    const { evaluation, execution } = run
    printRoleNotices(ctx, evaluation)
    if (evaluation.stopped && ctx.options.json) return stoppedAsJson(ctx, evaluation)
    if (ctx.options.json) {
      ctx.out.result(
        {
          runId: run.runId,
          planId: evaluation.planId,
          steps: evaluation.steps,
          execution,
          settledInDoubt: evaluation.settledInDoubt,
          ...roleModelJson(evaluation),
        },
        () => '',
      )
    } else {
      await printPlan(ctx, db, evaluation.planId, evaluation.steps, options, '', roleModelJson(evaluation))
      if (execution !== undefined) {
        ctx.out.line(renderExecution(execution))
        await printFailedOperations(ctx, db, evaluation.planId)
      }
    }
    if (evaluation.stopped) throw thresholdError(evaluation)
    if (execution !== undefined && execution.failed > 0) process.exitCode = 1
  })
}
