/** The project's filters, each with the rows it gives now (counted one by one, with the defaults). */
import { useEffect, useState } from 'react'
import { Link, useLocation } from 'wouter'
import { type ApiError, api, seg } from '../../api.ts'
import { ErrorNotice, Loading } from '../../components/feedback.tsx'
import { Page, Section } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatCount, formatValue } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import type { FilterRun, FilterSummary } from './types.ts'

type Count = { readonly rows: number } | { readonly error: ApiError } | { readonly needsParameter: true }

/** A filter with a parameter without default cannot run on its own; asking would only log a 400. */
const needsParameter = (filter: FilterSummary): boolean => filter.parameters.some((p) => p.default === undefined)

/** Counts the rows of each filter, a few at a time, as they arrive. */
function useCounts(filters: readonly FilterSummary[] | undefined): ReadonlyMap<string, Count> {
  const [counts, setCounts] = useState<ReadonlyMap<string, Count>>(new Map())
  useEffect(() => {
    if (filters === undefined) return
    let live = true
    const queue = [...filters]
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined && live; next = queue.shift()) {
        const name = next.name
        if (needsParameter(next)) {
          if (live) setCounts((before) => new Map(before).set(name, { needsParameter: true }))
          continue
        }
        const count: Count = await api.post<FilterRun>(`/api/filters/${seg(name)}/run`, { limit: 0, total: true }).then(
          (answer) => ({ rows: answer.total ?? 0 }),
          (error: ApiError) => ({ error }),
        )
        if (live) setCounts((before) => new Map(before).set(name, count))
      }
    }
    void Promise.all([worker(), worker(), worker()])
    return () => {
      live = false
    }
  }, [filters])
  return counts
}

export function FilterList() {
  const { can } = useSession()
  const [, navigate] = useLocation()
  const { data, error, loading } = useApi<{ filters: FilterSummary[] }>('/api/filters')
  const counts = useCounts(data?.filters)
  return (
    <Page
      title="Filters"
      subtitle="Named queries over the vault: who should have an account, who has one that no longer matches."
      actions={
        can('admin') ? (
          <button type="button" className="primary" onClick={() => navigate('/filters/new')}>
            New filter
          </button>
        ) : undefined
      }
    >
      {error !== undefined && <ErrorNotice error={error} />}
      {loading && data === undefined && <Loading what="the filters" />}
      {data !== undefined && (
        <Section title={`${data.filters.length} filters`}>
          <DataTable
            label="Filters"
            rows={data.filters}
            rowKey={(f) => f.name}
            onRowClick={(f) => navigate(`/filters/${seg(f.name)}`)}
            empty="The project has no filter yet."
            columns={[
              {
                key: 'name',
                title: 'Filter',
                render: (f) => (
                  <div>
                    <Link href={`/filters/${seg(f.name)}`} onClick={(e) => e.stopPropagation()}>
                      <strong>{f.name}</strong>
                    </Link>
                    {f.description !== undefined && <div className="muted small clamp">{f.description}</div>}
                  </div>
                ),
              },
              { key: 'start', title: 'Start table', render: (f) => <code>{f.start}</code> },
              {
                key: 'parameters',
                title: 'Parameters',
                render: (f) =>
                  f.parameters.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    f.parameters.map((p) => (
                      <div key={p.name} className="small">
                        <code>{p.name}</code> <span className="muted">{p.type}</span>
                        {p.default !== undefined && <span className="muted"> = {formatValue(p.default)}</span>}
                      </div>
                    ))
                  ),
              },
              {
                key: 'rows',
                title: 'Rows now',
                align: 'right',
                render: (f) => {
                  const count = counts.get(f.name)
                  if (count === undefined) return <span className="muted">counting…</span>
                  if ('needsParameter' in count || ('error' in count && count.error.code === 'FLT_MISSING_PARAMETER'))
                    return <span className="muted small">needs a parameter value</span>
                  if ('error' in count)
                    return (
                      <span className="error-text small" title={count.error.hint ?? count.error.message}>
                        {count.error.code}
                      </span>
                    )
                  return <strong>{formatCount(count.rows)}</strong>
                },
              },
              { key: 'file', title: 'File', render: (f) => <span className="muted small">{f.file}</span> },
            ]}
          />
          <p className="muted small">
            Rows now: what each filter gives on the vault&apos;s current data, with its default parameters.
          </p>
        </Section>
      )}
    </Page>
  )
}
