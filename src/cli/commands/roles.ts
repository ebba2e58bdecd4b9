/**
 * `provisio roles diff|activate|history|restore|inspect`: the role models (DESIGN.md §8 "roles").
 * The development model is the project's RoleModel document; `activate` stores it in the vault as
 * the active model, the only one jobs execute, and moves the one before to history; `restore` gives
 * a stored model back to the project's files. `diff` and `inspect` resolve models against the vault
 * and show roles, groups and members as they are today.
 */
import type { Command } from 'commander'
import { activateDevelopmentModel } from '../../engine/index.ts'
import { type StoredRoleModel, listRoleModels } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'
import { diffModels, renderDiff } from './roles-diff.ts'
import { type InspectOptions, inspectModel, inspectQuery, renderInspection } from './roles-inspect.ts'
import {
  type ListOptions,
  LIST_SHOWN,
  listLimit,
  listOptions,
  modelChoice,
  modelJson,
  printNotices,
  withoutSource,
} from './roles-model.ts'
import { DEFAULT_MODEL_FILE, renderRestore, restoreModel } from './roles-restore.ts'

function renderHistory(models: readonly Omit<StoredRoleModel, 'source'>[]): string {
  if (models.length === 0)
    return 'No role model was activated yet: `provisio roles activate` activates the development model.'
  return formatTable(
    ['id', 'state', 'name', 'activated', 'by', 'retired', 'roles', 'generators', 'file'],
    models.map((m) => [
      m.id,
      m.state,
      m.name,
      m.activatedAt,
      m.activatedBy,
      m.retiredAt ?? '',
      formatCount(m.roles),
      formatCount(m.generators),
      m.file,
    ]),
    ['right', 'left', 'left', 'left', 'left', 'left', 'right', 'right', 'left'],
  )
}

function registerDiff(roles: Command): void {
  listOptions(
    roles
      .command('diff')
      .description(
        'Compare the development model (the project) with the active one (the vault), both resolved against the vault: roles, groups and members added or removed.',
      )
      .addHelpText(
        'after',
        `\nWithout an active model, every role of the development model is new. Lists are cut at ${LIST_SHOWN} items; --json gives them all.\n\nExamples:\n  $ provisio roles diff -p examples/hr500\n  $ provisio roles diff --all\n  $ provisio roles diff --json > diff.json`,
      ),
    'items',
  ).action(async (options: ListOptions, command: Command) => {
    const ctx = contextOf(command)
    const project = await ctx.project()
    const db = await ctx.vault()
    const { report, development, active } = await diffModels(ctx, db, project)
    printNotices(ctx, report.notices.development)
    ctx.out.result(report, (r) => renderDiff(r, development, active, listLimit(options)))
  })
}

function registerActivate(roles: Command): void {
  roles
    .command('activate')
    .description(
      'Activate the development model: it becomes the model jobs execute, and the active one moves to history.',
    )
    .addHelpText(
      'after',
      '\nReview what changes first with `provisio roles diff`. Activating a model equal to the active one stores nothing.\n\nExamples:\n  $ provisio roles diff -p examples/hr500      # review, then:\n  $ provisio roles activate -p examples/hr500\n  $ provisio roles history',
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const db = await ctx.vault()
      const result = await activateDevelopmentModel(db, project, { actor: 'cli' })
      const json = {
        active: withoutSource(result.active),
        previous: result.previous === undefined ? null : withoutSource(result.previous),
        unchanged: result.unchanged,
      }
      ctx.out.result(json, ({ active, previous, unchanged }) => {
        if (unchanged) return `Unchanged: the development model equals active model ${active.id}; nothing was stored.`
        return [
          `Activated role model ${active.id} '${active.name}' from ${active.file}: ${formatCount(active.roles)} role(s), ${formatCount(active.generators)} generator(s).`,
          previous === null ? 'No model was active before.' : `Model ${previous.id} moved to history.`,
          "Jobs' memberships steps plan from it now: `provisio job evaluate NAME` shows what they would write.",
        ].join('\n')
      })
    })
}

function registerHistory(roles: Command): void {
  roles
    .command('history')
    .option('--limit <n>', 'models to list, newest first (default all)', positiveInteger)
    .description('List the stored role models: the active one and the earlier ones, newest first.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio roles history -p examples/hr500\n  $ provisio roles restore 2      # a model of the history back into the project',
    )
    .action(async (options: { limit?: number }, command: Command) => {
      const ctx = contextOf(command)
      const models = await listRoleModels(await ctx.vault(), { limit: options.limit })
      ctx.out.result(models.map(withoutSource), renderHistory)
    })
}

function registerRestore(roles: Command): void {
  roles
    .command('restore')
    .argument('<id>', 'a stored model (provisio roles history)', positiveInteger)
    .option(
      '--file <path>',
      `where to write it when the project has no RoleModel document, relative to the project (default ${DEFAULT_MODEL_FILE})`,
    )
    .description(
      "Write a stored model's YAML into the project as the development model (replacing the RoleModel document). It does not activate it.",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio roles history -p examples/hr500\n  $ provisio roles restore 2 -p examples/hr500\n  $ provisio roles diff        # review, then: provisio roles activate',
    )
    .action(async (id: number, options: { file?: string }, command: Command) => {
      const ctx = contextOf(command)
      const result = await restoreModel(ctx, await ctx.vault(), id, options.file)
      ctx.out.result(result, renderRestore)
    })
}

function registerInspect(roles: Command): void {
  listOptions(
    roles
      .command('inspect')
      .option('--member <key>', "a member's key, as the memberships table holds it (u123, a DN)")
      .option('--group <name>', "a group's name or key (DEPGRP_EN)")
      .option('--role <name>', 'a role (a written one, or one a generator makes)')
      .option(
        '--model <model>',
        'active, development, or a stored model id (default: active, else development)',
        modelChoice,
      )
      .description(
        'Show one member, group or role under a role model: the roles involved, their groups and members, the memberships the vault holds and the pending changes.',
      )
      .addHelpText(
        'after',
        '\nGive exactly one of --member, --group and --role. Nothing is stored.\n\nExamples:\n  $ provisio roles inspect --member u123 -p examples/hr500\n  $ provisio roles inspect --group DEPGRP_EN\n  $ provisio roles inspect --role DEP_EN --model development --all\n  $ provisio roles inspect --role all_staff --json',
      ),
    'items',
  ).action(async (options: InspectOptions & ListOptions, command: Command) => {
    const query = inspectQuery(options, command)
    const ctx = contextOf(command)
    const project = await ctx.project()
    const db = await ctx.vault()
    const inspected = await inspectModel(ctx, db, project, query, options.model)
    printNotices(ctx, inspected.resolved.notices)
    ctx.out.result(
      { model: modelJson(inspected.model), ...inspected.inspection, notices: inspected.resolved.notices },
      () => renderInspection(inspected, listLimit(options)),
    )
  })
}

export function registerRoles(program: Command): void {
  const roles = program
    .command('roles')
    .description('Role models: compare, activate, list, restore and inspect them (docs/roles.md).')
    .addHelpText(
      'after',
      '\nThe development model is the RoleModel document of the project; jobs execute only the active one.\n\nExamples:\n  $ provisio roles diff -p examples/hr500\n  $ provisio roles activate\n  $ provisio roles inspect --member u123',
    )
  registerDiff(roles)
  registerActivate(roles)
  registerHistory(roles)
  registerRestore(roles)
  registerInspect(roles)
}
