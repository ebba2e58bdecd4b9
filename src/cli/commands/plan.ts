/**
 * `provisio plan list|show|execute`: stored plans, reviewed and executed as planned. Execution holds
 * the lease of the plan's systems and skips operations whose target row changed since planning.
 */
import type { Command } from 'commander'
import { executeStoredPlan } from '../../jobs/index.ts'
import { countOperations, getPlan, listPlans } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { cliEvents } from '../events.ts'
import { formatCount, formatTable } from '../output.ts'
import { progressReporter } from '../progress.ts'
import { positiveInteger } from '../parse-options.ts'
import { type PlanStepView, operationJson, readOperations, renderOperations, renderSteps } from './plan-output.ts'
import { type ShowOptions, printFailedOperations, renderExecution, shownLimit, showOptions } from './plan-printing.ts'

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
      const progress = progressReporter(ctx.options)
      const notify = cliEvents(ctx, db, project)
      const summary = await progress
        .track(
          executeStoredPlan(db, project, id, {
            actor: 'cli',
            force: options.force,
            events: notify.events,
            onExecuteProgress: (done, total) => progress.executed(`plan ${id}`, done, total),
          }),
        )
        .finally(() => notify.finish())
      ctx.out.result(summary, renderExecution)
      await printFailedOperations(ctx, db, id)
      if (summary.failed > 0) process.exitCode = 1
    })
}
