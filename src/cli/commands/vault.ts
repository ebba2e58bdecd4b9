import type { Command } from 'commander'
import {
  compileTableCondition,
  listVaultTables,
  loadCollection,
  queryRows,
  requireVaultTable,
  resetVaultTable,
  rowHistory,
} from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { cliError } from '../errors.ts'
import { formatCount, formatTable } from '../output.ts'
import { endProgress } from '../progress.ts'
import { positiveInteger } from '../parse-options.ts'
import { renderCollection } from './collect.ts'

function showValue(value: unknown): string {
  if (value === null || value === undefined) return '∅'
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value)
}

export function registerVault(program: Command): void {
  const vault = program
    .command('vault')
    .description('Browse and manage the vault: collected tables, their rows and their history.')

  vault
    .command('tables')
    .description('List the tables the vault holds, with row counts and when they were last collected.')
    .addHelpText('after', '\nExamples:\n  $ provisio vault tables\n  $ provisio vault tables --json')
    .action(async (_o, command: Command) => {
      const ctx = contextOf(command)
      const tables = await listVaultTables(await ctx.vault())
      ctx.out.result({ tables }, ({ tables: t }) =>
        t.length === 0
          ? 'The vault is empty: run `provisio collect` first.'
          : formatTable(
              ['table', 'rows', 'columns', 'collection', 'collected at'],
              t.map((x) => [
                `${x.system}.${x.table}`,
                formatCount(x.rows),
                x.columns,
                x.lastCollectionId ?? '',
                x.lastCollectedAt ?? '',
              ]),
              ['left', 'right', 'right', 'right', 'left'],
            ),
      )
    })

  vault
    .command('query')
    .argument('<table>', 'SYSTEM.TABLE')
    .option(
      '--where <expr>',
      "an expression over the table's columns, e.g. \"last_name like 'Jans%' and birth_date < date '1980-01-01'\"",
    )
    .option('--limit <n>', 'rows to show', positiveInteger, 100)
    .option('--offset <n>', 'rows to skip', positiveInteger, 0)
    .option('--order <column>', 'column to sort by (default: the primary key)')
    .option('--desc', 'sort descending')
    .description('Show the current rows of a collected table.')
    .addHelpText(
      'after',
      `
Examples:
  $ provisio vault query hr500.employees --limit 10
  $ provisio vault query hr500.employees --where "lower(last_name) like 'o''%'" --json
  $ provisio vault query hr500.contracts --where "end_date is null" --order start_date --desc`,
    )
    .action(
      async (
        name: string,
        options: { where?: string; limit: number; offset: number; order?: string; desc?: boolean },
        command: Command,
      ) => {
        const ctx = contextOf(command)
        const driver = await ctx.vault()
        const table = await requireVaultTable(driver, name)
        const where =
          options.where === undefined ? undefined : compileTableCondition(options.where, table, driver.dialect.name)
        const result = await queryRows(driver, table, {
          where,
          limit: options.limit,
          offset: options.offset,
          orderBy: options.order,
          descending: options.desc,
        })
        ctx.out.result({ table: `${table.system}.${table.name}`, total: result.total, rows: result.rows }, (r) => {
          const columns = table.columns.map((c) => c.name)
          const body =
            r.rows.length === 0
              ? '(no rows)'
              : formatTable(
                  columns,
                  r.rows.map((row) => columns.map((c) => row[c])),
                )
          return `${body}\n${formatCount(r.rows.length)} of ${formatCount(r.total)} row(s)`
        })
      },
    )

  vault
    .command('history')
    .argument('<table>', 'SYSTEM.TABLE')
    .option('--key <key>', 'only the row with this primary key')
    .option('--limit <n>', 'changes to show, newest first', positiveInteger, 100)
    .description('Show what changed in a table, when, with old and new values.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio vault history hr500.employees --limit 20\n  $ provisio vault history hr500.employees --key 10023963 --json',
    )
    .action(async (name: string, options: { key?: string; limit: number }, command: Command) => {
      const ctx = contextOf(command)
      const driver = await ctx.vault()
      const table = await requireVaultTable(driver, name)
      const changes = await rowHistory(driver, table, { key: options.key, limit: options.limit })
      ctx.out.result({ table: `${table.system}.${table.name}`, changes }, (r) =>
        r.changes.length === 0
          ? 'No changes recorded.'
          : r.changes
              .map((c) => {
                const head = `collection ${c.collectionId}  ${c.collectedAt}  ${c.kind}  ${c.key}`
                const details =
                  c.kind === 'changed'
                    ? c.changes.map((d) => `    ${d.column}: ${showValue(d.old)} → ${showValue(d.new)}`)
                    : []
                return [head, ...details].join('\n')
              })
              .join('\n'),
      )
    })

  vault
    .command('load')
    .argument('<collection>', 'id of a past successful collection', positiveInteger)
    .option('--force', 'apply even when a collection guard rejects the change')
    .description(
      "Restore a system's tables to their state just after a past collection, without contacting the system.",
    )
    .addHelpText(
      'after',
      `
The load is itself recorded as a collection, so it can be undone by loading the collection before it.

Examples:
  $ provisio collections --system hr500
  $ provisio vault load 12`,
    )
    .action(async (id: number, options: { force?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const driver = await ctx.vault()
      const project = await ctx.project().catch(() => undefined)
      try {
        const result = await loadCollection(driver, {
          collectionId: id,
          force: options.force,
          onProgress: ctx.progress(),
          guards: (table) =>
            project?.systems.flatMap((s) => (s.guards[table] === undefined ? [] : [s.guards[table]]))[0],
        })
        ctx.out.result(result, renderCollection)
      } finally {
        endProgress(process.stderr)
      }
    })

  vault
    .command('reset')
    .argument('<table>', 'SYSTEM.TABLE')
    .option('--yes', 'confirm that the table and all its history are to be dropped')
    .description(
      'Drop a table and its whole history from the vault, for data model changes that cannot be applied in place.',
    )
    .addHelpText('after', '\nExamples:\n  $ provisio vault reset hr500.employees --yes && provisio collect hr500')
    .action(async (name: string, options: { yes?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      if (options.yes !== true)
        throw cliError('CLI_CONFIRMATION_REQUIRED', `Resetting ${name} drops its rows and all its history.`)
      await resetVaultTable(await ctx.vault(), name)
      ctx.out.result({ reset: name }, () => `Dropped ${name} and its history; the next collection starts it afresh.`)
    })
}
