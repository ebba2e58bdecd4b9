import type { Command } from 'commander'
import { collectSystem, findConnector, findSystem } from '../../connectors/index.ts'
import type { SystemConfig } from '../../config/index.ts'
import type { CollectionResult, TableResult } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { formatCount, formatDuration, formatTable } from '../output.ts'
import { progressReporter } from '../progress.ts'

/** How a table was read, once incremental reads were asked for: `incremental: 3 changed` or `full`. */
function readCell(t: TableResult): string {
  return t.incremental ? `incremental: ${formatCount(t.added + t.changed)} changed` : 'full'
}

export function renderCollection(result: CollectionResult): string {
  // The read column appears once incremental reads were asked for; a full collection prints as always.
  const asked = result.tables.some((t) => t.incremental || t.since !== null)
  const rows = result.tables.map((t) => [
    t.table,
    formatCount(t.rowsBefore),
    formatCount(t.rowsAfter),
    formatCount(t.added),
    formatCount(t.changed),
    // An incremental read does not look for removals: 0 would claim too much.
    t.incremental ? '-' : formatCount(t.removed),
    ...(asked ? [readCell(t)] : []),
  ])
  const unchanged = result.tables.every((t) => t.added + t.changed + t.removed === 0)
  const verb = result.kind === 'load' ? 'Loaded' : 'Collected'
  const headers = ['table', 'before', 'after', 'added', 'changed', 'removed', ...(asked ? ['read'] : [])]
  const lines = [
    `${verb} ${result.system} in ${formatDuration(result.durationMs)} (collection ${result.id})${unchanged ? ': no changes' : ''}`,
    formatTable(headers, rows, ['left', 'right', 'right', 'right', 'right', 'right', 'left'])
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  ]
  for (const guard of result.overriddenGuards) lines.push(`  guard overridden with --force: ${guard}`)
  if (result.tables.some((t) => t.incremental)) {
    lines.push('  incremental reads do not see removed rows: collect in full (without --incremental) regularly')
  }
  return lines.join('\n')
}

/** Why tables were read in full although --incremental asked otherwise. */
function fullReadNotes(system: SystemConfig, result: CollectionResult): string[] {
  if (findConnector(system.connector)?.capabilities.supportsIncrementalRead !== true) {
    return [`note: ${system.name} was read in full: the ${system.connector} connector cannot read incrementally.`]
  }
  // Tables without a primary key are always read in full (a delta cannot change their rows): no news.
  const keyed = new Set(system.tables.filter((t) => t.primaryKey !== undefined).map((t) => t.name))
  return result.tables
    .filter((t) => t.since === null && keyed.has(t.table))
    .map(
      (t) =>
        `note: ${system.name}.${t.table} was read in full: no watermark from an earlier collection under the current System document.`,
    )
}

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .argument('[systems...]', 'systems to collect (default: every system of the project)')
    .option('--table <names...>', 'only these tables of the system(s)')
    .option('--force', 'apply the collection even when a collection guard rejects it')
    .option(
      '--incremental',
      'read only what changed since the last collection, where the connector can (removals are not seen)',
    )
    .description('Read systems into the vault: the differences are applied in one transaction and recorded in history.')
    .addHelpText(
      'after',
      `
A collection that breaks a guard (for example an HR export that suddenly lacks most rows) is
rejected and the vault keeps its previous state. Check the export; if the change is expected,
run again with --force or raise the guard in the System document.

With --incremental, a table whose connector can read incrementally (LDAP, AD) is read only from
where its last collection left off, and the rows it does not return are kept. Such a read cannot
see removed rows (or entries moved out of the base): collect in full regularly, for example
nightly, and incrementally in between. Other tables, and tables without an earlier watermark,
are read in full.

Examples:
  $ provisio collect                      # every system
  $ provisio collect hr500 --json
  $ provisio collect hr500 --table employees --force
  $ provisio collect ad --incremental     # only what changed since the last collection`,
    )
    .action(
      async (
        systems: string[],
        options: { table?: string[]; force?: boolean; incremental?: boolean },
        command: Command,
      ) => {
        const ctx = contextOf(command)
        const project = await ctx.project()
        const selected = systems.length === 0 ? project.systems : systems.map((name) => findSystem(project, name))
        const driver = await ctx.vault()
        const results: CollectionResult[] = []
        const progress = progressReporter(ctx.options)
        for (const system of selected) {
          results.push(
            await progress.track(
              collectSystem({
                driver,
                system,
                projectDir: ctx.projectDir,
                tables: options.table,
                force: options.force,
                incremental: options.incremental,
                onProgress: progress.listener(),
              }),
            ),
          )
          if (options.incremental === true)
            for (const note of fullReadNotes(system, results.at(-1)!)) ctx.out.note(note)
          if (!ctx.options.json) ctx.out.result(results.at(-1)!, renderCollection)
        }
        if (ctx.options.json) ctx.out.result({ collections: results }, () => '')
      },
    )
}
