/**
 * A collected table in the vault: its current rows, filtered by an expression (docs/expressions.md)
 * over its columns, sorted by clicking a column's header, a page at a time (by the route's `next`
 * cursor, or by offset on a server without one), and a row's history when it is clicked.
 */
import { type FormEvent, useEffect, useState } from 'react'
import { Link } from 'wouter'
import type { ApiError } from '../../api.ts'
import { seg } from '../../api.ts'
import { type Issue, IssueList } from '../../components/editor.tsx'
import { ErrorNotice, Loading } from '../../components/feedback.tsx'
import { Page, Section } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatCount } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import { RowHistory } from './row-history.tsx'
import type { RowsAnswer } from './types.ts'

const PAGE_SIZES = [25, 50, 100, 250]

/** Where the page starts: after a cursor (keyset paging) or at an offset. */
interface PageStart {
  readonly after?: string | undefined
  readonly offset: number
}

export default function VaultTable({ system, table }: { system: string; table: string }) {
  const full = `${system}.${table}`
  const [draft, setDraft] = useState('')
  const [where, setWhere] = useState('')
  const [sort, setSort] = useState<string | undefined>(undefined)
  const [order, setOrder] = useState<'asc' | 'desc'>('asc')
  const [limit, setLimit] = useState(50)
  // The starts of the pages up to the one shown: Previous goes back one without asking the server.
  const [starts, setStarts] = useState<readonly PageStart[]>([{ offset: 0 }])
  const [total, setTotal] = useState<number | undefined>(undefined)
  const [selected, setSelected] = useState<string | undefined>(undefined)
  const start = starts[starts.length - 1]!
  const first = starts.length === 1

  const rows = useApi<RowsAnswer>(`/api/vault/tables/${seg(full)}/rows`, {
    limit,
    where: where.trim() === '' ? undefined : where,
    sort,
    order: sort === undefined ? undefined : order,
    after: start.after,
    offset: start.after === undefined && start.offset > 0 ? start.offset : undefined,
    // Counting is a full scan: once per search, on its first page.
    total: first ? true : undefined,
  })
  useEffect(() => {
    if (first && rows.data?.total !== undefined) setTotal(rows.data.total)
  }, [first, rows.data])

  const restart = () => {
    setStarts([{ offset: 0 }])
    setTotal(undefined)
  }
  const search = (event: FormEvent) => {
    event.preventDefault()
    setWhere(draft)
    restart()
  }
  const sortBy = (column: string) => {
    if (sort === column) setOrder(order === 'asc' ? 'desc' : 'asc')
    else {
      setSort(column)
      setOrder('asc')
    }
    restart()
  }

  const data = rows.data
  const keyed = data?.next !== undefined
  const hasNext = data === undefined ? false : keyed ? data.next !== null : data.rows.length === limit
  const next = () => {
    if (data === undefined) return
    setStarts([
      ...starts,
      keyed ? { after: data.next ?? undefined, offset: start.offset + limit } : { offset: start.offset + limit },
    ])
  }
  const shownFrom = start.offset + 1
  const shownTo = start.offset + (data?.rows.length ?? 0)
  const invalid = rows.error?.code === 'VLT_INVALID_CONDITION'
  const issues = (rows.error?.details?.['issues'] ?? []) as Issue[]

  return (
    <Page
      title={full}
      subtitle={
        <>
          <Link href="/systems">Systems</Link> › <Link href={`/systems/${seg(system)}`}>{system}</Link> › {table}
        </>
      }
    >
      <Section>
        <form className="toolbar search-bar" onSubmit={search} aria-label="Search rows">
          <label className="grow">
            Filter (an expression over the columns)
            <input
              name="where"
              value={draft}
              placeholder="e.g. city = 'Utrecht' and last_name like 'B%'"
              onChange={(e) => setDraft(e.target.value)}
              spellCheck={false}
              className={invalid ? 'mono invalid' : 'mono'}
            />
          </label>
          <button type="submit" className="primary">
            Search
          </button>
          {where !== '' && (
            <button
              type="button"
              onClick={() => {
                setDraft('')
                setWhere('')
                restart()
              }}
            >
              Clear
            </button>
          )}
          <label>
            Rows per page
            <select
              value={limit}
              onChange={(e) => {
                setLimit(Number(e.target.value))
                restart()
              }}
            >
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </form>
        {rows.error !== undefined && <TableError error={rows.error} issues={issues} />}
        {data === undefined && rows.loading && <Loading what="the rows" />}
        {data !== undefined && (
          <>
            <div className="table-status">
              <span aria-live="polite">
                {data.rows.length === 0
                  ? 'No rows'
                  : `Rows ${formatCount(shownFrom)}–${formatCount(shownTo)}${total === undefined ? '' : ` of ${formatCount(total)}`}`}
                {where !== '' && (
                  <>
                    {' '}
                    where <code>{where}</code>
                  </>
                )}
                {sort !== undefined && (
                  <span className="muted">
                    {' '}
                    · sorted by {sort} {order === 'asc' ? 'ascending' : 'descending'}
                  </span>
                )}
                {rows.loading && <span className="muted"> · loading…</span>}
              </span>
              <Pager
                onPrevious={first ? undefined : () => setStarts(starts.slice(0, -1))}
                onNext={hasNext ? next : undefined}
              />
            </div>
            <div className="nowrap-cells scroll-table">
              <DataTable
                label={`Rows of ${full}`}
                rows={data.rows}
                rowKey={(row, i) => (data.primaryKey === null ? i : String(row[data.primaryKey]))}
                onRowClick={data.primaryKey === null ? undefined : (row) => setSelected(String(row[data.primaryKey!]))}
                empty={where === '' ? 'The table has no rows: collect the system first.' : 'No row meets the filter.'}
                columns={data.columns.map((c) => ({
                  key: c.name,
                  title: (
                    <button
                      type="button"
                      className={sort === c.name ? 'sort-header active' : 'sort-header'}
                      onClick={() => sortBy(c.name)}
                      title={`Sort by ${c.name} (${c.type})`}
                    >
                      {c.name}
                      {c.name === data.primaryKey && (
                        <span className="key-mark" title="primary key">
                          ⚷
                        </span>
                      )}
                      <span className="sort-arrow" aria-hidden="true">
                        {sort === c.name ? (order === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  ),
                  align: c.type === 'number' || c.type === 'integer' ? 'right' : 'left',
                }))}
              />
            </div>
            {data.rows.length > 0 && (
              <div className="table-status">
                <span className="muted small">
                  {data.primaryKey === null
                    ? 'This table has no primary key: rows have no history.'
                    : 'Click a row to see its history.'}
                </span>
                <Pager
                  onPrevious={first ? undefined : () => setStarts(starts.slice(0, -1))}
                  onNext={hasNext ? next : undefined}
                />
              </div>
            )}
          </>
        )}
      </Section>
      {selected !== undefined && <RowHistory table={full} rowKey={selected} onClose={() => setSelected(undefined)} />}
    </Page>
  )
}

function Pager({ onPrevious, onNext }: { onPrevious?: (() => void) | undefined; onNext?: (() => void) | undefined }) {
  return (
    <div className="actions">
      <button type="button" onClick={onPrevious} disabled={onPrevious === undefined}>
        ‹ Previous
      </button>
      <button type="button" onClick={onNext} disabled={onNext === undefined}>
        Next ›
      </button>
    </div>
  )
}

function TableError({ error, issues }: { error: ApiError; issues: readonly Issue[] }) {
  return (
    <>
      <ErrorNotice error={error} />
      {issues.length > 0 && <IssueList issues={issues} />}
    </>
  )
}
