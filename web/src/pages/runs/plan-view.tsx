/**
 * One plan of a run: its steps (mapping → system.table function, operations, unchanged rows,
 * failures, the threshold check) and its operations a page at a time with their outcome, filtered
 * by outcome (GET /api/plans/:id/operations). Secrets show as `(set)`: their values are never stored.
 */
import { useState } from 'react'
import { Link } from 'wouter'
import { ErrorNotice, Loading, StatusBadge } from '../../components/feedback.tsx'
import { Section } from '../../components/layout.tsx'
import { type Column, DataTable } from '../../components/table.tsx'
import { formatCount, formatTime } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import type { Operation, Plan, PlanStep } from './types.ts'

const OUTCOMES = ['planned', 'running', 'succeeded', 'failed', 'skipped'] as const
const PAGE = 20

const STEP_COLUMNS: readonly Column<PlanStep>[] = [
  { key: 'index', title: 'Step', render: (s) => s.index + 1 },
  {
    key: 'mapping',
    title: 'Mapping',
    render: (s) => <Link href={`/documents/Mapping/${encodeURIComponent(s.mapping)}`}>{s.mapping}</Link>,
  },
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
  {
    key: 'failed',
    title: 'Not planned',
    align: 'right',
    render: (s) => (s.failed > 0 ? <span className="error-text">{formatCount(s.failed)}</span> : '0'),
  },
  {
    key: 'threshold',
    title: 'Threshold',
    render: (s) =>
      s.threshold === undefined ? (
        <span className="muted">none</span>
      ) : (
        <span className={s.threshold.exceeded ? 'error-text' : undefined}>
          {s.threshold.exceeded ? 'exceeded: ' : ''}
          {s.threshold.described}
        </span>
      ),
  },
]

const OPERATION_COLUMNS: readonly Column<Operation>[] = [
  { key: 'seq', title: '#', align: 'right' },
  { key: 'step', title: 'Step', align: 'right', render: (o) => o.step + 1 },
  { key: 'function', title: 'Function', render: (o) => <code className="code-badge">{o.function}</code> },
  {
    key: 'key',
    title: 'Row',
    render: (o) => (
      <span title={o.keyColumn}>
        {o.system}.{o.table} {o.key === '' ? '' : <strong>{o.key}</strong>}
      </span>
    ),
  },
  { key: 'changes', title: 'Changes', render: (o) => <span className="small changes">{o.changes || '—'}</span> },
  { key: 'status', title: 'Outcome', render: (o) => <StatusBadge status={o.status} /> },
  {
    key: 'message',
    title: 'Error',
    render: (o) =>
      o.errorCode === undefined && o.message === undefined ? (
        ''
      ) : (
        <span className="small">
          {o.errorCode !== undefined && <code className="code-badge">{o.errorCode}</code>} {o.message}
        </span>
      ),
  },
]

export function PlanView({ plan, total }: { plan: Plan; total: number }) {
  const [outcome, setOutcome] = useState('')
  const [offset, setOffset] = useState(0)
  const ops = useApi<{ total: number; offset: number; operations: Operation[] }>(`/api/plans/${plan.id}/operations`, {
    status: outcome,
    limit: PAGE,
    offset,
  })
  const matching = ops.data?.total ?? 0
  const countsLine = OUTCOMES.filter((o) => (plan.counts[o] ?? 0) > 0)
  return (
    <Section
      title={
        <span>
          Plan #{plan.id} <span className="muted">of {plan.source.kind}</span> {plan.source.name}{' '}
          <StatusBadge status={plan.status} />
        </span>
      }
      actions={
        <span className="muted small">
          {formatCount(total)} operation{total === 1 ? '' : 's'} · planned {formatTime(plan.createdAt)}
          {plan.executedAt !== undefined && ` · executed ${formatTime(plan.executedAt)}`}
        </span>
      }
    >
      <DataTable label={`Steps of plan ${plan.id}`} columns={STEP_COLUMNS} rows={plan.steps} rowKey={(s) => s.index} />
      {plan.steps
        .filter((s) => (s.failures?.length ?? 0) > 0)
        .map((s) => (
          <div key={s.index} className="notice warning">
            <strong>
              Step {s.index + 1} ({s.mapping}): {s.failed} row{s.failed === 1 ? '' : 's'} could not be planned
            </strong>
            <ul className="plain-list">
              {s.failures!.map((f, i) => (
                <li key={i}>
                  {f.row}: <code className="code-badge">{f.code}</code> {f.message}
                </li>
              ))}
            </ul>
          </div>
        ))}
      <h3>Operations</h3>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Outcome">
          {['', ...OUTCOMES].map((o) => {
            const n = o === '' ? total : (plan.counts[o] ?? 0)
            if (o !== '' && n === 0 && !countsLine.includes(o as (typeof OUTCOMES)[number])) return null
            return (
              <button
                key={o}
                type="button"
                aria-pressed={outcome === o}
                className={outcome === o ? 'active' : undefined}
                onClick={() => {
                  setOutcome(o)
                  setOffset(0)
                }}
              >
                {o === '' ? 'all' : o} <span className="muted">{formatCount(n)}</span>
              </button>
            )
          })}
        </div>
      </div>
      {ops.error !== undefined && <ErrorNotice error={ops.error} />}
      {ops.data === undefined ? (
        <Loading what="operations" />
      ) : (
        <DataTable
          label={`Operations of plan ${plan.id}`}
          columns={
            ops.data.operations.some((o) => o.errorCode !== undefined || o.message !== undefined)
              ? OPERATION_COLUMNS
              : OPERATION_COLUMNS.filter((c) => c.key !== 'message')
          }
          rows={ops.data.operations}
          rowKey={(o) => o.id}
          empty={outcome === '' ? 'Nothing to write: every row is as it should be.' : `No ${outcome} operations.`}
        />
      )}
      {matching > PAGE && (
        <div className="pager">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            ← Previous
          </button>
          <span className="muted small">
            {formatCount(offset + 1)}–{formatCount(Math.min(offset + PAGE, matching))} of {formatCount(matching)}
          </span>
          <button type="button" disabled={offset + PAGE >= matching} onClick={() => setOffset(offset + PAGE)}>
            Next →
          </button>
        </div>
      )}
    </Section>
  )
}
