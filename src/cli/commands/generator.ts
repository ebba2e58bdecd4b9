/**
 * `provisio generator preview`: what a name or password generator gives for the first rows of a
 * filter, with the uniqueness checks against the vault, before any mapping uses it. Nothing is
 * stored or handed out.
 */
import type { Command } from 'commander'
import { closestMatch } from '../../core/index.ts'
import type { ValidatedProject } from '../../config/index.ts'
import {
  HandedOutNames,
  createNameGenerator,
  createPasswordGenerator,
  engineError,
  filterRowShape,
  generatedTypes,
  parameterTypes,
  preloadUniqueness,
  uniqueInColumns,
} from '../../engine/index.ts'
import { compileFilter, runFilter } from '../../filters/index.ts'
import { contextOf } from '../context.ts'
import { cliError } from '../errors.ts'
import { formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'

function findGenerator(project: ValidatedProject, name: string) {
  const names = project.nameGenerators.find((g) => g.name.toLowerCase() === name.toLowerCase())
  const passwords = project.passwordGenerators.find((g) => g.name.toLowerCase() === name.toLowerCase())
  if (names === undefined && passwords === undefined) {
    const all = [...project.nameGenerators, ...project.passwordGenerators].map((g) => g.name)
    const suggestion = closestMatch(name, all)
    throw engineError('ENG_UNKNOWN_GENERATOR', `The project has no name or password generator '${name}'.`, {
      hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Generators: ${all.join(', ') || '(none)'}.`,
    })
  }
  return { names, passwords }
}

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
      const compiled = compileFilter(filter, project, db.dialect.name)
      const shape = filterRowShape(compiled.columns, {
        generated: generatedTypes(names?.names ?? []),
        parameters: parameterTypes(filter),
      })
      const nameGenerator =
        names === undefined
          ? undefined
          : createNameGenerator(names, shape.scope, {
              uniqueness: await preloadUniqueness(db, uniqueInColumns([names])),
              handedOut: new HandedOutNames(),
              compile: { paramValues: compiled.parameters },
            })
      const passwordGenerator =
        passwords === undefined
          ? undefined
          : createPasswordGenerator(passwords, shape.scope, { paramValues: compiled.parameters })
      const rows = []
      for await (const page of runFilter(db, compiled, { limit: options.limit ?? 10 })) {
        for (const row of page) {
          const identity = String(Object.values(row)[0] ?? '')
          const evalRow = shape.toEvalRow(row)
          const outcome = nameGenerator?.generate(evalRow, { identity })
          const values = outcome?.ok === true ? { ...outcome.values } : {}
          rows.push({
            row: identity,
            ...values,
            ...(outcome?.ok === false ? { error: `${outcome.error.message} [${outcome.error.code}]` } : {}),
            ...(passwordGenerator === undefined
              ? {}
              : { password: passwordGenerator.generate(shape.toEvalRow(row, values)) }),
          })
        }
      }
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
