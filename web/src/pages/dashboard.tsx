/**
 * The dashboard: what an identity administrator checks first. The figures of the project (systems,
 * rows in the vault, jobs, tasks and the next scheduled run), the runs waiting for a decision, the
 * last runs, the recent failures with their first errors, and runs and operations per day.
 */
import { Link, useLocation } from 'wouter'
import { BarChart } from '../components/chart.tsx'
import { Empty, ErrorNotice, Loading, StatusBadge } from '../components/feedback.tsx'
import { Page, Section } from '../components/layout.tsx'
import { DataTable } from '../components/table.tsx'
import { durationBetween, formatCount, formatTime } from '../format.ts'
import { useApi, useInterval } from '../hooks.ts'
import { FailureList } from './dashboard/failures.tsx'
import { Figures } from './dashboard/figures.tsx'
import { DAYS, OPERATION_SERIES, RECENT_RUNS, RUN_SERIES, perDay } from './dashboard/runs-per-day.ts'
import { RUN_COLUMNS } from './runs/run-list.tsx'
import { RunActions } from './runs/run-actions.tsx'
import { type Run, isFinal } from './runs/types.ts'

const LAST_RUNS = 10

export default function Dashboard() {
  const [, navigate] = useLocation()
  const recent = useApi<{ runs: Run[] }>('/api/runs', { limit: RECENT_RUNS })
  const pending = useApi<{ runs: Run[] }>('/api/runs', { status: 'awaiting-approval', limit: 50 })
  const runs = recent.data?.runs ?? []
  const going = runs.some((r) => !isFinal(r.status) && r.status !== 'awaiting-approval')
  const refresh = () => {
    recent.reload()
    pending.reload()
  }
  // A run going on changes the figures below: follow it.
  useInterval(refresh, going ? 3000 : null)
  const days = perDay(runs)
  const failures = runs.filter((r) => r.status === 'failed' || r.status === 'partially-failed').slice(0, 5)
  const anyOperations = days.operations.some((d) => Object.keys(d.values).length > 0)

  return (
    <Page
      title="Dashboard"
      subtitle="Runs, approvals and failures of this project at a glance."
      actions={
        <button type="button" onClick={refresh} disabled={recent.loading}>
          Refresh
        </button>
      }
    >
      <Figures />
      {recent.error !== undefined && <ErrorNotice error={recent.error} />}

      <Section
        title={
          <span>
            Pending approvals{' '}
            {pending.data !== undefined && pending.data.runs.length > 0 && (
              <span className="badge attention">{pending.data.runs.length}</span>
            )}
          </span>
        }
      >
        {pending.error !== undefined && <ErrorNotice error={pending.error} />}
        {pending.data === undefined ? (
          <Loading what="runs awaiting approval" />
        ) : (
          <DataTable
            label="Pending approvals"
            rows={pending.data.runs}
            rowKey={(r) => r.id}
            empty="No run awaits approval."
            columns={[
              { key: 'id', title: 'Run', render: (r) => <Link href={`/runs/${r.id}`}>#{r.id}</Link> },
              { key: 'name', title: 'Task', render: (r) => `${r.kind} ${r.name}` },
              { key: 'actor', title: 'Started by' },
              { key: 'startedAt', title: 'Evaluated', render: (r) => formatTime(r.finishedAt ?? r.startedAt) },
              {
                key: 'planned',
                title: 'Planned operations',
                align: 'right',
                render: (r) => formatCount(r.counts['planned'] ?? 0),
              },
              { key: 'decide', title: '', render: (r) => <RunActions run={r} onChanged={refresh} compact /> },
            ]}
          />
        )}
      </Section>

      <div className="dashboard-columns">
        <Section
          title="Last runs"
          actions={
            <Link href="/runs" className="small">
              All runs →
            </Link>
          }
        >
          {recent.data === undefined ? (
            <Loading what="runs" />
          ) : (
            <DataTable
              label="Last runs"
              rows={runs.slice(0, LAST_RUNS)}
              rowKey={(r) => r.id}
              onRowClick={(r) => navigate(`/runs/${r.id}`)}
              columns={RUN_COLUMNS.filter((c) => c.key !== 'counts').map((c) =>
                c.key === 'duration'
                  ? { ...c, render: (r: Run) => (isFinal(r.status) ? durationBetween(r.startedAt, r.finishedAt) : '—') }
                  : c,
              )}
              empty={
                <span>
                  No runs yet. Start one from <Link href="/jobs">Jobs and tasks</Link>.
                </span>
              }
            />
          )}
        </Section>
        <Section title="Recent failures">
          {recent.data === undefined ? (
            <Loading />
          ) : failures.length === 0 ? (
            <Empty>
              <StatusBadge status="ok" /> No failed run among the last {formatCount(runs.length)}.
            </Empty>
          ) : (
            <FailureList runs={failures} />
          )}
        </Section>
      </div>

      <div className="dashboard-columns even">
        <Section title={`Runs per day (last ${DAYS} days)`}>
          <BarChart label="Runs per day by outcome" data={days.runs} series={RUN_SERIES} />
        </Section>
        <Section title={`Operations executed per day (last ${DAYS} days)`}>
          {anyOperations || recent.data === undefined ? (
            <BarChart label="Operations executed per day by outcome" data={days.operations} series={OPERATION_SERIES} />
          ) : (
            <Empty>No operation was executed in the last {DAYS} days.</Empty>
          )}
        </Section>
      </div>
      {runs.length >= RECENT_RUNS && (
        <p className="muted small">The charts count the last {formatCount(RECENT_RUNS)} runs.</p>
      )}
    </Page>
  )
}
