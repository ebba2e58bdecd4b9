/**
 * `provisio mapping evaluate`, `provisio job evaluate|run` and `provisio plan list|show|execute`:
 * evaluate into a stored plan that can be reviewed, then execute it (as planned), or do both in one
 * run. Every command prints the plan the way people review it, or `--json` for scripts.
 */
import type { Command } from 'commander'
import { closestMatch } from '../../core/index.ts'
import type { ValidatedProject } from '../../config/index.ts'
import { type ExecutionSummary, engineError, evaluatePlan, executePlan } from '../../engine/index.ts'
import { type JobEvaluation, jobError, evaluateJob, runJob } from '../../jobs/index.ts'
import { type SqlDriver, countOperations, getPlan, listPlans, streamOperations } from '../../vault/index.ts'
import { type CliContext, contextOf } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { endProgress } from '../progress.ts'
import { positiveInteger } from '../parse-options.ts'
import {
  type PlanStepView,
  operationJson,
  readOperations,
  renderFailures,
  renderOperations,
  renderSteps,
} from './plan-output.ts'

const SHOWN = 50

interface ShowOptions {
  readonly all?: boolean
  readonly limit?: number
}

function shownLimit(options: ShowOptions): number | undefined {
  return options.all === true ? undefined : (options.limit ?? SHOWN)
}

/** Throws ENG_UNKNOWN_MAPPING or JOB_UNKNOWN_JOB, with a did-you-mean, when `name` is not among `names`. */
function requireName(kind: 'mapping' | 'job', names: readonly string[], name: string): void {
  if (names.includes(name)) return
  const suggestion = closestMatch(name, names)
  const hint = `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}${kind === 'job' ? 'Jobs' : 'Mappings'}: ${names.join(', ') || '(none)'}.`
  const message = `The project has no ${kind} '${name}'.`
  throw kind === 'job'
    ? jobError('JOB_UNKNOWN_JOB', message, { hint })
    : engineError('ENG_UNKNOWN_MAPPING', message, { hint })
}

/** Prints a fresh plan: its steps, the first operations, the rows that failed, and what to do next. */
async function printPlan(
  ctx: CliContext,
  db: SqlDriver,
  planId: number,
  steps: readonly PlanStepView[],
  options: ShowOptions,
  next: string,
): Promise<void> {
  const total = steps.reduce((n, s) => n + s.operations, 0)
  const operations = await readOperations(db, planId, ctx.options.json ? undefined : shownLimit(options))
  const failed = steps.reduce((n, s) => n + s.failed, 0)
  ctx.out.result({ planId, steps, operations: operations.map(operationJson) }, () =>
    [
      `Plan ${planId}`,
      renderSteps(steps),
      '',
      total === 0 ? 'Nothing to do: the target already matches.' : renderOperations(operations, total),
      renderFailures(
        steps.flatMap((s) => s.failures),
        failed,
      ),
      total === 0 ? '' : next,
    ]
      .filter((l) => l !== '')
      .join('\n'),
  )
}

function evaluationProgress(ctx: CliContext, label: string): (step: number, rows: number) => void {
  const progress = ctx.progress()
  return (step, rows) => progress({ task: `${label} step ${step + 1}`, done: rows, unit: 'rows' })
}

function executionProgress(ctx: CliContext): (done: number, total: number) => void {
  const progress = ctx.progress()
  return (done, total) => progress({ task: 'execute', done, total, unit: 'operations' })
}

function renderExecution(summary: ExecutionSummary): string {
  const lines = [
    `Executed plan ${summary.planId}: ${formatCount(summary.succeeded)} succeeded, ${formatCount(summary.failed)} failed, ${formatCount(summary.skipped)} skipped (${summary.status}).`,
  ]
  if (summary.settledInDoubt > 0)
    lines.push(`Settled ${formatCount(summary.settledInDoubt)} operation(s) an interrupted run had left in doubt.`)
  return lines.join('\n')
}

