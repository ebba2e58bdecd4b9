/**
 * What a filter's text gives, as typed: its rows and count from POST /api/filters/preview (which
 * checks the text as the project would have it and runs it with a LIMIT), parameter inputs, and
 * for a saved filter the SQL statement and explain of the saved version.
 */
import { useEffect, useRef, useState } from 'react'
import { type ApiError, api, seg } from '../../api.ts'
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx'
import { Tabs } from '../../components/layout.tsx'
import { DataTable, columnsOf } from '../../components/table.tsx'
import { formatCount, formatValue } from '../../format.ts'
import { useApi, useDebounced } from '../../hooks.ts'
import { type FilterParameter, type FilterPreviewAnswer, type FilterSummary, givenParameters } from './types.ts'

const PREVIEW_ROWS = 50

/** `?param=NAME=VALUE&…` as the SQL and explain routes read parameters. */
function paramQuery(values: Readonly<Record<string, string>>): string {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(givenParameters(values))) query.append('param', `${name}=${value}`)
  const text = query.toString()
  return text === '' ? '' : `?${text}`
}

function ParameterInputs({
  parameters,
  values,
  onChange,
}: {
  parameters: readonly FilterParameter[]
  values: Readonly<Record<string, string>>
  onChange: (values: Record<string, string>) => void
}) {
  if (parameters.length === 0) return null
  return (
    <div className="toolbar" aria-label="Parameters">
      {parameters.map((p) => (
        <label key={p.name}>
          {p.name} ({p.type})
          <input
            value={values[p.name] ?? ''}
            placeholder={p.default === undefined ? 'required' : `default ${formatValue(p.default)}`}
            onChange={(e) => onChange({ ...values, [p.name]: e.target.value })}
          />
        </label>
      ))}
    </div>
  )
}

/** POSTs the preview whenever the text or the parameters settle; an older answer never overwrites a newer one. */
function usePreview(source: string, parameters: Readonly<Record<string, string>>) {
  const [answer, setAnswer] = useState<FilterPreviewAnswer | undefined>(undefined)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [pending, setPending] = useState(false)
  const latest = useRef(0)
  const key = JSON.stringify(givenParameters(parameters))
  useEffect(() => {
    if (source.trim() === '') return
    const ask = ++latest.current
    setPending(true)
    api
      .post<FilterPreviewAnswer>('/api/filters/preview', {
        source,
        parameters: JSON.parse(key) as Record<string, string>,
        limit: PREVIEW_ROWS,
      })
      .then(
        (got) => {
          if (ask !== latest.current) return
          setAnswer(got)
          setError(undefined)
        },
        (thrown: ApiError) => {
          if (ask !== latest.current) return
          setError(thrown)
        },
      )
      .finally(() => ask === latest.current && setPending(false))
  }, [source, key])
  return { answer, error, pending }
}

function PreviewRows({
  answer,
  pending,
  failed,
}: {
  answer: FilterPreviewAnswer | undefined
  pending: boolean
  failed: boolean
}) {
  // A failed first preview says why above; "Loading" would wait for ever.
  if (answer === undefined) return failed ? null : <Loading what="the preview" />
  if (!answer.valid) {
    const errors = answer.issues.filter((i) => i.severity !== 'warning').length
    return (
      <Notice kind="warning">
        The text has {errors} error{errors === 1 ? '' : 's'} (marked in the editor); the preview shows rows again once
        it is valid.
      </Notice>
    )
  }
  const rows = answer.rows
  const columns =
    answer.columns.length > 0 ? answer.columns.map((c) => ({ key: c.name, title: c.name })) : columnsOf(rows)
  return (
    <div className={pending ? 'stale' : undefined}>
      <DataTable
        label="Preview rows"
        rows={rows}
        columns={columns}
        empty="The filter selects no row on the vault's current data."
      />
      {answer.count !== null && answer.count > rows.length && (
        <p className="muted small">
          The first {formatCount(rows.length)} of {formatCount(answer.count)} rows.
        </p>
      )}
    </div>
  )
}

