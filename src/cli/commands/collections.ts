import type { Command } from 'commander'
import { type CollectionRecord, listCollections } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { formatDuration, formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'

/** How a collection read its tables: `full`, `incremental`, or the incremental ones by name. */
function readOf(collection: CollectionRecord): string {
  if (collection.kind !== 'collect' || collection.tables.length === 0) return ''
  const incremental = collection.tables.filter((t) => t.incremental).map((t) => t.table)
  if (incremental.length === 0) return 'full'
  return incremental.length === collection.tables.length ? 'incremental' : `incremental: ${incremental.join(', ')}`
}

export function registerCollections(program: Command): void {
  program
    .command('collections')
    .option('--system <name>', 'only this system')
    .option('--limit <n>', 'collections to show, newest first', positiveInteger, 20)
    .description(
      'List past collections: when, what kind, read in full or incrementally, the outcome and the rows added, changed and removed.',
    )
    .addHelpText('after', '\nExamples:\n  $ provisio collections\n  $ provisio collections --system hr500 --json')
    .action(async (options: { system?: string; limit: number }, command: Command) => {
      const ctx = contextOf(command)
      const collections = await listCollections(await ctx.vault(), { system: options.system, limit: options.limit })
      ctx.out.result({ collections }, ({ collections: list }) =>
        list.length === 0
          ? 'No collections yet: run `provisio collect`.'
          : formatTable(
              ['id', 'system', 'kind', 'read', 'status', 'started at', 'took', 'added', 'changed', 'removed', 'note'],
              list.map((c) => {
                const sum = (k: 'added' | 'changed' | 'removed') => c.tables.reduce((n, t) => n + t[k], 0)
                const note =
                  c.errorCode === null
                    ? c.sourceCollectionId === null
                      ? c.forced
                        ? 'forced'
                        : ''
                      : `from ${c.sourceCollectionId}`
                    : `${c.errorCode}: ${c.message ?? ''}`
                return [
                  c.id,
                  c.system,
                  c.kind,
                  readOf(c),
                  c.status,
                  c.startedAt,
                  c.durationMs === null ? '' : formatDuration(c.durationMs),
                  sum('added'),
                  sum('changed'),
                  sum('removed'),
                  note,
                ]
              }),
              ['right', 'left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
            ),
      )
    })
}
