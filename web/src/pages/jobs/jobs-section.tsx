/**
 * The project's jobs: each with its steps (a mapping, or the role memberships of a system) and their
 * thresholds; evaluating one shows the plan it would write (operations per step and the first
 * operations) without writing anything; running one evaluates, checks the thresholds and executes.
 */
import { useState } from 'react'
import { Link, useLocation } from 'wouter'
import { type ApiError, api, seg } from '../../api.ts'
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx'
import { Section } from '../../components/layout.tsx'
import { type Column, DataTable } from '../../components/table.tsx'
import { formatCount } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import type { Operation, PlanStep } from '../runs/types.ts'

interface Limit {
  readonly kind: 'count' | 'percent'
  readonly value: number
}

interface JobStep {
  readonly step: number
  readonly type: 'mapping' | 'memberships'
  readonly mapping?: string
  readonly system?: string
  readonly enabled: boolean
  readonly threshold?: Limit | null
  readonly thresholds?: { add?: Limit; remove?: Limit }
}

interface Job {
  readonly name: string
  readonly description?: string
  readonly file: string
  readonly steps: readonly JobStep[]
}

const limitText = (limit: Limit | undefined): string =>
  limit === undefined
    ? 'default'
    : limit.kind === 'percent'
      ? `${limit.value}% of the table`
      : `${limit.value} operations`

function thresholdText(step: JobStep): string {
  if (step.type === 'memberships') {
    const t = step.thresholds ?? {}
    return `adds: ${t.add === undefined ? 'none' : limitText(t.add)} · removes: ${t.remove === undefined ? '10% (default)' : limitText(t.remove)}`
  }
  if (step.threshold === null || step.threshold === undefined) return 'none (deletes and disables: 10%)'
  return limitText(step.threshold)
}

const STEP_COLUMNS: readonly Column<JobStep>[] = [
  { key: 'step', title: 'Step', align: 'right' },
  { key: 'type', title: 'Type', render: (s) => <span className="badge neutral">{s.type}</span> },
  {
    key: 'what',
    title: 'Mapping or system',
    render: (s) =>
      s.mapping !== undefined ? (
        <Link href={`/documents/Mapping/${encodeURIComponent(s.mapping)}`}>{s.mapping}</Link>
      ) : (
        <span>role memberships of {s.system}</span>
      ),
  },
  { key: 'enabled', title: 'Enabled', render: (s) => (s.enabled ? 'yes' : <span className="muted">no</span>) },
  { key: 'threshold', title: 'Threshold', render: thresholdText },
]

interface Evaluation {
  readonly planId: number
  readonly steps: readonly PlanStep[]
}

const PREVIEW_OPERATIONS = 10

function EvaluationPreview({ evaluation }: { evaluation: Evaluation }) {
  const ops = useApi<{ total: number; operations: Operation[] }>(`/api/plans/${evaluation.planId}/operations`, {
    limit: PREVIEW_OPERATIONS,
  })
  const total = evaluation.steps.reduce((n, s) => n + s.operations, 0)
  return (
    <div className="preview" aria-label="Plan preview">
      <Notice kind={total === 0 ? 'success' : 'info'}>
        Plan #{evaluation.planId}: {formatCount(total)} operation{total === 1 ? '' : 's'} to write. Nothing was written
        yet.
      </Notice>
      <DataTable
        label="Operations per step"
        rows={evaluation.steps}
        rowKey={(s) => s.index}
        columns={[
          { key: 'index', title: 'Step', align: 'right', render: (s) => s.index + 1 },
          { key: 'mapping', title: 'Mapping' },
          {
            key: 'target',
            title: 'Target',
            render: (s) => (
              <span>
                {s.system}.{s.table} <code className="code-badge">{s.function}</code>
              </span>
            ),
          },
          { key: 'operations', title: 'Operations', align: 'right', render: (s) => formatCount(s.operations) },
          { key: 'unchanged', title: 'Unchanged', align: 'right', render: (s) => formatCount(s.unchanged) },
          { key: 'failed', title: 'Not planned', align: 'right', render: (s) => formatCount(s.failed) },
          {
            key: 'threshold',
            title: 'Threshold',
            render: (s) =>
              s.threshold === undefined ? (
                <span className="muted">none</span>
              ) : (
                <span className={s.threshold.exceeded ? 'error-text' : undefined}>{s.threshold.described}</span>
              ),
          },
        ]}
      />
      {total > 0 && (
        <>
          <h3>First operations</h3>
          {ops.error !== undefined && <ErrorNotice error={ops.error} />}
          {ops.data === undefined ? (
            <Loading what="operations" />
          ) : (
            <DataTable
              label="First operations"
              rows={ops.data.operations}
              rowKey={(o) => o.id}
              columns={[
                { key: 'function', title: 'Function', render: (o) => <code className="code-badge">{o.function}</code> },
                { key: 'key', title: 'Row', render: (o) => `${o.system}.${o.table} ${o.key}` },
                { key: 'changes', title: 'Changes', render: (o) => <span className="small changes">{o.changes}</span> },
              ]}
            />
          )}
        </>
      )}
    </div>
  )
}

