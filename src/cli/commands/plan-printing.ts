/**
 * What the plan commands (mapping evaluate, job evaluate|run, plan list|show|execute) share: how a
 * fresh plan, an execution and its failures are printed, progress, and the options that choose how
 * many operations to show.
 */
import type { Command } from 'commander'
import type { ExecutionSummary } from '../../engine/index.ts'
import { requireName } from '../../jobs/index.ts'
import { type SqlDriver, streamOperations } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'
import {
  type PlanStepView,
  describeMembership,
  operationJson,
  readOperations,
  renderFailures,
  renderOperations,
  renderSteps,
} from './plan-output.ts'

export const SHOWN = 50

export interface ShowOptions {
  readonly all?: boolean
  readonly limit?: number
}

export function shownLimit(options: ShowOptions): number | undefined {
  return options.all === true ? undefined : (options.limit ?? SHOWN)
}

export { requireName }

/**
 * Prints a fresh plan: its steps, the first operations, the rows that failed, and what to do next.
 * `extra` joins the JSON document (a job's role model).
 */
export async function printPlan(
  ctx: CliContext,
  db: SqlDriver,
  planId: number,
  steps: readonly PlanStepView[],
  options: ShowOptions,
  next: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const total = steps.reduce((n, s) => n + s.operations, 0)
  const operations = await readOperations(db, planId, ctx.options.json ? undefined : shownLimit(options))
  const failed = steps.reduce((n, s) => n + s.failed, 0)
  ctx.out.result({ planId, steps, operations: operations.map(operationJson), ...extra }, () =>
    [
      `Plan ${planId}`,
      renderSteps(steps),
      '',
      total === 0 ? 'Nothing to do: the target already matches.' : renderOperations(operations, total),
      renderFailures(
        steps.flatMap((s) => s.failures),
        failed,
      ),
      total === 0 ? '' : next,
    ]
      .filter((l) => l !== '')
      .join('\n'),
  )
}

export function evaluationProgress(ctx: CliContext, label: string): (step: number, rows: number) => void {
  const progress = ctx.progress()
  return (step, rows) => progress({ task: `${label} step ${step + 1}`, done: rows, unit: 'rows' })
}

export function renderExecution(summary: ExecutionSummary): string {
  const lines = [
    `Executed plan ${summary.planId}: ${formatCount(summary.succeeded)} succeeded, ${formatCount(summary.failed)} failed, ${formatCount(summary.skipped)} skipped (${summary.status}).`,
  ]
  if (summary.settledInDoubt > 0)
    lines.push(`Settled ${formatCount(summary.settledInDoubt)} operation(s) an interrupted run had left in doubt.`)
  return lines.join('\n')
}

export async function printFailedOperations(ctx: CliContext, db: SqlDriver, planId: number): Promise<void> {
  const failed = []
  for await (const page of streamOperations(db, planId, { statuses: ['failed', 'skipped'], pageSize: 20 })) {
    failed.push(...page)
    break
  }
  if (failed.length === 0 || ctx.options.json) return
  ctx.out.line(
    formatTable(
      ['#', 'function', 'key', 'status', 'error'],
      failed.map((o) => [
        o.seq,
        o.function,
        o.keyValue === undefined || o.keyValue === null ? (describeMembership(o) ?? '(new)') : String(o.keyValue),
        o.status,
        `${o.errorCode ?? ''}: ${o.message ?? ''}`,
      ]),
      ['right', 'left', 'left', 'left', 'left'],
      110,
    ),
  )
}

export const showOptions = (command: Command) =>
  command
    .option('--limit <n>', `operations to print (default ${SHOWN})`, positiveInteger)
    .option('--all', 'print every operation')
