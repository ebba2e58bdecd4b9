/**
 * `provisio generator preview`: what a name or password generator gives for the first rows of a
 * filter, with the uniqueness checks against the vault, before any mapping uses it. Nothing is
 * stored or handed out.
 */
import type { Command } from 'commander'
import { findGenerator, previewGenerator } from '../../engine/index.ts'
import { contextOf } from '../context.ts'
import { cliError } from '../errors.ts'
import { formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'

export function registerGenerator(program: Command): void {
  const generator = program.command('generator').description('Preview name and password generators.')
  generator
    .command('preview')
    .argument('<name>', 'a NameGenerator or PasswordGenerator')
    .option('--filter <name>', "the filter whose rows to use (default: the generator's own filter)")
    .option('--limit <n>', 'rows to preview (default 10)', positiveInteger)
    .description(
      'Show what a generator gives for the first rows of a filter, checking uniqueness against the vault. Nothing is stored.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio generator preview account_names -p examples/hr500\n  $ provisio generator preview initial_password --filter needs_account --limit 3',
    )
    .action(async (name: string, options: { filter?: string; limit?: number }, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const { names, passwords } = findGenerator(project, name)
      const filterName = options.filter ?? names?.filter
      const filter = project.filters.find((f) => f.name.toLowerCase() === filterName?.toLowerCase())
      if (filter === undefined) {
        throw cliError(
          'CLI_USAGE',
          filterName === undefined
            ? `Generator '${name}' names no filter; give one with --filter.`
            : `The project has no filter '${filterName}'.`,
        )
      }
      const db = await ctx.vault()
      const preview = await previewGenerator(db, project, { names, passwords }, filter, { limit: options.limit ?? 10 })
      const rows = preview.rows.map((r) => ({
        row: r.row,
        ...r.values,
        ...(r.error === undefined ? {} : { error: `${r.error.message} [${r.error.code}]` }),
        ...(r.password === undefined ? {} : { password: r.password }),
      }))
      const passwordGenerator = passwords
      const columns = ['row', ...(names?.names.map((n) => n.name) ?? []), ...(passwordGenerator ? ['password'] : [])]
      if (rows.some((r) => 'error' in r)) columns.push('error')
      ctx.out.result({ generator: name, filter: filter.name, rows }, (r) =>
        [
          formatTable(
            columns,
            r.rows.map((row) => columns.map((c) => (row as Record<string, unknown>)[c])),
            [],
            80,
          ),
          passwordGenerator === undefined ? '' : '(sample passwords: generated for this preview only, never stored)',
        ]
          .filter((l) => l !== '')
          .join('\n'),
      )
    })
}