function JobCard({ job }: { job: Job }) {
  const { can } = useSession()
  const [, navigate] = useLocation()
  const [busy, setBusy] = useState<'evaluate' | 'run' | undefined>(undefined)
  const [confirming, setConfirming] = useState(false)
  const [evaluation, setEvaluation] = useState<Evaluation | undefined>(undefined)
  const [error, setError] = useState<ApiError | undefined>(undefined)

  const act = async (what: 'evaluate' | 'run', force = false) => {
    setBusy(what)
    setError(undefined)
    try {
      const answer = await api.post<Evaluation & { runId?: number }>(
        `/api/jobs/${seg(job.name)}/${what}`,
        force ? { force } : {},
      )
      if (what === 'run' && answer.runId !== undefined) navigate(`/runs/${answer.runId}`)
      else setEvaluation(answer)
    } catch (thrown) {
      setError(thrown as ApiError)
    } finally {
      setBusy(undefined)
      setConfirming(false)
    }
  }
  const thresholdStop = error?.code === 'JOB_THRESHOLD_EXCEEDED'

  return (
    <Section
      title={
        <span>
          {job.name} {job.description !== undefined && <span className="muted normal">— {job.description}</span>}
        </span>
      }
      actions={
        <>
          <Link href={`/documents/Job/${encodeURIComponent(job.name)}`} className="small">
            Document
          </Link>
          <Link href={`/runs?job=${encodeURIComponent(job.name)}`} className="small">
            Runs
          </Link>
          {can('run') && (
            <>
              <button type="button" disabled={busy !== undefined} onClick={() => void act('evaluate')}>
                {busy === 'evaluate' ? 'Evaluating…' : 'Evaluate'}
              </button>
              <button
                type="button"
                className="primary"
                disabled={busy !== undefined}
                onClick={() => setConfirming(true)}
              >
                {busy === 'run' ? 'Running…' : 'Run'}
              </button>
            </>
          )}
        </>
      }
    >
      <DataTable label={`Steps of ${job.name}`} rows={job.steps} rowKey={(s) => s.step} columns={STEP_COLUMNS} />
      <div className="muted small file">{job.file}</div>
      {confirming && (
        <div className="confirm" role="dialog" aria-label={`Run job ${job.name}`}>
          <p>
            Run job <strong>{job.name}</strong> now? It evaluates every enabled step, checks the thresholds and writes
            the plan to the target systems.
          </p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy !== undefined} onClick={() => void act('run')}>
              {busy === 'run' ? 'Running…' : 'Run and write'}
            </button>
            <button type="button" disabled={busy !== undefined} onClick={() => setConfirming(false)}>
              Not now
            </button>
          </div>
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      {thresholdStop && can('run') && (
        <div className="actions">
          <button type="button" onClick={() => void act('evaluate', true)}>
            Evaluate past the threshold (nothing is written)
          </button>
        </div>
      )}
      {evaluation !== undefined && <EvaluationPreview key={evaluation.planId} evaluation={evaluation} />}
    </Section>
  )
}

export function JobsSection() {
  const jobs = useApi<{ jobs: Job[] }>('/api/jobs')
  if (jobs.error !== undefined) return <ErrorNotice error={jobs.error} />
  if (jobs.data === undefined) return <Loading what="jobs" />
  if (jobs.data.jobs.length === 0)
    return (
      <Section title="Jobs">
        <div className="empty muted">
          No jobs yet. Add a <Link href="/documents">Job document</Link> with the mappings to write.
        </div>
      </Section>
    )
  return (
    <>
      <h2 className="group-title">Jobs</h2>
      {jobs.data.jobs.map((job) => (
        <JobCard key={job.name} job={job} />
      ))}
    </>
  )
}
