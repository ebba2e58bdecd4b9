/**
 * `provisio runs [show ID]`: the recorded runs of jobs, plans and tasks — who started them, how they
 * ended, and for one run its configuration revision, its plans' steps and operations (the failed
 * ones first with their error) and its log. `runs approve|reject ID` decides a run that awaits
 * approval: approving executes exactly the plans it evaluated.
 */
import type { Command } from 'commander'
import { closestMatch } from '../../core/index.ts'
import { type ApprovedRun, approveRun, rejectRun } from '../../jobs/index.ts'
import {
  type PlanRecord,
  type RunRecord,
  type RunStatus,
  type SqlDriver,
  type StoredOperation,
  type StoredRunLogEntry,
  countOperations,
  countRunLog,
  findRunPlan,
  getConfigRevision,
  getPlan,
  getRun,
  listRuns,
  readRunLog,
  streamOperations,
  vaultError,
} from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { cliEvents } from '../events.ts'
import { cliError } from '../errors.ts'
import { formatCount, formatDuration, formatTable } from '../output.ts'
import { progressReporter } from '../progress.ts'
import { positiveInteger } from '../parse-options.ts'
import { type PlanStepView, describeChanges, operationJson, operationKey, renderSteps } from './plan-output.ts'
import { type ShowOptions, renderExecution, shownLimit, showOptions } from './plan-printing.ts'

const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'awaiting-approval',
  'succeeded',
  'partially-failed',
  'failed',
  'stopped',
  'interrupted',
  'rejected',
]

/** Log lines `runs show` prints unless `--log` says otherwise. */
const LOG_SHOWN = 200

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
  return run.status === 'running' || run.status === 'queued' ? `(${run.status})` : ''
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
  if (r.approvedBy !== undefined)
    lines.push(`${r.status === 'rejected' ? 'Rejected' : 'Approved'} by ${r.approvedBy} at ${r.decidedAt ?? '?'}`)
  if (r.errorCode !== undefined) lines.push(`Error: ${r.errorCode}: ${r.message ?? ''}`)
  else if (r.message !== undefined) lines.push(`${r.status === 'failed' ? 'Error' : 'Message'}: ${r.message}`)
  return lines.join('\n')
}

/** `--log 50` or `--log all`. */
function logLimit(value: string): number | 'all' {
  if (value === 'all') return 'all'
  if (/^\d+$/.test(value)) return Number(value)
  throw cliError('CLI_USAGE', `--log expects a number of lines or 'all', got '${value}'.`)
}

function renderLog(log: readonly StoredRunLogEntry[], total: number, runId: number): string {
  if (total === 0) return ''
  const lines = log.map((l) => `${l.at}  ${l.level.padEnd(5)}  ${l.message}`)
  const more =
    total > log.length
      ? [
          `(the last ${formatCount(log.length)} of ${formatCount(total)} lines; \`provisio runs show ${runId} --log all\` prints them all)`,
        ]
      : []
  return ['\nLog:', ...more, ...lines].join('\n')
}

/** The run's plans: those a task run evaluated, else the one it records or wrote. */
function plansOf(run: RunView): number[] {
  if (run.planIds.length > 0) return [...run.planIds]
  return run.planId === undefined ? [] : [run.planId]
}

function decisionHint(run: RunRecord): string {
  return [
    `\nRun ${run.id} awaits approval: nothing has been written yet. Review the plans above, then`,
    `  provisio runs approve ${run.id}    executes exactly these plans (rows changed since are skipped)`,
    `  provisio runs reject ${run.id} [--reason TEXT]    discards them for good`,
  ].join('\n')
}

function renderApproved(result: ApprovedRun): string {
  const lines = result.executions.map((e) => `Job ${e.job}: ${renderExecution(e)}`)
  lines.push(`Run ${result.runId} (task ${result.task}) approved: ${result.status}.`)
  return lines.join('\n')
}