async function printFailedOperations(ctx: CliContext, db: SqlDriver, planId: number): Promise<void> {
  const failed = []
  for await (const page of streamOperations(db, planId, { statuses: ['failed', 'skipped'], pageSize: 20 })) {
    failed.push(...page)
    break
  }
  if (failed.length === 0 || ctx.options.json) return
  ctx.out.line(
    formatTable(
      ['#', 'function', 'key', 'status', 'error'],
      failed.map((o) => [
        o.seq,
        o.function,
        String(o.keyValue ?? '(new)'),
        o.status,
        `${o.errorCode ?? ''}: ${o.message ?? ''}`,
      ]),
      ['right', 'left', 'left', 'left', 'left'],
      110,
    ),
  )
}

function thresholdError(evaluation: JobEvaluation): Error {
  const which = evaluation.exceeded
    .map(
      (s) =>
        `step ${s.index + 1} (${s.mapping}, ${s.function}) plans ${formatCount(s.operations)} operations, more than its threshold of ${s.threshold?.described}`,
    )
    .join('; ')
  return jobError('JOB_THRESHOLD_EXCEEDED', `Job ${evaluation.job} stopped before writing anything: ${which}.`, {
    hint: `Review the plan with \`provisio plan show ${evaluation.planId}\`. If it is right, run \`provisio job run ${evaluation.job} --force\` (or \`provisio plan execute ${evaluation.planId} --force\`), or raise the step's threshold in the Job document.`,
    details: {
      planId: evaluation.planId,
      steps: evaluation.exceeded.map((s) => ({
        step: s.index + 1,
        mapping: s.mapping,
        operations: s.operations,
        threshold: s.threshold,
      })),
    },
  })
}

const showOptions = (command: Command) =>
  command
    .option('--limit <n>', `operations to print (default ${SHOWN})`, positiveInteger)
    .option('--all', 'print every operation')

export function registerMapping(program: Command): void {
  const mapping = program.command('mapping').description('Evaluate mappings: what they would write, without writing.')
  showOptions(
    mapping
      .command('evaluate')
      .argument('<name>', 'mapping name')
      .description(
        "Plan one mapping against the vault's current data and store the plan; nothing is written to the target.",
      )
      .addHelpText(
        'after',
        '\nExamples:\n  $ provisio mapping evaluate create_accounts -p examples/hr500\n  $ provisio mapping evaluate update_accounts --all --json',
      ),
  ).action(async (name: string, options: ShowOptions, command: Command) => {
    const ctx = contextOf(command)
    const project = await ctx.project()
    requireName(
      'mapping',
      project.mappings.map((m) => m.name),
      name,
    )
    const db = await ctx.vault()
    const evaluation = await evaluatePlan(db, project, {
      source: { kind: 'mapping', name },
      steps: [{ mapping: name }],
      onProgress: evaluationProgress(ctx, 'evaluate'),
    })
    endProgress(process.stderr)
    await printPlan(
      ctx,
      db,
      evaluation.planId,
      evaluation.steps,
      options,
      `Execute it with: provisio plan execute ${evaluation.planId}`,
    )
  })
}

async function jobProject(ctx: CliContext, name: string): Promise<{ project: ValidatedProject; db: SqlDriver }> {
  const project = await ctx.project()
  requireName(
    'job',
    project.jobs.map((j) => j.name),
    name,
  )
  return { project, db: await ctx.vault() }
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
    const evaluation = await evaluateJob(db, project, name, {
      force: options.force,
      onEvaluateProgress: evaluationProgress(ctx, 'evaluate'),
    })
    endProgress(process.stderr)
    await printPlan(
      ctx,
      db,
      evaluation.planId,
      evaluation.steps,
      options,
      `Execute it with: provisio plan execute ${evaluation.planId}`,
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
    const run = await runJob(db, project, name, {
      force: options.force,
      actor: 'cli',
      onEvaluateProgress: evaluationProgress(ctx, 'evaluate'),
      onExecuteProgress: executionProgress(ctx),
    })
    endProgress(process.stderr)
    const { evaluation, execution } = run
    if (ctx.options.json) {
      ctx.out.result(
        {
          runId: run.runId,
          planId: evaluation.planId,
          steps: evaluation.steps,
          execution,
          settledInDoubt: evaluation.settledInDoubt,
        },
        () => '',
      )
    } else {
      await printPlan(ctx, db, evaluation.planId, evaluation.steps, options, '')
      if (execution !== undefined) {
        ctx.out.line(renderExecution(execution))
        await printFailedOperations(ctx, db, evaluation.planId)
      }
    }
    if (evaluation.stopped) throw thresholdError(evaluation)
    if (execution !== undefined && execution.failed > 0) process.exitCode = 1
  })
}

