/**
 * `provisio runs [show ID]`: the recorded runs of jobs, plans and tasks — who started them, how they
 * ended, and for one run its plan's steps and its operations, the failed ones first with their error.
 */
import type { Command } from 'commander'
import { closestMatch } from '../../core/index.ts'
import {
  type RunRecord,
  type RunStatus,
  type SqlDriver,
  type StoredOperation,
  countOperations,
  findRunPlan,
  getPlan,
  getRun,
  listRuns,
  streamOperations,
  vaultError,
} from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { cliError } from '../errors.ts'
import { formatCount, formatDuration, formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'
import { type PlanStepView, describeChanges, operationJson, operationKey, renderSteps } from './plan-output.ts'
import { type ShowOptions, shownLimit, showOptions } from './plan-printing.ts'

const RUN_STATUSES: readonly RunStatus[] = [
  'running',
  'succeeded',
  'partially-failed',
  'failed',
  'stopped',
  'interrupted',
]

/** The statuses shown first: what went wrong is what a person looks for. */
const FAILED_FIRST = ['failed', 'skipped'] as const
const THE_REST = ['running', 'planned', 'succeeded'] as const

interface ListOptions {
  readonly job?: string
  readonly task?: string
  readonly status?: string
  readonly limit?: number
}

/** A run as the commands print it: its plan (found for job runs) and how long it took. */
interface RunView extends RunRecord {
  readonly planId?: number | undefined
  readonly durationMs?: number | undefined
}

function status(value: string | undefined): RunStatus | undefined {
  if (value === undefined || (RUN_STATUSES as readonly string[]).includes(value)) return value as RunStatus | undefined
  const suggestion = closestMatch(value, RUN_STATUSES)
  throw cliError('CLI_USAGE', `--status expects a run status, got '${value}'.`, {
    hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Statuses: ${RUN_STATUSES.join(', ')}.`,
  })
}

function filterOf(options: ListOptions): { kind?: string; name?: string } {
  if (options.job !== undefined && options.task !== undefined)
    throw cliError('CLI_USAGE', '--job and --task cannot be combined: a run belongs to one job or one task.')
  if (options.job !== undefined) return { kind: 'job', name: options.job }
  if (options.task !== undefined) return { kind: 'task', name: options.task }
  return {}
}

async function viewOf(db: SqlDriver, run: RunRecord): Promise<RunView> {
  const finished = run.finishedAt === undefined ? undefined : Date.parse(run.finishedAt)
  return {
    ...run,
    planId: await findRunPlan(db, run),
    durationMs: finished === undefined ? undefined : Math.max(0, finished - Date.parse(run.startedAt)),
  }
}

/** `planned 12, succeeded 10, failed 2`. */
function countsText(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([name, n]) => `${name} ${formatCount(n)}`)
    .join(', ')
}

function durationText(run: RunView): string {
  if (run.durationMs !== undefined) return formatDuration(run.durationMs)
  return run.status === 'running' ? '(running)' : ''
}

function renderRuns(runs: readonly RunView[]): string {
  if (runs.length === 0) return 'No runs match. `provisio job run NAME` or `provisio plan execute ID` records one.'
  return formatTable(
    ['run', 'kind', 'name', 'status', 'started', 'duration', 'actor', 'counts', 'plan'],
    runs.map((r) => [
      r.id,
      r.kind,
      r.name,
      r.status,
      r.startedAt,
      durationText(r),
      r.actor,
      countsText(r.counts),
      r.planId ?? '',
    ]),
    ['right', 'left', 'left', 'left', 'left', 'right', 'left', 'left', 'right'],
  )
}

/** Throws VLT_UNKNOWN_RUN with a hint naming the command that lists the runs. */
async function requireRun(db: SqlDriver, id: number): Promise<RunRecord> {
  try {
    return await getRun(db, id)
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'VLT_UNKNOWN_RUN') throw error
    throw vaultError('VLT_UNKNOWN_RUN', `There is no run ${id}.`, {
      details: { runId: id },
      hint: '`provisio runs` lists the recorded runs with their ids.',
    })
  }
}

/** Up to `limit` operations of the plan in these statuses, in plan order. */
async function readByStatus(
  db: SqlDriver,
  planId: number,
  statuses: readonly StoredOperation['status'][],
  limit: number | undefined,
): Promise<StoredOperation[]> {
  const operations: StoredOperation[] = []
  if (limit === 0) return operations
  for await (const page of streamOperations(db, planId, { statuses, pageSize: Math.min(limit ?? 1000, 1000) })) {
    for (const op of page) {
      operations.push(op)
      if (operations.length === limit) return operations
    }
  }
  return operations
}

/** The plan's operations, the failed and skipped first, at most `limit` in all. */
async function readRunOperations(db: SqlDriver, planId: number, limit: number | undefined) {
  const failed = await readByStatus(db, planId, FAILED_FIRST, limit)
  const rest = await readByStatus(db, planId, THE_REST, limit === undefined ? undefined : limit - failed.length)
  return [...failed, ...rest]
}

function renderRunOperations(operations: readonly StoredOperation[], total: number, runId: number): string {
  if (operations.length === 0) return ''
  const table = formatTable(
    ['#', 'function', 'key', 'status', 'error', 'changes'],
    operations.map((o) => [
      o.seq,
      o.function,
      operationKey(o),
      o.status,
      o.errorCode === undefined ? '' : `${o.errorCode}: ${o.message ?? ''}`,
      describeChanges(o),
    ]),
    ['right', 'left', 'left', 'left', 'left', 'left'],
    110,
  )
  const more =
    total > operations.length
      ? `\n… ${formatCount(total - operations.length)} more (\`provisio runs show ${runId} --all\` lists them all)`
      : ''
  return `${table}${more}`
}

function runHeader(r: RunView): string {
  const lines = [
    `Run ${r.id} (${r.kind} ${r.name}): ${r.status}, started ${r.startedAt} by ${r.actor}` +
      (r.finishedAt === undefined ? '' : `, finished ${r.finishedAt} (${durationText(r)})`),
  ]
  if (Object.keys(r.counts).length > 0) lines.push(`Counts: ${countsText(r.counts)}`)
  if (r.errorCode !== undefined || r.message !== undefined)
    lines.push(`Error: ${r.errorCode === undefined ? '' : `${r.errorCode}: `}${r.message ?? ''}`)
  return lines.join('\n')
}

export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description('The recorded runs of jobs, plans and tasks, newest first; `runs show ID` shows one.')
    .option('--job <name>', 'only the runs of this job')
    .option('--task <name>', 'only the runs of this task')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('--limit <n>', 'runs to list (default 20)', positiveInteger)
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio runs -p examples/hr500\n  $ provisio runs --job directory_accounts --status failed\n  $ provisio runs show 4\n  $ provisio runs --limit 100 --json',
    )
    .action(async (options: ListOptions, command: Command) => {
      const ctx = contextOf(command)
      const db = await ctx.vault()
      const records = await listRuns(db, { ...filterOf(options), status: status(options.status), limit: options.limit })
      const views: RunView[] = []
      for (const run of records) views.push(await viewOf(db, run))
      ctx.out.result(views, renderRuns)
    })

  showOptions(
    runs
      .command('show')
      .argument('<id>', 'run id', positiveInteger)
      .description(
        "Show a run: how it ended, its plan's steps, and its operations with their outcome, the failed ones first.",
      )
      .addHelpText(
        'after',
        '\nExamples:\n  $ provisio runs show 4 -p examples/hr500\n  $ provisio runs show 4 --all --json',
      ),
  ).action(async (id: number, shown: ShowOptions, command: Command) => {
    const ctx = contextOf(command)
    // Commander hands `runs show ID --limit N` to `runs`' own --limit (the program's options are not
    // positional), so the limit of `show` is read from there too.
    const asked = shown.limit ?? runs.opts<ListOptions>().limit
    const options: ShowOptions = asked === undefined ? shown : { ...shown, limit: asked }
    const db = await ctx.vault()
    const run = await viewOf(db, await requireRun(db, id))
    const plan = run.planId === undefined ? undefined : await getPlan(db, run.planId)
    const total = plan === undefined ? 0 : (await countOperations(db, plan.id)).total
    const limit = ctx.options.json ? shownLimit({ ...options, all: options.all ?? true }) : shownLimit(options)
    const operations = plan === undefined ? [] : await readRunOperations(db, plan.id, limit)
    const data = {
      run,
      plan: plan === undefined ? undefined : { id: plan.id, status: plan.status, steps: plan.steps },
      operations: operations.map(operationJson),
    }
    ctx.out.result(data, () =>
      [
        runHeader(run),
        plan === undefined
          ? 'The run wrote nothing and records no plan.'
          : `\nPlan ${plan.id} (${plan.status})\n${renderSteps(plan.steps as PlanStepView[])}`,
        plan === undefined ? '' : `\n${renderRunOperations(operations, total, run.id)}`,
        `Every write of this run, with before and after values: \`provisio audit --run ${run.id}\`.`,
      ]
        .filter((l) => l !== '' && l !== '\n')
        .join('\n'),
    )
  })
}
