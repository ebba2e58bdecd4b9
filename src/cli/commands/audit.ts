/**
 * `provisio audit`: who wrote what to which target, when, and with which outcome. Every executed
 * operation has a record with its before and after values; a password shows only as `(set)`.
 */
import type { Command } from 'commander'
import { searchAudit } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { cliError } from '../errors.ts'
import { formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'
import { describeChanges } from './plan-output.ts'

interface AuditOptions {
  readonly system?: string
  readonly table?: string
  readonly key?: string
  readonly mapping?: string
  readonly since?: string
  readonly until?: string
  readonly run?: number
  readonly plan?: number
  readonly failed?: boolean
  readonly limit?: number
}

function checkTime(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (Number.isNaN(Date.parse(value)))
    throw cliError(
      'CLI_USAGE',
      `--${name} expects a date or time such as 2026-12-01 or 2026-12-01T08:00:00Z, got '${value}'.`,
    )
  return new Date(value).toISOString()
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      'Search the audit: every write to a target with its time, run, mapping, key, before and after values and outcome.',
    )
    .option('--system <name>', 'only writes to this system')
    .option('--table <name>', 'only writes to this table')
    .option('--key <value>', 'only writes to the row with this key')
    .option('--mapping <name>', 'only writes of this mapping')
    .option('--since <time>', 'only writes at or after this time (2026-12-01, or an ISO time)')
    .option('--until <time>', 'only writes before this time')
    .option('--run <id>', 'only writes of this run', positiveInteger)
    .option('--plan <id>', 'only writes of this plan', positiveInteger)
    .option('--failed', 'only failed writes')
    .option('--limit <n>', 'records to show, newest first (default 100)', positiveInteger)
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio audit -p examples/hr500 --system directory --since 2026-12-01\n  $ provisio audit --key 66a2f435-245b-4377-a64b-7ae4ad4983e9 --json   # the key of the row (objectGUID)\n  $ provisio audit --failed --limit 20',
    )
    .action(async (options: AuditOptions, command: Command) => {
      const ctx = contextOf(command)
      const records = await searchAudit(await ctx.vault(), {
        system: options.system,
        table: options.table,
        key: options.key,
        mapping: options.mapping,
        since: checkTime('since', options.since),
        until: checkTime('until', options.until),
        runId: options.run,
        planId: options.plan,
        outcome: options.failed === true ? 'failed' : undefined,
        limit: options.limit ?? 100,
      })
      ctx.out.result(records, (list) =>
        list.length === 0
          ? 'No audit records match.'
          : formatTable(
              ['time', 'run', 'mapping', 'function', 'key', 'outcome', 'changes'],
              list.map((r) => [
                r.at,
                r.runId ?? '',
                r.mapping,
                `${r.system}.${r.function}`,
                String(r.keyValue ?? ''),
                r.outcome === 'failed' ? `failed ${r.errorCode ?? ''}` : r.outcome,
                describeChanges({ attributes: r.after ?? {}, before: r.before, secrets: [], semantics: r.semantics }),
              ]),
              ['left', 'right', 'left', 'left', 'left', 'left', 'left'],
              90,
            ),
      )
    })
}
