import type { Command } from 'commander'
import { stringify } from 'csv-stringify/sync'
import { type Row, renderIssue } from '../../core/index.ts'
import { compileFilter, countFilter, explainFilter, findFilter, runFilter } from '../../filters/index.ts'
import { ensureJoinIndexes, queryRows, requireVaultTable } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'
import { contextOf } from '../context.ts'
import { cliError } from '../errors.ts'
import { formatCount, formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'

function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=')
  if (at <= 0) throw cliError('CLI_USAGE', `--param expects NAME=VALUE, got '${value}'.`)
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) }
}

async function prepare(ctx: CliContext, name: string, params: Record<string, string>) {
  const project = await ctx.project()
  const filter = findFilter(project, name)
  const driver = await ctx.vault()
  await ensureJoinIndexes(driver, project).catch((e) => ctx.out.note(`Join indexes: ${String(e)}`))
  const compiled = compileFilter(
    filter,
    { systems: project.systems, links: project.links },
    driver.dialect.name,
    params,
  )
  return { project, filter, driver, compiled }
}

function renderRows(columns: readonly string[], rows: readonly Row[]): string {
  return rows.length === 0
    ? '(no rows)'
    : formatTable(
        columns,
        rows.map((r) => columns.map((c) => r[c])),
      )
}

export function registerFilter(program: Command): void {
  const filter = program
    .command('filter')
    .description('Run filters over the vault, show their SQL and how each item narrows the rows.')
  const paramOption = ['--param <name=value>', 'a filter parameter (repeatable)', collectParam, {}] as const

  filter
    .command('run')
    .argument('<name>', 'filter name')
    .option(...paramOption)
    .option('--count', 'print only the number of rows')
    .option('--limit <n>', 'rows to show', positiveInteger)
    .option('--csv', 'print the rows as CSV (with a header row)')
    .description("Run a filter on the vault's current data and print its rows.")
    .addHelpText(
      'after',
      `
Examples:
  $ provisio filter run needs_account
  $ provisio filter run employees_in_unit --param unit=EN_DOC --limit 20
  $ provisio filter run needs_account --count
  $ provisio filter run needs_account --csv > needs_account.csv`,
    )
    .action(
      async (
        name: string,
        options: { param: Record<string, string>; count?: boolean; limit?: number; csv?: boolean },
        command: Command,
      ) => {
        const ctx = contextOf(command)
        const { driver, compiled, filter: f } = await prepare(ctx, name, options.param)
        if (options.count === true) {
          const count = await countFilter(driver, compiled)
          ctx.out.result({ filter: f.name, count }, (r) => String(r.count))
          return
        }
        const columns = compiled.columns.map((c) => c.name)
        const rows: Row[] = []
        for await (const page of runFilter(driver, compiled, { limit: options.limit })) rows.push(...page)
        if (options.csv === true && !ctx.options.json) {
          process.stdout.write(
            stringify(
              rows.map((r) => columns.map((c) => (Array.isArray(r[c]) ? (r[c] as string[]).join('|') : r[c]))),
              { header: true, columns },
            ),
          )
          return
        }
        // A cheap guard against joins that multiply rows: compare with the start table's size.
        const start = await requireVaultTable(driver, `${f.start.system}.${f.start.table}`)
        const startRows = (await queryRows(driver, start, { limit: 0 })).total
        if (options.limit === undefined && rows.length > startRows * f.maxMultiplication) {
          ctx.out.note(
            `warning: ${f.name} gave ${formatCount(rows.length)} rows for ${formatCount(startRows)} rows of ${f.start.system}.${f.start.table}, more than maxMultiplication (${f.maxMultiplication}) allows; \`provisio filter explain ${f.name}\` shows which join multiplies them.`,
          )
        }
        ctx.out.result(
          { filter: f.name, columns, rows },
          (r) => `${renderRows(columns, r.rows)}\n${formatCount(r.rows.length)} row(s)`,
        )
      },
    )

  filter
    .command('sql')
    .argument('<name>', 'filter name')
    .option(...paramOption)
    .description(
      'Show the SQL statement a filter compiles to, with its bound parameters (no value is ever part of the SQL text).',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio filter sql needs_account\n  $ provisio filter sql needs_account --database postgres://localhost/vault',
    )
    .action(async (name: string, options: { param: Record<string, string> }, command: Command) => {
      const ctx = contextOf(command)
      const { compiled, driver } = await prepare(ctx, name, options.param)
      ctx.out.result(
        {
          dialect: driver.dialect.name,
          sql: compiled.sql,
          params: compiled.params.map((p) => (typeof p === 'bigint' ? Number(p) : p)),
        },
        (r) => [`-- ${r.dialect}`, r.sql, '', `-- parameters: ${JSON.stringify(r.params)}`].join('\n'),
      )
    })

  filter
    .command('explain')
    .argument('<name>', 'filter name')
    .option(...paramOption)
    .description('Show how many rows remain after each item of a filter, and warn when joins multiply rows.')
    .addHelpText('after', '\nExamples:\n  $ provisio filter explain current_assignments')
    .action(async (name: string, options: { param: Record<string, string> }, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const f = findFilter(project, name)
      const explanation = await explainFilter(
        await ctx.vault(),
        f,
        { systems: project.systems, links: project.links },
        options.param,
      )
      ctx.out.result(explanation, (e) => {
        const lines = [
          formatTable(
            ['step', 'rows'],
            e.steps.map((s) => [s.label, formatCount(s.rows)]),
            ['left', 'right'],
            140,
          ),
        ]
        for (const warning of e.warnings) lines.push(renderIssue({ ...warning, severity: 'warning' }))
        return lines.join('\n')
      })
    })
}
