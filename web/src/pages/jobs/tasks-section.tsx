/**
 * The project's tasks: type, schedule (cron and time zone) with the next run times, enabled,
 * approval, the last run; "Run now" starts a run in the server and opens its page to follow it.
 * Approval is read from the Task document (GET /api/tasks does not answer it).
 */
import { useState } from 'react'
import { Link, useLocation } from 'wouter'
import { type ApiError, api, seg } from '../../api.ts'
import { ErrorNotice, Loading, StatusBadge } from '../../components/feedback.tsx'
import { Section } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatTime } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import { useSession } from '../../session.tsx'

export interface TaskListing {
  readonly name: string
  readonly type: 'sync' | 'export'
  readonly enabled: boolean
  readonly description?: string
  readonly schedule: { cron: string; timeZone?: string } | null
  readonly nextRun: string | null
  readonly nextRunText: string
  readonly nextRuns: readonly { at: string; text: string }[]
  readonly approval: boolean
  readonly lastRun: { readonly id: number; readonly status: string; readonly startedAt: string } | null
}

function Approval({ task }: { task: TaskListing }) {
  return task.approval ? <span className="badge attention">required</span> : <span className="muted">no</span>
}

function LastRun({ task }: { task: TaskListing }) {
  const run = task.lastRun
  if (run === null) return <span className="muted">never</span>
  return (
    <span className="nowrap">
      <Link href={`/runs/${run.id}`}>#{run.id}</Link> <StatusBadge status={run.status} />{' '}
      <span className="muted small">{formatTime(run.startedAt)}</span>
    </span>
  )
}

function Schedule({ task }: { task: TaskListing }) {
  if (task.schedule === null) return <span className="muted">not scheduled (runs only when started)</span>
  return (
    <div>
      <code className="code-badge">{task.schedule.cron}</code>{' '}
      <span className="muted small">{task.schedule.timeZone ?? 'server time zone'}</span>
      {task.nextRuns.length > 0 ? (
        <details className="next-runs">
          <summary>next: {task.nextRunText}</summary>
          <ol>
            {task.nextRuns.map((r) => (
              <li key={r.at} title={formatTime(r.at)}>
                {r.text}
              </li>
            ))}
          </ol>
        </details>
      ) : (
        <div className="muted small">{task.enabled ? 'no next run' : 'disabled: not scheduled'}</div>
      )}
    </div>
  )
}

export function TasksSection() {
  const { can } = useSession()
  const [, navigate] = useLocation()
  const tasks = useApi<{ tasks: TaskListing[] }>('/api/tasks')
  const [starting, setStarting] = useState<string | undefined>(undefined)
  const [error, setError] = useState<{ task: string; error: ApiError } | undefined>(undefined)

  const start = async (name: string, evaluateOnly: boolean) => {
    setStarting(name)
    setError(undefined)
    try {
      const answer = await api.post<{ runId: number }>(
        `/api/tasks/${seg(name)}/run`,
        evaluateOnly ? { evaluateOnly } : {},
      )
      navigate(`/runs/${answer.runId}`)
    } catch (thrown) {
      setError({ task: name, error: thrown as ApiError })
      setStarting(undefined)
    }
  }

  return (
    <Section title="Tasks" actions={<span className="muted small">Scheduled units: collect → evaluate → execute</span>}>
      {tasks.error !== undefined && <ErrorNotice error={tasks.error} />}
      {error !== undefined && <ErrorNotice error={error.error} title={`Task ${error.task} did not start`} />}
      {tasks.data === undefined ? (
        <Loading what="tasks" />
      ) : (
        <DataTable
          label="Tasks"
          rows={tasks.data.tasks}
          rowKey={(t) => t.name}
          empty={
            <span>
              No tasks yet. Add a <Link href="/documents">Task document</Link> to schedule a sync.
            </span>
          }
          columns={[
            {
              key: 'name',
              title: 'Task',
              render: (t) => (
                <div>
                  <Link href={`/documents/Task/${encodeURIComponent(t.name)}`}>
                    <strong>{t.name}</strong>
                  </Link>
                  {t.description !== undefined && <div className="muted small">{t.description}</div>}
                </div>
              ),
            },
            { key: 'type', title: 'Type', render: (t) => <span className="badge neutral">{t.type}</span> },
            { key: 'schedule', title: 'Schedule', render: (t) => <Schedule task={t} /> },
            {
              key: 'enabled',
              title: 'Enabled',
              render: (t) =>
                t.enabled ? (
                  <span className="badge good">enabled</span>
                ) : (
                  <span className="badge neutral">disabled</span>
                ),
            },
            { key: 'approval', title: 'Approval', render: (t) => <Approval task={t} /> },
            { key: 'last', title: 'Last run', render: (t) => <LastRun task={t} /> },
            {
              key: 'run',
              title: '',
              render: (t) => (
                <div className="actions nowrap">
                  <Link href={`/runs?task=${encodeURIComponent(t.name)}`} className="small">
                    Runs
                  </Link>
                  {can('run') && t.type === 'sync' && (
                    <button
                      type="button"
                      disabled={starting !== undefined}
                      title="Collect and evaluate; store the plans without writing anything"
                      onClick={() => void start(t.name, true)}
                    >
                      Evaluate only
                    </button>
                  )}
                  {can('run') && (
                    <button
                      type="button"
                      className="primary"
                      aria-label={`Run ${t.name} now`}
                      disabled={starting !== undefined}
                      onClick={() => void start(t.name, false)}
                    >
                      {starting === t.name ? 'Starting…' : 'Run now'}
                    </button>
                  )}
                </div>
              ),
            },
          ]}
        />
      )}
    </Section>
  )
}
