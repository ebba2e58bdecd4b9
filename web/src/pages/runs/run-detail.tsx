/**
 * One run's page (`/runs/:id`): how it went (status, actor, times, configuration revision, what it
 * did), its live progress while it goes on, the decision a run awaiting approval waits for, its
 * plans with their steps and operations, and its log.
 */
import { useState } from 'react'
import { Link } from 'wouter'
import { ErrorNotice, Loading, Notice, StatusBadge } from '../../components/feedback.tsx'
import { Facts, Page, Section } from '../../components/layout.tsx'
import { durationBetween, formatCount, formatTime } from '../../format.ts'
import { useApi, useInterval } from '../../hooks.ts'
import { LiveProgress } from './live-progress.tsx'
import { PlanView } from './plan-view.tsx'
import { RunActions } from './run-actions.tsx'
import { RunLog } from './run-log.tsx'
import { type RunDetail as Detail, type Run, countsText, isFinal } from './types.ts'

function subjectLink(run: Run) {
  if (run.kind === 'task') return <Link href={`/runs?task=${encodeURIComponent(run.name)}`}>task {run.name}</Link>
  if (run.kind === 'job') return <Link href={`/runs?job=${encodeURIComponent(run.name)}`}>job {run.name}</Link>
  return `plan ${run.name}`
}

export function RunDetail({ id }: { id: number }) {
  const detail = useApi<Detail>(`/api/runs/${id}`)
  const [deciding, setDeciding] = useState(false)
  const run = detail.data?.run
  const live = run !== undefined && run.runningHere && (run.status === 'running' || run.status === 'queued')
  const elsewhere = run !== undefined && !run.runningHere && (run.status === 'running' || run.status === 'queued')
  // An approval answers only once the plans are executed, and a run of another process streams nothing
  // here: look at the run again now and then meanwhile.
  useInterval(() => detail.reload(), deciding ? 1000 : elsewhere ? 3000 : null)

  if (detail.error !== undefined && detail.data === undefined)
    return (
      <Page title={`Run #${id}`}>
        <ErrorNotice error={detail.error} />
        <Link href="/runs">← All runs</Link>
      </Page>
    )
  if (run === undefined || detail.data === undefined) return <Loading what={`run ${id}`} />
  const { plans, revision, logTotal } = detail.data

  return (
    <Page
      title={`Run #${run.id}`}
      subtitle={
        <span>
          <Link href="/runs">Runs</Link> / {run.kind} {run.name}
        </span>
      }
      actions={<StatusBadge status={run.status} />}
    >
      <Section title="Facts" actions={<RunActions run={run} onChanged={() => detail.reload()} onBusy={setDeciding} />}>
        <Facts
          items={[
            ['Status', <StatusBadge key="s" status={run.status} />],
            ['Ran', subjectLink(run)],
            ['Actor', run.actor],
            ['Started', formatTime(run.startedAt)],
            ['Finished', formatTime(run.finishedAt)],
            ['Duration', isFinal(run.status) || live ? durationBetween(run.startedAt, run.finishedAt) : '—'],
            [
              'Configuration revision',
              revision === null ? (
                '—'
              ) : (
                <span title={revision.hash}>
                  #{revision.id} <code className="code-badge">{revision.hash.slice(0, 12)}</code>
                </span>
              ),
            ],
            ...(run.approvedBy !== undefined
              ? ([
                  [run.status === 'rejected' ? 'Rejected by' : 'Approved by', run.approvedBy],
                  ['Decided', formatTime(run.decidedAt)],
                ] as const)
              : []),
            ['What it did', countsText(run.counts) || '—'],
          ]}
        />
        {run.status === 'awaiting-approval' && (
          <Notice kind="info">
            This run evaluated its plans and waits for a person: approve it to write exactly these operations to the
            targets, or reject it. Review the operations below first.
          </Notice>
        )}
        {(run.errorCode !== undefined || (run.message !== undefined && run.status !== 'succeeded')) && (
          <div className={run.status === 'failed' ? 'notice error' : 'notice warning'} role="alert">
            <strong>{run.message ?? 'The run did not succeed.'}</strong>{' '}
            {run.errorCode !== undefined && <code className="code-badge">{run.errorCode}</code>}
          </div>
        )}
        {deciding && <Notice kind="info">Executing the approved plans…</Notice>}
      </Section>

      {live && (
        <Section title="Live progress">
          <LiveProgress runId={run.id} onFinished={() => detail.reload()} />
        </Section>
      )}
      {elsewhere && (
        <Notice kind="info">
          This run goes on in another process (the scheduler of another server, or the CLI): its live progress shows
          there. This page looks again every few seconds.
        </Notice>
      )}

      {plans.length === 0 ? (
        <Section title="Plans">
          <div className="empty muted">
            {isFinal(run.status) ? 'This run stored no plan.' : 'No plan yet: the run has not evaluated.'}
          </div>
        </Section>
      ) : (
        plans.map((plan) => <PlanView key={`${plan.id}-${plan.status}`} plan={plan} total={plan.total} />)
      )}

      <Section title={`Log (${formatCount(logTotal)} lines)`}>
        <RunLog key={`${run.id}-${live}`} runId={run.id} live={live} />
      </Section>
    </Page>
  )
}
