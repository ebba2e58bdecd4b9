/**
 * `{% plan_report %}`: the plans of the event — a task run's (task.finished,
 * run.awaiting-approval) or the one plan of a job or operation event — as the evaluation report
 * shows them: per plan its status, per step what was planned, left unchanged or failed, the
 * threshold and whether it was exceeded, the outcomes when executed; then the first failed
 * operations with their errors.
 */
import type { ProvisioEvent } from '../core/index.ts'
import type { TemplateFormat, ValidatedProject } from '../config/index.ts'
import {
  type OperationStatus,
  type PlanRecord,
  type SqlExecutor,
  type StoredOperation,
  countOperations,
  getPlan,
  streamOperations,
} from '../vault/index.ts'
import { type Cell, escapeHtml, formatTable } from './table-format.ts'

/** Failed operations a report lists per plan; the rest are counted. */
export const REPORT_FAILED_OPERATIONS = 20

const OUTCOMES: readonly OperationStatus[] = ['succeeded', 'failed', 'skipped']

/** Whether execution began: some operation left `planned` (a plan stopped by its threshold never did). */
function wasExecuted(plan: PlanRecord): boolean {
  return Object.entries(plan.counts).some(([status, n]) => status !== 'planned' && (n ?? 0) > 0)
}

/** The plans an event is about, in order. */
export function eventPlanIds(event: ProvisioEvent): readonly number[] {
  switch (event.type) {
    case 'task.finished':
    case 'run.awaiting-approval':
      return event.planIds
    case 'job.evaluated':
    case 'job.stopped':
    case 'mapping.executed':
    case 'operation.failed':
      return [event.planId]
    default:
      return []
  }
}

interface PlanSection {
  readonly title: string
  readonly columns: readonly string[]
  readonly steps: readonly (readonly Cell[])[]
  readonly failedColumns: readonly string[]
  readonly failed: readonly (readonly Cell[])[]
  readonly moreFailed: number
}

async function firstFailed(db: SqlExecutor, planId: number): Promise<StoredOperation[]> {
  const options = { statuses: ['failed'] as const, pageSize: REPORT_FAILED_OPERATIONS }
  for await (const page of streamOperations(db, planId, options)) return page
  return []
}

/**
 * What identifies the operation's row: its key, or for a create (which has none yet) the value it
 * gives the table's primary key; the operation id when neither is known.
 */
function keyOf(op: StoredOperation, project: ValidatedProject): string {
  const text = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v))
  if (op.keyValue !== undefined && op.keyValue !== null)
    return op.keyColumn === undefined ? text(op.keyValue) : `${op.keyColumn}=${text(op.keyValue)}`
  const table = project.systems.find((s) => s.name === op.system)?.tables.find((t) => t.name === op.table)
  const primaryKey = table?.primaryKey
  const value = primaryKey === undefined ? undefined : op.attributes[primaryKey]
  return value === undefined || value === null ? op.id : `${primaryKey}=${text(value)}`
}

function threshold(step: PlanRecord['steps'][number]): string {
  if (step.threshold === undefined) return ''
  return `${step.threshold.described}${step.threshold.exceeded ? ' (exceeded)' : ''}`
}

async function section(db: SqlExecutor, project: ValidatedProject, planId: number): Promise<PlanSection> {
  const plan = await getPlan(db, planId)
  const executed = wasExecuted(plan)
  const counts = executed ? await countOperations(db, planId) : undefined
  const columns = [
    'step',
    'mapping',
    'table',
    'function',
    'planned',
    'unchanged',
    'not planned',
    'threshold',
    ...(executed ? OUTCOMES : []),
  ]
  const steps = plan.steps.map((s): Cell[] => {
    const outcome = counts?.bySteps.find((c) => c.step === s.index)?.counts ?? {}
    return [
      s.index + 1,
      s.mapping,
      `${s.system}.${s.table}`,
      s.function,
      s.operations,
      s.unchanged,
      s.failed,
      threshold(s),
      ...(executed ? OUTCOMES.map((o) => outcome[o] ?? 0) : []),
    ]
  })
  const failed = executed ? await firstFailed(db, planId) : []
  const failedTotal = counts?.byStatus.failed ?? 0
  return {
    title: `${plan.source.kind === 'job' ? 'Job' : 'Mapping'} ${plan.source.name}, plan ${plan.id}: ${plan.status}`,
    columns,
    steps,
    failedColumns: ['mapping', 'key', 'code', 'message'],
    failed: failed.map((op) => [op.mapping, keyOf(op, project), op.errorCode ?? '', op.message ?? '']),
    moreFailed: Math.max(0, failedTotal - failed.length),
  }
}

function formatSection(s: PlanSection, format: TemplateFormat): string {
  const parts =
    format === 'text'
      ? [s.title, '', formatTable(s.columns, s.steps, format)]
      : [`<h3>${escapeHtml(s.title)}</h3>`, formatTable(s.columns, s.steps, format)]
  if (s.failed.length > 0) {
    const heading = 'Failed operations'
    parts.push(format === 'text' ? `\n${heading}\n` : `<h4>${heading}</h4>`)
    parts.push(formatTable(s.failedColumns, s.failed, format, s.moreFailed))
  }
  return parts.join('\n')
}

/** The report of the event's plans in `format`; "(no plans)" for an event without any. */
export async function renderPlanReport(
  db: SqlExecutor,
  project: ValidatedProject,
  event: ProvisioEvent,
  format: TemplateFormat,
): Promise<string> {
  const ids = eventPlanIds(event)
  if (ids.length === 0) return format === 'text' ? '(no plans)' : '<p>(no plans)</p>'
  const sections: string[] = []
  for (const id of ids) sections.push(formatSection(await section(db, project, id), format))
  return sections.join(format === 'text' ? '\n\n' : '\n')
}
