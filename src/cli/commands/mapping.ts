/**
 * `provisio mapping evaluate`: one mapping planned against the vault into a stored plan, nothing
 * written; `provisio plan execute ID` executes it.
 */
import type { Command } from 'commander'
import { evaluatePlan } from '../../engine/index.ts'
import { contextOf } from '../context.ts'
import { endProgress } from '../progress.ts'
import { type ShowOptions, evaluationProgress, printPlan, requireName, showOptions } from './plan-printing.ts'

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
