/**
 * Runs and operations per day, counted in the browser from a bounded list of recent runs: the API
 * has no per-day aggregate (GET /api/runs pages runs, newest first), so the dashboard asks for the
 * last RECENT_RUNS and counts those that started in the last DAYS days, in the browser's zone.
 */
import type { BarSeries } from '../../components/chart.tsx'
import type { Run } from '../runs/types.ts'

export const DAYS = 14
/** How many recent runs the charts count (the most GET /api/runs answers at once). */
export const RECENT_RUNS = 1000

export const RUN_SERIES: readonly BarSeries[] = [
  { key: 'succeeded', label: 'succeeded', tone: 'good' },
  { key: 'partially-failed', label: 'partially failed', tone: 'warn' },
  { key: 'failed', label: 'failed', tone: 'bad' },
  { key: 'going', label: 'going on or awaiting approval', tone: 'busy' },
  { key: 'other', label: 'rejected, stopped or interrupted', tone: 'neutral' },
]

export const OPERATION_SERIES: readonly BarSeries[] = [
  { key: 'succeeded', label: 'succeeded', tone: 'good' },
  { key: 'failed', label: 'failed', tone: 'bad' },
  { key: 'skipped', label: 'skipped', tone: 'neutral' },
]

function seriesOf(status: string): string {
  if (status === 'succeeded' || status === 'partially-failed' || status === 'failed') return status
  if (status === 'running' || status === 'queued' || status === 'awaiting-approval') return 'going'
  return 'other'
}

const dayKey = (at: Date): string => `${at.getFullYear()}-${at.getMonth()}-${at.getDate()}`

export interface Day {
  readonly label: string
  readonly values: Record<string, number>
}

/** The last DAYS days (today last), each with its runs by outcome and its operations by outcome. */
export function perDay(runs: readonly Run[], now = new Date()): { runs: Day[]; operations: Day[] } {
  const days: { key: string; label: string }[] = []
  for (let i = DAYS - 1; i >= 0; i--) {
    const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i)
    days.push({ key: dayKey(at), label: at.toLocaleDateString(undefined, { day: 'numeric', month: 'short' }) })
  }
  const runsByDay = new Map<string, Record<string, number>>(days.map((d) => [d.key, {}]))
  const opsByDay = new Map<string, Record<string, number>>(days.map((d) => [d.key, {}]))
  for (const run of runs) {
    const key = dayKey(new Date(run.startedAt))
    const counts = runsByDay.get(key)
    if (counts === undefined) continue
    const series = seriesOf(run.status)
    counts[series] = (counts[series] ?? 0) + 1
    const ops = opsByDay.get(key)!
    for (const outcome of ['succeeded', 'failed', 'skipped']) {
      const n = run.counts[outcome]
      if (n !== undefined && n > 0) ops[outcome] = (ops[outcome] ?? 0) + n
    }
  }
  return {
    runs: days.map((d) => ({ label: d.label, values: runsByDay.get(d.key)! })),
    operations: days.map((d) => ({ label: d.label, values: opsByDay.get(d.key)! })),
  }
}
