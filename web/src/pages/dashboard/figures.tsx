/**
 * The dashboard's figures: systems (and how their last collection went), rows in the vault, jobs,
 * tasks and the next scheduled run. Each card links to its page.
 */
import { Link } from 'wouter'
import { ErrorNotice } from '../../components/feedback.tsx'
import { formatCount, formatTime } from '../../format.ts'
import { useApi } from '../../hooks.ts'

interface Systems {
  readonly systems: readonly { name: string; lastCollection: { status: string; startedAt: string } | null }[]
}
interface Tables {
  readonly tables: readonly { rows: number }[]
}
interface Tasks {
  readonly tasks: readonly { name: string; enabled: boolean; nextRun: string | null; nextRunText: string }[]
}
interface Jobs {
  readonly jobs: readonly { name: string }[]
}

function Figure({ value, label, detail, href }: { value: string; label: string; detail?: string; href: string }) {
  return (
    <Link href={href} className="card stat figure" aria-label={`${label}: ${value}`}>
      <div className="value">{value}</div>
      <div className="label">{label}</div>
      {detail !== undefined && <div className="muted small detail">{detail}</div>}
    </Link>
  )
}

export function Figures() {
  const systems = useApi<Systems>('/api/systems')
  const tables = useApi<Tables>('/api/vault/tables')
  const tasks = useApi<Tasks>('/api/tasks')
  const jobs = useApi<Jobs>('/api/jobs')
  const error = systems.error ?? tables.error ?? tasks.error ?? jobs.error
  const failedCollections = systems.data?.systems.filter((s) => s.lastCollection?.status === 'failed').length ?? 0
  const neverCollected = systems.data?.systems.filter((s) => s.lastCollection === null).length ?? 0
  const next = tasks.data?.tasks
    .filter((t) => t.nextRun !== null)
    .sort((a, b) => (a.nextRun ?? '').localeCompare(b.nextRun ?? ''))[0]
  const rows = tables.data?.tables.reduce((n, t) => n + t.rows, 0)
  return (
    <>
      <div className="figures">
        <Figure
          href="/systems"
          value={formatCount(systems.data?.systems.length)}
          label="Systems"
          detail={
            systems.data === undefined
              ? undefined
              : failedCollections > 0
                ? `${failedCollections} last collection${failedCollections === 1 ? '' : 's'} failed`
                : neverCollected > 0
                  ? `${neverCollected} never collected`
                  : 'all collected'
          }
        />
        <Figure
          href="/systems"
          value={formatCount(rows)}
          label="Rows in the vault"
          detail={tables.data === undefined ? undefined : `in ${formatCount(tables.data.tables.length)} tables`}
        />
        <Figure href="/jobs" value={formatCount(jobs.data?.jobs.length)} label="Jobs" />
        <Figure
          href="/jobs"
          value={formatCount(tasks.data?.tasks.length)}
          label="Tasks"
          detail={
            tasks.data === undefined
              ? undefined
              : next === undefined
                ? 'none scheduled'
                : `next: ${next.name}, ${formatTime(next.nextRun)}`
          }
        />
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
    </>
  )
}