function SqlTab({ name, parameters }: { name: string; parameters: Readonly<Record<string, string>> }) {
  const { data, error } = useApi<{ sql: string; params: unknown[]; dialect: string }>(
    `/api/filters/${seg(name)}/sql${paramQuery(parameters)}`,
  )
  if (error !== undefined) return <ErrorNotice error={error} />
  if (data === undefined) return <Loading what="the SQL" />
  return (
    <div>
      <p className="muted small">
        The saved filter as one {data.dialect} statement. Values are bound to the <code>?</code> placeholders, never
        written into the text.
      </p>
      <pre aria-label="SQL">{data.sql}</pre>
      <h3>Bound values</h3>
      {data.params.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <ol className="small">
          {data.params.map((p, i) => (
            <li key={i}>
              <code>{JSON.stringify(p)}</code>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

interface Explanation {
  readonly steps: readonly { kind: string; label: string; mode?: string; rows: number }[]
  readonly rows: number
  readonly startRows: number
  readonly maxMultiplication: number
  readonly warnings: readonly { code: string; message: string; hint?: string }[]
}

function ExplainTab({ name, parameters }: { name: string; parameters: Readonly<Record<string, string>> }) {
  const { data, error } = useApi<Explanation>(`/api/filters/${seg(name)}/explain${paramQuery(parameters)}`)
  if (error !== undefined) return <ErrorNotice error={error} />
  if (data === undefined) return <Loading what="the explanation" />
  const max = Math.max(1, ...data.steps.map((s) => s.rows))
  return (
    <div>
      <p className="muted small">How many rows remain after each item of the saved filter.</p>
      <DataTable
        label="Explain"
        rows={data.steps}
        columns={[
          { key: 'kind', title: 'Item', render: (s) => <span className="badge neutral">{s.kind}</span> },
          {
            key: 'label',
            title: 'What',
            render: (s) => (
              <span>
                <code>{s.label}</code> {s.mode !== undefined && <span className="muted">({s.mode})</span>}
              </span>
            ),
          },
          {
            key: 'rows',
            title: 'Rows',
            align: 'right',
            render: (s) => (
              <div className="meter-cell">
                <div className="meter" style={{ width: `${(s.rows / max) * 100}%` }} />
                <span>{formatCount(s.rows)}</span>
              </div>
            ),
          },
        ]}
      />
      {data.warnings.map((w, i) => (
        <Notice key={i} kind="warning">
          {w.message} <code className="code-badge">{w.code}</code>
          {w.hint !== undefined && <div className="hint">{w.hint}</div>}
        </Notice>
      ))}
    </div>
  )
}

export function FilterPreviewPanel({ source, saved }: { source: string; saved?: string | undefined }) {
  const [values, setValues] = useState<Record<string, string>>({})
  const settledValues = useDebounced(values, 350)
  const { answer, error, pending } = usePreview(source, settledValues)
  // A required parameter without value fails the first preview, which then names no parameter: the
  // inputs come from the saved filter (or the error) so that the value can be given at all.
  const savedFilters = useApi<{ filters: FilterSummary[] }>(saved === undefined ? null : '/api/filters')
  const missing =
    error?.code === 'FLT_MISSING_PARAMETER' && typeof error.details?.['parameter'] === 'string'
      ? error.details['parameter']
      : undefined
  const parameters: readonly FilterParameter[] =
    answer !== undefined && answer.valid && answer.parameters.length > 0
      ? answer.parameters
      : (savedFilters.data?.filters.find((f) => f.name === saved)?.parameters ??
        (missing === undefined ? [] : [{ name: missing, type: 'value' }]))
  const count =
    answer === undefined || answer.count === null ? (
      <span className="badge neutral">—</span>
    ) : (
      <span className="badge busy" aria-label="Row count">
        {formatCount(answer.count)} row{answer.count === 1 ? '' : 's'}
      </span>
    )
  return (
    <div className="card section preview-panel">
      <header className="section-header">
        <h2>Preview</h2>
        <div className="actions">
          {pending && <span className="muted small">updating…</span>}
          {count}
        </div>
      </header>
      <ParameterInputs parameters={parameters} values={values} onChange={setValues} />
      {missing !== undefined ? (
        <Notice>
          Give a value for <code>{missing}</code> above to see the rows it selects.
        </Notice>
      ) : (
        error !== undefined && <ErrorNotice error={error} />
      )}
      <Tabs
        tabs={[
          {
            id: 'rows',
            label: 'Rows',
            content: () => <PreviewRows answer={answer} pending={pending} failed={error !== undefined} />,
          },
          {
            id: 'sql',
            label: 'SQL',
            content: () =>
              saved === undefined ? (
                <Notice>The SQL shows once the filter is saved; the rows preview the text as typed.</Notice>
              ) : (
                <SqlTab name={saved} parameters={settledValues} />
              ),
          },
          {
            id: 'explain',
            label: 'Explain',
            content: () =>
              saved === undefined ? (
                <Notice>Explain shows once the filter is saved.</Notice>
              ) : (
                <ExplainTab name={saved} parameters={settledValues} />
              ),
          },
        ]}
      />
    </div>
  )
}
