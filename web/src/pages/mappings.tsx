/**
 * Mappings: each filter → function of a target table with its attribute expressions; one mapping in
 * the editor (errors in place, as `provisio validate` reports them) beside an evaluate preview of
 * its plan: the operations per kind and the attributes they would write, page by page. Evaluating
 * stores a plan and writes nothing to the target.
 */
import { useState } from 'react'
import { Link, useLocation, useRoute } from 'wouter'
import { type ApiError, api, seg } from '../api.ts'
import { DocumentEditor } from '../components/editor.tsx'
import { ErrorNotice, Loading, Notice, StatusBadge } from '../components/feedback.tsx'
import { Page, Section } from '../components/layout.tsx'
import { DataTable } from '../components/table.tsx'
import { formatCount, formatValue } from '../format.ts'
import { useApi } from '../hooks.ts'
import { useSession } from '../session.tsx'

interface Mapping {
  readonly name: string
  readonly description?: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly filter: string
  readonly parameters: Record<string, unknown>
  readonly nameGenerator?: string
  readonly passwordGenerator?: string
  readonly key?: string
  readonly attributes: readonly { name: string; expression: string }[]
  readonly file: string
}

interface Step {
  readonly index: number
  readonly mapping: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly semantics: string
  readonly operations: number
  readonly unchanged: number
  readonly failed: number
  readonly failures?: readonly { row: string; code: string; message: string }[]
}

interface Operation {
  readonly seq: number
  readonly semantics: string
  readonly function: string
  readonly key: string
  readonly attributes: Record<string, unknown>
  readonly changes: string
  readonly status: string
}

interface OperationsPage {
  readonly total: number
  readonly offset: number
  readonly operations: readonly Operation[]
}

const PAGE = 20

function MappingList() {
  const [, navigate] = useLocation()
  const { data, error } = useApi<{ mappings: Mapping[] }>('/api/mappings')
  return (
    <Page title="Mappings" subtitle="Filter rows → one function of a target table, with the attributes it writes.">
      {error !== undefined && <ErrorNotice error={error} />}
      {data === undefined && error === undefined && <Loading what="the mappings" />}
      {data !== undefined && (
        <Section title={`${data.mappings.length} mappings`}>
          <DataTable
            label="Mappings"
            rows={data.mappings}
            rowKey={(m) => m.name}
            onRowClick={(m) => navigate(`/mappings/${seg(m.name)}`)}
            empty="The project has no mapping yet."
            columns={[
              {
                key: 'name',
                title: 'Mapping',
                render: (m) => (
                  <div>
                    <Link href={`/mappings/${seg(m.name)}`}>
                      <strong>{m.name}</strong>
                    </Link>
                    {m.description !== undefined && <div className="muted small">{m.description}</div>}
                  </div>
                ),
              },
              { key: 'filter', title: 'Filter', render: (m) => <code>{m.filter}</code> },
              {
                key: 'function',
                title: 'Target function',
                render: (m) => (
                  <span>
                    <code>
                      {m.system}.{m.table}
                    </code>{' '}
                    <span className="badge neutral">{m.function}</span>
                  </span>
                ),
              },
              {
                key: 'attributes',
                title: 'Attributes',
                render: (m) => (
                  <span className="small">
                    {m.attributes.map((a) => a.name).join(', ') || <span className="muted">—</span>}
                  </span>
                ),
              },
              {
                key: 'generators',
                title: 'Generators',
                render: (m) =>
                  [m.nameGenerator, m.passwordGenerator]
                    .filter((g) => g !== undefined)
                    .map((g) => (
                      <Link key={g} href={`/generators/${seg(g)}`}>
                        {g}{' '}
                      </Link>
                    )),
              },
            ]}
          />
        </Section>
      )}
    </Page>
  )
}

