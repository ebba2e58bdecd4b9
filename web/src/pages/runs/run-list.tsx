/**
 * The runs, newest first, a page at a time (GET /api/runs pages with `before`, the last id of the
 * page before), filtered by status and by task or job. The filters live in the address
 * (`/runs?task=daily_sync`), so the jobs page can link to a task's runs and a filtered list can be shared.
 */
import { useState } from 'react'
import { Link, useLocation, useSearchParams } from 'wouter'
import { ErrorNotice, Loading, StatusBadge } from '../../components/feedback.tsx'
import { Page, Section } from '../../components/layout.tsx'
import { type Column, DataTable } from '../../components/table.tsx'
import { durationBetween, formatTime } from '../../format.ts'
import { useApi, useInterval } from '../../hooks.ts'
import { RUN_STATUSES, type Run, countsText, isFinal } from './types.ts'

const PAGE_SIZE = 25

export const RUN_COLUMNS: readonly Column<Run>[] = [
  { key: 'id', title: 'Run', render: (r) => <Link href={`/runs/${r.id}`}>#{r.id}</Link> },
  { key: 'status', title: 'Status', render: (r) => <StatusBadge status={r.status} /> },
  {
    key: 'name',
    title: 'Task or job',
    render: (r) => (
      <span>
        <span className="muted small">{r.kind}</span> {r.name}
      </span>
    ),
  },
  { key: 'actor', title: 'Actor' },
  { key: 'startedAt', title: 'Started', render: (r) => formatTime(r.startedAt) },
  {
    key: 'duration',
    title: 'Duration',
    align: 'right',
    render: (r) => (isFinal(r.status) || r.status === 'running' ? durationBetween(r.startedAt, r.finishedAt) : '—'),
  },
  { key: 'counts', title: 'What it did', render: (r) => <span className="small">{countsText(r.counts) || '—'}</span> },
]

interface Names {
  readonly tasks: readonly { name: string }[]
}
interface JobNames {
  readonly jobs: readonly { name: string }[]
}

export function RunList() {
  const [params, setParams] = useSearchParams()
  const [, navigate] = useLocation()
  const status = params.get('status') ?? ''
  const task = params.get('task') ?? ''
  const job = params.get('job') ?? ''
  // The `before` cursors of the pages seen so far: the first page has none.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined])
  const before = cursors.at(-1)
  const runs = useApi<{ runs: Run[] }>('/api/runs', { status, task, job, limit: PAGE_SIZE, before })
  const tasks = useApi<Names>('/api/tasks')
  const jobs = useApi<JobNames>('/api/jobs')
  const going = runs.data?.runs.some((r) => !isFinal(r.status) && r.status !== 'awaiting-approval') ?? false
  // While a run on this page goes on, its status and duration change: look again now and then.
  useInterval(() => runs.reload(), going ? 2000 : null)

  const setFilter = (key: 'status' | 'task' | 'job', value: string) => {
    setCursors([undefined])
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        if (value === '') next.delete(key)
        else next.set(key, value)
        // A run belongs to a task or a job, never both: choosing one clears the other.
        if (key === 'task' && value !== '') next.delete('job')
        if (key === 'job' && value !== '') next.delete('task')
        return next
      },
      { replace: true },
    )
  }
  const list = runs.data?.runs ?? []

  return (
    <Page title="Runs" subtitle="Every run of a task, job or plan, newest first.">
      <Section>
        <div className="toolbar" role="search" aria-label="Filter runs">
          <label>
            Status
            <select value={status} onChange={(e) => setFilter('status', e.target.value)}>
              <option value="">any</option>
              {RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Task
            <select value={task} onChange={(e) => setFilter('task', e.target.value)}>
              <option value="">any</option>
              {tasks.data?.tasks.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Job
            <select value={job} onChange={(e) => setFilter('job', e.target.value)}>
              <option value="">any</option>
              {jobs.data?.jobs.map((j) => (
                <option key={j.name} value={j.name}>
                  {j.name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => runs.reload()} disabled={runs.loading}>
            Refresh
          </button>
          {(status !== '' || task !== '' || job !== '') && (
            <button type="button" className="link" onClick={() => setParams({}, { replace: true })}>
              Clear filters
            </button>
          )}
        </div>
        {runs.error !== undefined && <ErrorNotice error={runs.error} />}
        {runs.data === undefined && runs.loading ? (
          <Loading what="runs" />
        ) : (
          <DataTable
            label="Runs"
            columns={RUN_COLUMNS}
            rows={list}
            rowKey={(r) => r.id}
            onRowClick={(r) => navigate(`/runs/${r.id}`)}
            empty={
              status !== '' || task !== '' || job !== ''
                ? 'No run matches these filters.'
                : 'No runs yet. Start a task on the Jobs and tasks page.'
            }
          />
        )}
        <div className="pager">
          <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            ← Newer
          </button>
          <span className="muted small">
            Page {cursors.length}
            {list.length > 0 && ` · runs #${list[0]!.id}–#${list.at(-1)!.id}`}
          </span>
          <button
            type="button"
            disabled={list.length < PAGE_SIZE}
            onClick={() => setCursors((c) => [...c, list.at(-1)!.id])}
          >
            Older →
          </button>
        </div>
      </Section>
    </Page>
  )
}
