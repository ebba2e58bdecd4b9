/**
 * `provisio task list|run`: the project's tasks with their schedules, and running one task once,
 * printing each stage's figures as `collect` and `job run` do. A failed or stopped run exits 1.
 * Scheduling (`provisio serve`) comes later; a disabled task still runs when asked to.
 */
import type { Command } from 'commander'
import {
  type TaskListing,
  type TaskRun,
  plannedOperations,
  requireTask,
  runTask,
  taskListing,
} from '../../jobs/index.ts'
import { type CliContext, contextOf } from '../context.ts'
import { cliEvents } from '../events.ts'
import { formatCount, formatTable } from '../output.ts'
import { progressReporter, taskProgress } from '../progress.ts'
import { renderCollection } from './collect.ts'
import { type ShowOptions, printFailedOperations, printPlan, renderExecution, showOptions } from './plan-printing.ts'

function renderList(tasks: readonly TaskListing[]): string {
  if (tasks.length === 0) return 'The project has no tasks.'
  return formatTable(
    ['task', 'type', 'enabled', 'schedule', 'next run'],
    tasks.map((t) => [
      t.name,
      t.type,
      t.enabled ? 'yes' : 'no',
      t.schedule === null
        ? '-'
        : `${t.schedule.cron}${t.schedule.timeZone === undefined ? '' : ` (${t.schedule.timeZone})`}`,
      t.nextRunText,
    ]),
  )
}

/** The run as one JSON document. */
function runJson(run: TaskRun): Record<string, unknown> {
  return {
    runId: run.runId,
    task: run.task,
    type: run.type,
    enabled: run.enabled,
    status: run.status,
    counts: run.counts,
    collections: run.collections,
    evaluations: run.evaluations.map((e) => ({
      job: e.job,
      planId: e.planId,
      steps: e.steps,
      stopped: e.stopped,
      settledInDoubt: e.settledInDoubt,
    })),
    executions: run.executions,
    ...(run.export === undefined ? {} : { export: run.export }),
    ...(run.error === undefined ? {} : { error: errorJson(run.error) }),
  }
}

function errorJson(error: Error): unknown {
  const toJSON = (error as Error & { toJSON?: () => unknown }).toJSON
  return toJSON === undefined ? { message: error.message } : toJSON.call(error)
}

async function printRun(ctx: CliContext, run: TaskRun, options: ShowOptions): Promise<void> {
  const db = await ctx.vault()
  for (const collection of run.collections) ctx.out.result(collection, renderCollection)
  for (const evaluation of run.evaluations) {
    ctx.out.line(`Job ${evaluation.job}:`)
    await printPlan(ctx, db, evaluation.planId, evaluation.steps, options, '')
  }
  for (const execution of run.executions) {
    ctx.out.line(`Job ${execution.job}: ${renderExecution(execution)}`)
    await printFailedOperations(ctx, db, execution.planId)
  }
  if (run.export !== undefined) {
    const { file, rows, removed } = run.export
    ctx.out.line(`Exported ${formatCount(rows)} row(s) to ${file}.`)
    if (removed.length > 0) ctx.out.line(`Removed ${removed.length} older export(s): ${removed.join(', ')}.`)
  }
  const stopped = run.evaluations.filter((e) => e.stopped).map((e) => e.job)
  if (stopped.length > 0) {
    ctx.out.line(
      `Job ${stopped.join(', ')} stopped at a threshold: nothing was executed. Review the plan(s) above; if they are right, run the job with \`provisio job run NAME --force\`, or raise the threshold in the Job document.`,
    )
  }
  if (run.status === 'awaiting-approval') {
    ctx.out.line(
      `The task requires approval: nothing was written. Review the plan(s) above (\`provisio runs show ${run.runId}\`), then \`provisio runs approve ${run.runId}\` to execute exactly them, or \`provisio runs reject ${run.runId}\`.`,
    )
  }
  const planned = run.evaluations.reduce((n, e) => n + plannedOperations(e), 0)
  // Evaluated but not executed: asked so (--evaluate-only, execute: false), or there was nothing to write.
  const why =
    run.type !== 'sync' || run.evaluations.length === 0 || run.executions.length > 0 || run.status !== 'succeeded'
      ? ''
      : planned === 0
        ? ' (nothing to do)'
        : ' (evaluated only)'
  ctx.out.line(`Task ${run.task} ${run.status}${why} (run ${run.runId}).`)
}

export function registerTask(program: Command): void {
  const task = program
    .command('task')
    .description('List tasks and run one once: collect, evaluate and execute (sync), or write a CSV export.')
  task
    .command('list')
    .description('List the tasks of the project with their schedules and next run times.')
    .addHelpText('after', '\nExamples:\n  $ provisio task list -p examples/hr500\n  $ provisio task list --json')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const now = new Date()
      ctx.out.result({ tasks: project.tasks.map((t) => taskListing(t, now)) }, (r) => renderList(r.tasks))
    })

  showOptions(
    task
      .command('run')
      .argument('<name>', 'task name')
      .option('--evaluate-only', 'stop a sync task after evaluating: plans are stored, nothing is written')
      .option('--wait', 'when the task is already running, wait for that run to end instead of refusing')
      .description('Run a task once, now, whether or not it is enabled or scheduled.')
      .addHelpText(
        'after',
        `
A sync task collects its systems, evaluates its jobs into plans, and executes them in order; when a
job stops at a threshold nothing is executed. An export task writes a filter's rows to a CSV file.
The run is recorded (provisio runs); a failed or stopped run exits with code 1.

One run of a task at a time: while one is going on (scheduled, or started elsewhere), the command
refuses with JOB_TASK_RUNNING. Give --wait when the run must happen anyway, for example from a
script that follows an import: it is recorded as queued and starts when the other run ends.

Examples:
  $ provisio task run nightly_sync -p examples/hr500
  $ provisio task run nightly_sync --evaluate-only
  $ provisio task run staff_export --json
  $ provisio task run nightly_sync --wait     # after the run going on, instead of refusing`,
      ),
  ).action(
    async (name: string, options: ShowOptions & { evaluateOnly?: boolean; wait?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const config = requireTask(project, name)
      if (!config.enabled)
        ctx.out.note(`note: task ${config.name} is disabled: it is not scheduled, but runs when asked.`)
      const db = await ctx.vault()
      const progress = progressReporter(ctx.options)
      const notify = cliEvents(ctx, db, project)
      const run: TaskRun = await progress.track(
        runTask(db, project, config.name, {
          evaluateOnly: options.evaluateOnly,
          whenBusy: options.wait === true ? 'wait' : 'refuse',
          actor: 'cli',
          events: notify.events,
          ...taskProgress(progress),
        })
          .then((run) => {
            // A run that failed returns its error: the stage going on stopped there.
            progress.end(run.error !== undefined)
            return run
          })
          .finally(() => notify.finish()),
      )
      if (ctx.options.json) ctx.out.result(runJson(run), () => '')
      else await printRun(ctx, run, options)
      if (run.error !== undefined && !ctx.options.json) ctx.out.error(run.error)
      // Awaiting approval is not a failure: the run goes on when someone decides.
      if (run.status !== 'succeeded' && run.status !== 'awaiting-approval') process.exitCode = 1
    },
  )
}