function Operations({ planId, step }: { planId: number; step: Step }) {
  const [offset, setOffset] = useState(0)
  const { data, error, loading } = useApi<OperationsPage>(`/api/plans/${planId}/operations`, {
    step: step.index,
    limit: PAGE,
    offset,
  })
  if (error !== undefined) return <ErrorNotice error={error} />
  if (data === undefined) return <Loading what="the operations" />
  const attributeNames = [...new Set(data.operations.flatMap((o) => Object.keys(o.attributes)))].slice(0, 6)
  // A create's changes repeat its attributes; other kinds say what changes from what.
  const showChanges = step.semantics !== 'create'
  return (
    <div className={loading ? 'stale compact-table' : 'compact-table'}>
      <DataTable
        label={`Operations of ${step.function}`}
        rows={data.operations}
        rowKey={(o) => o.seq}
        empty="No operation: every row is as it should be."
        columns={[
          { key: 'key', title: 'Key', render: (o) => <code>{o.key || '—'}</code> },
          ...attributeNames.map((name) => ({
            key: `a:${name}`,
            title: name,
            render: (o: Operation) => {
              const value = o.attributes[name]
              return value === undefined ? <span className="muted">—</span> : <span>{formatValue(value)}</span>
            },
          })),
          ...(showChanges
            ? [
                {
                  key: 'changes',
                  title: 'Changes',
                  render: (o: Operation) => <span className="small">{o.changes}</span>,
                },
              ]
            : []),
        ]}
      />
      <div className="pager">
        <span className="muted small">
          {data.total === 0
            ? ''
            : `${formatCount(offset + 1)}–${formatCount(offset + data.operations.length)} of ${formatCount(data.total)}`}
        </span>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Previous
        </button>
        <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
          Next
        </button>
      </div>
    </div>
  )
}

function EvaluatePreview({ name }: { name: string }) {
  const { can } = useSession()
  const [result, setResult] = useState<{ planId: number; steps: readonly Step[] } | undefined>(undefined)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [pending, setPending] = useState(false)
  const evaluate = async () => {
    setPending(true)
    setError(undefined)
    try {
      setResult(await api.post(`/api/mappings/${seg(name)}/evaluate`))
    } catch (thrown) {
      setError(thrown as ApiError)
    } finally {
      setPending(false)
    }
  }
  return (
    <div className="card section preview-panel">
      <header className="section-header">
        <h2>Evaluate preview</h2>
        {can('run') && (
          <button type="button" className="primary" onClick={() => void evaluate()} disabled={pending}>
            {pending ? 'Evaluating…' : result === undefined ? 'Evaluate' : 'Evaluate again'}
          </button>
        )}
      </header>
      <p className="muted small">
        Plans the saved mapping against the vault: the operations it would make and the attributes they would write.
        Nothing is written to the target; the plan is stored and can be executed later from Runs.
      </p>
      {!can('run') && <Notice>Evaluating needs the operator or admin role.</Notice>}
      {pending && <Loading what="the plan" />}
      {error !== undefined && <ErrorNotice error={error} />}
      {result !== undefined &&
        result.steps.map((step) => (
          <div key={step.index} className="plan-step">
            <div className="plan-step-head">
              <strong>
                {step.system}.{step.table}
              </strong>{' '}
              <span className="badge neutral">{step.function}</span>{' '}
              <span className="badge attention">{step.semantics}</span>
              <span className="plan-counts">
                <span className="badge busy">{formatCount(step.operations)} operations</span>
                <span className="badge neutral">{formatCount(step.unchanged)} unchanged</span>
                {step.failed > 0 && <span className="badge bad">{formatCount(step.failed)} failed</span>}
              </span>
            </div>
            {(step.failures ?? []).map((f, i) => (
              <div key={i} className="issue error small">
                row {f.row}: {f.message} <code className="code-badge">{f.code}</code>
              </div>
            ))}
            <Operations planId={result.planId} step={step} />
          </div>
        ))}
      {result !== undefined && (
        <p className="small">
          Stored as plan {result.planId} <StatusBadge status="planned" />
        </p>
      )}
    </div>
  )
}

export default function MappingsPage() {
  const [isOne, params] = useRoute<{ name: string }>('/mappings/:name')
  const [, navigate] = useLocation()
  if (!isOne) return <MappingList />
  const name = decodeURIComponent(params.name)
  return (
    <Page
      title={name}
      subtitle={
        <span>
          <Link href="/mappings">Mappings</Link> / {name}
        </span>
      }
    >
      <DocumentEditor
        key={name}
        kind="Mapping"
        name={name}
        preview={() => <EvaluatePreview name={name} />}
        onSaved={(saved) => {
          if (saved.name !== name) navigate(`/mappings/${seg(saved.name)}`)
        }}
      />
    </Page>
  )
}