export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description(
      'The recorded runs of jobs, plans and tasks, newest first; `runs show ID` shows one, `runs approve|reject ID` decides one that awaits approval.',
    )
    .option('--job <name>', 'only the runs of this job')
    .option('--task <name>', 'only the runs of this task')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('--limit <n>', 'runs to list (default 20)', positiveInteger)
    .addHelpText(
      'after',
      '\nExamples:\n  $ provisio runs -p examples/hr500\n  $ provisio runs --job directory_accounts --status failed\n  $ provisio runs --task nightly_sync --status awaiting-approval\n  $ provisio runs show 4\n  $ provisio runs --limit 100 --json',
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
        "Show a run: how it ended, its configuration revision, its plans' steps and operations with their outcome (the failed ones first), and its log.",
      )
      .addHelpText(
        'after',
        '\nA run that awaits approval shows the plans to approve and the commands that approve or reject it.\n\nExamples:\n  $ provisio runs show 4 -p examples/hr500\n  $ provisio runs show 4 --all --json\n  $ provisio runs show 4 --log all',
      ),
  )
    .option(
      '--log <n|all>',
      `log lines to print, the last ones (default ${LOG_SHOWN}); \`all\` prints every line`,
      logLimit,
    )
    .action(async (id: number, shown: ShowOptions & { log?: number | 'all' }, command: Command) => {
      const ctx = contextOf(command)
      // Commander hands `runs show ID --limit N` to `runs`' own --limit (the program's options are not
      // positional), so the limit of `show` is read from there too.
      const asked = shown.limit ?? runs.opts<ListOptions>().limit
      const options: ShowOptions = asked === undefined ? shown : { ...shown, limit: asked }
      const db = await ctx.vault()
      const run = await viewOf(db, await requireRun(db, id))
      const limit = ctx.options.json ? shownLimit({ ...options, all: options.all ?? true }) : shownLimit(options)
      const plans: { plan: PlanRecord; total: number; operations: StoredOperation[] }[] = []
      for (const planId of plansOf(run)) {
        const plan = await getPlan(db, planId)
        plans.push({
          plan,
          total: (await countOperations(db, planId)).total,
          operations: await readRunOperations(db, planId, limit),
        })
      }
      const revision = run.configRevision === undefined ? undefined : await getConfigRevision(db, run.configRevision)
      const logShown = shown.log ?? LOG_SHOWN
      const logTotal = await countRunLog(db, run.id)
      const log = await readRunLog(db, run.id, logShown === 'all' ? {} : { limit: logShown, last: true })
      const [first] = plans
      const data = {
        run,
        revision:
          revision === undefined ? undefined : { id: revision.id, hash: revision.hash, createdAt: revision.createdAt },
        plan:
          first === undefined ? undefined : { id: first.plan.id, status: first.plan.status, steps: first.plan.steps },
        operations: first === undefined ? [] : first.operations.map(operationJson),
        plans: plans.map((p) => ({
          id: p.plan.id,
          source: p.plan.source,
          status: p.plan.status,
          steps: p.plan.steps,
          operations: p.operations.map(operationJson),
        })),
        log,
        logTotal,
      }
      ctx.out.result(data, () =>
        [
          runHeader(run),
          revision === undefined
            ? ''
            : `Configuration: revision ${revision.id} (${revision.hash.slice(0, 12)}, ${revision.documents.length} document(s))`,
          plans.length === 0 ? 'The run wrote nothing and records no plan.' : '',
          ...plans.flatMap((p) => [
            `\nPlan ${p.plan.id} (${p.plan.source.kind} ${p.plan.source.name}, ${p.plan.status})\n${renderSteps(p.plan.steps as PlanStepView[])}`,
            `\n${renderRunOperations(p.operations, p.total, run.id)}`,
          ]),
          renderLog(log, logTotal, run.id),
          run.status === 'awaiting-approval'
            ? decisionHint(run)
            : `Every write of this run, with before and after values: \`provisio audit --run ${run.id}\`.`,
        ]
          .filter((l) => l !== '' && l !== '\n')
          .join('\n'),
      )
    })

  runs
    .command('approve')
    .argument('<id>', 'run id', positiveInteger)
    .description('Approve a task run that awaits approval: execute exactly the plans it evaluated, in order.')
    .addHelpText(
      'after',
      `
Each plan is executed as stored (rows of a target that changed since the evaluation are skipped and
reported, never planned again). A plan of which a newer plan exists cannot be approved: reject the
run and run the task again. The run finishes as succeeded, partially-failed or failed.

Examples:
  $ provisio runs --status awaiting-approval -p examples/hr500
  $ provisio runs show 12
  $ provisio runs approve 12
  $ provisio runs approve 12 --json`,
    )
    .action(async (id: number, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const db = await ctx.vault()
      const progress = progressReporter(ctx.options)
      const notify = cliEvents(ctx, db, project)
      const result: ApprovedRun = await progress
        .track(
          approveRun(db, project, id, {
            actor: 'cli',
            events: notify.events,
            onExecuteProgress: (done, total) => progress.executed(`run ${id}`, done, total),
          }),
        )
        .finally(() => notify.finish())
      ctx.out.result(result, renderApproved)
      if (result.status !== 'succeeded') process.exitCode = 1
    })

  runs
    .command('reject')
    .argument('<id>', 'run id', positiveInteger)
    .option('--reason <text>', 'why, recorded with the run')
    .description('Reject a task run that awaits approval: its plans are never executed.')
    .addHelpText(
      'after',
      `
Examples:
  $ provisio runs reject 12 --reason "leavers list is incomplete"
  $ provisio runs reject 12 --json`,
    )
    .action(async (id: number, options: { reason?: string }, command: Command) => {
      const ctx = contextOf(command)
      const project = await ctx.project()
      const db = await ctx.vault()
      const notify = cliEvents(ctx, db, project)
      const run = await rejectRun(db, id, { actor: 'cli', reason: options.reason, events: notify.events }).finally(() =>
        notify.finish(),
      )
      ctx.out.result(
        run,
        (r) =>
          `Run ${r.id} (task ${r.name}) rejected: ${r.message ?? ''}. Its plans (${r.planIds.join(', ')}) will never be executed.`,
      )
    })
}
