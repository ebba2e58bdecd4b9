/**
 * The recent failed and partially failed runs, each with its first errors: the run's own error, or
 * else the first failed operations of its plans (GET /api/runs/:id answers the failed first).
 */
import { Link } from 'wouter'
import { StatusBadge } from '../../components/feedback.tsx'
import { formatTime } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import type { Run, RunDetail } from '../runs/types.ts'

const FIRST_ERRORS = 3

function FirstErrors({ run }: { run: Run }) {
  const detail = useApi<RunDetail>(`/api/runs/${run.id}`)
  const failed = (detail.data?.plans ?? [])
    .flatMap((p) => p.operations)
    .filter((o) => o.status === 'failed')
    .slice(0, FIRST_ERRORS)
  const total = (detail.data?.plans ?? []).reduce((n, p) => n + (p.counts['failed'] ?? 0), 0)
  if (failed.length === 0) return null
  return (
    <ul className="plain-list small">
      {failed.map((o) => (
        <li key={o.id}>
          <code className="code-badge">{o.errorCode ?? 'failed'}</code> {o.function} {o.key}: {o.message ?? ''}
        </li>
      ))}
      {total > failed.length && <li className="muted">and {total - failed.length} more failed operations</li>}
    </ul>
  )
}

export function FailureList({ runs }: { runs: readonly Run[] }) {
  return (
    <ul className="failures" aria-label="Recent failures">
      {runs.map((run) => (
        <li key={run.id}>
          <div className="failure-head">
            <Link href={`/runs/${run.id}`}>#{run.id}</Link> <StatusBadge status={run.status} />{' '}
            <span>
              {run.kind} {run.name}
            </span>
            <span className="muted small">{formatTime(run.startedAt)}</span>
          </div>
          {run.message !== undefined && (
            <div className="small">
              {run.errorCode !== undefined && <code className="code-badge">{run.errorCode}</code>} {run.message}
            </div>
          )}
          <FirstErrors run={run} />
        </li>
      ))}
    </ul>
  )
}