export function registerPlan(program: Command): void {
  const plan = program.command('plan').description('Stored plans: list them, review one, execute one as planned.')
  plan
    .command('list')
    .option('--limit <n>', 'plans to list (default 20)', positiveInteger)
    .description('List the most recent plans with their status and counts.')
    .addHelpText('after', '\nExamples:\n  $ provisio plan list -p examples/hr500')
    .action(async (options: { limit?: number }, command: Command) => {
      const ctx = contextOf(command)
      const plans = await listPlans(await ctx.vault(), { limit: options.limit ?? 20 })
      ctx.out.result(plans, (list) =>
        list.length === 0
          ? 'No plans yet: `provisio job evaluate NAME` makes one.'
          : formatTable(
              ['plan', 'source', 'status', 'created', 'operations', 'succeeded', 'failed'],
              list.map((p) => [
                p.id,
                `${p.source.kind} ${p.source.name}`,
                p.status,
                p.createdAt,
                formatCount(Object.values(p.counts).reduce((a, b) => a + (b ?? 0), 0)),
                formatCount(p.counts.succeeded ?? 0),
                formatCount(p.counts.failed ?? 0),
              ]),
              ['right', 'left', 'left', 'left', 'right', 'right', 'right'],
            ),
      )
    })

  showOptions(
    plan
      .command('show')
      .argument('<id>', 'plan id', positiveInteger)
      .description('Show a stored plan: its steps, operations with their status, and errors.')
      .addHelpText(
        'after',
        '\nExamples:\n  $ provisio plan show 3 -p examples/hr500\n  $ provisio plan show 3 --all --json',
      ),
  ).action(async (id: number, options: ShowOptions, command: Command) => {
    const ctx = contextOf(command)
    const db = await ctx.vault()
    const record = await getPlan(db, id)
    const counts = await countOperations(db, id)
    const operations = await readOperations(
      db,
      id,
      ctx.options.json ? shownLimit({ ...options, all: options.all ?? true }) : shownLimit(options),
    )
    ctx.out.result({ ...record, operations: operations.map(operationJson) }, (r) =>
      [
        `Plan ${r.id} (${r.source.kind} ${r.source.name}): ${r.status}, created ${r.createdAt}${r.executedAt === undefined ? '' : `, executed ${r.executedAt}`}`,
        renderSteps(r.steps as PlanStepView[]),
        '',
        renderOperations(operations, counts.total),
      ].join('\n'),
    )
  })

  plan
    .command('execute')
    .argument('<id>', 'plan id', positiveInteger)
    .option('--force', 'execute a plan that a threshold stopped')
    .description(
      'Execute a stored plan as planned. An operation whose target row changed since planning is skipped and reported.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio job evaluate directory_accounts   # review the plan, then:\n  $ provisio plan execute 3',
    )
    .action(async (id: number, options: { force?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const db = await ctx.vault()
      const summary = await executePlan(db, project, id, {
        actor: 'cli',
        driftCheck: true,
        force: options.force,
        onProgress: executionProgress(ctx),
      })
      endProgress(process.stderr)
      ctx.out.result(summary, renderExecution)
      await printFailedOperations(ctx, db, id)
      if (summary.failed > 0) process.exitCode = 1
    })
}
