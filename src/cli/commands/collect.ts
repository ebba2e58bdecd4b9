import type { Command } from 'commander'
import { collectSystem, connectorError } from '../../connectors/index.ts'
import type { CollectionResult } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { formatCount, formatDuration, formatTable } from '../output.ts'
import { endProgress } from '../progress.ts'

export function renderCollection(result: CollectionResult): string {
  const rows = result.tables.map((t) => [
    t.table,
    formatCount(t.rowsBefore),
    formatCount(t.rowsAfter),
    formatCount(t.added),
    formatCount(t.changed),
    formatCount(t.removed),
  ])
  const unchanged = result.tables.every((t) => t.added + t.changed + t.removed === 0)
  const verb = result.kind === 'load' ? 'Loaded' : 'Collected'
  const lines = [
    `${verb} ${result.system} in ${formatDuration(result.durationMs)} (collection ${result.id})${unchanged ? ': no changes' : ''}`,
    formatTable(['table', 'before', 'after', 'added', 'changed', 'removed'], rows, [
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
    ])
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  ]
  for (const guard of result.overriddenGuards) lines.push(`  guard overridden with --force: ${guard}`)
  return lines.join('\n')
}

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .argument('[systems...]', 'systems to collect (default: every system of the project)')
    .option('--table <names...>', 'only these tables of the system(s)')
    .option('--force', 'apply the collection even when a collection guard rejects it')
    .description(
      'Read systems in full into the vault: the differences are applied in one transaction and recorded in history.',
    )
    .addHelpText(
      'after',
      `
A collection that breaks a guard (for example an HR export that suddenly lacks most rows) is
rejected and the vault keeps its previous state. Check the export; if the change is expected,
run again with --force or raise the guard in the System document.

Examples:
  $ provisio collect                      # every system
  $ provisio collect hr500 --json
  $ provisio collect hr500 --table employees --force`,
    )
    .action(async (systems: string[], options: { table?: string[]; force?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const selected =
        systems.length === 0
          ? project.systems
          : systems.map((name) => {
              const system = project.systems.find((s) => s.name.toLowerCase() === name.toLowerCase())
              if (system === undefined) {
                throw connectorError('CON_UNKNOWN_SYSTEM', `The project has no system '${name}'.`, {
                  hint: `Its systems: ${project.systems.map((s) => s.name).join(', ')}.`,
                })
              }
              return system
            })
      const driver = await ctx.vault()
      const results: CollectionResult[] = []
      for (const system of selected) {
        try {
          results.push(
            await collectSystem({
              driver,
              system,
              projectDir: ctx.projectDir,
              tables: options.table,
              force: options.force,
              onProgress: ctx.progress(),
            }),
          )
        } finally {
          endProgress(process.stderr)
        }
        if (!ctx.options.json) ctx.out.result(results.at(-1)!, renderCollection)
      }
      if (ctx.options.json) ctx.out.result({ collections: results }, () => '')
    })
}
