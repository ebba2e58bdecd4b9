/**
 * The shapes the run and plan routes answer (src/server/routes/runs.ts, plans-schemas.ts), as the
 * runs, jobs and dashboard pages read them, and which run statuses are final.
 */

export const RUN_STATUSES = [
  'queued',
  'running',
  'awaiting-approval',
  'succeeded',
  'partially-failed',
  'failed',
  'stopped',
  'interrupted',
  'rejected',
] as const

export type RunStatus = (typeof RUN_STATUSES)[number]

/** A run in these statuses changes no more (a run awaiting approval still does: approve, reject). */
export const FINAL_STATUSES: readonly string[] = [
  'succeeded',
  'partially-failed',
  'failed',
  'stopped',
  'interrupted',
  'rejected',
]

export const isFinal = (status: string): boolean => FINAL_STATUSES.includes(status)

export interface Run {
  readonly id: number
  readonly kind: 'job' | 'plan' | 'task'
  readonly name: string
  readonly planId?: number
  readonly planIds: readonly number[]
  readonly actor: string
  readonly status: RunStatus
  readonly startedAt: string
  readonly finishedAt?: string
  readonly durationMs?: number
  readonly counts: Readonly<Record<string, number>>
  readonly errorCode?: string
  readonly message?: string
  readonly configRevision?: number
  readonly approvedBy?: string
  readonly decidedAt?: string
  readonly runningHere: boolean
}

export interface Threshold {
  readonly limit: number
  readonly described: string
  readonly exceeded: boolean
}

export interface PlanStep {
  readonly index: number
  readonly source?: number
  readonly mapping: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly semantics: string
  readonly operations: number
  readonly unchanged: number
  readonly failed: number
  readonly threshold?: Threshold
  readonly failures?: readonly { mapping: string; row: string; code: string; message: string }[]
}

export interface Operation {
  readonly seq: number
  readonly id: string
  readonly step: number
  readonly mapping: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly semantics: string
  readonly key: string
  readonly keyColumn?: string
  readonly attributes: Record<string, unknown>
  readonly changes: string
  readonly status: string
  readonly attempts: number
  readonly errorCode?: string
  readonly message?: string
}

export interface Plan {
  readonly id: number
  readonly source: { readonly kind: 'job' | 'mapping'; readonly name: string }
  readonly status: string
  readonly createdAt: string
  readonly executedAt?: string
  readonly counts: Readonly<Record<string, number>>
  readonly steps: readonly PlanStep[]
}

export interface RunDetail {
  readonly run: Run
  readonly revision: { readonly id: number; readonly hash: string; readonly createdAt: string } | null
  readonly plans: readonly (Plan & { readonly total: number; readonly operations: readonly Operation[] })[]
  readonly logTotal: number
}

export interface LogLine {
  readonly seq: number
  readonly at: string
  readonly level: 'info' | 'warn' | 'error'
  readonly message: string
  readonly details?: Record<string, unknown>
}

/** What a run did, in a few words: `12 succeeded · 1 failed` (the counts a task run records). */
export function countsText(counts: Readonly<Record<string, number>>): string {
  const parts: string[] = []
  const label: Record<string, string> = {
    collectedRows: 'rows collected',
    planned: 'planned',
    succeeded: 'succeeded',
    failed: 'failed',
    skipped: 'skipped',
    exportedRows: 'rows exported',
  }
  for (const [key, words] of Object.entries(label)) {
    const n = counts[key]
    if (n !== undefined && (n > 0 || key === 'planned')) parts.push(`${n.toLocaleString('en-US')} ${words}`)
  }
  return parts.join(' · ')
}

/** `task daily_sync`: what a run ran. */
export const runSubject = (run: Pick<Run, 'kind' | 'name'>): string => `${run.kind} ${run.name}`
