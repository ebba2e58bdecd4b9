/**
 * The audit of writes to targets (GET /api/audit): every operation executed, with before and after
 * values, who caused it and its run, newest first, searched by system, table, mapping, the row's
 * key, run, time range and outcome, a page at a time. The API cannot search by actor: that filter
 * applies to the page shown.
 */
import { type FormEvent, useState } from 'react'
import { Link } from 'wouter'
import { ErrorNotice, Loading, StatusBadge } from '../../components/feedback.tsx'
import { type Cursors, CursorPager } from '../../components/pager.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatTime, formatValue } from '../../format.ts'
import { useApi } from '../../hooks.ts'

interface AuditRecord {
  readonly id: number
  readonly at: string
  readonly runId?: number
  readonly planId?: number
  readonly mapping: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly semantics: string
  readonly keyColumn?: string
  readonly keyValue?: unknown
  readonly outcome: 'succeeded' | 'failed'
  readonly errorCode?: string
  readonly message?: string
  readonly actor: string
  readonly changes: string
}

const PAGE = 25
const EMPTY = { system: '', table: '', mapping: '', key: '', run: '', actor: '', from: '', to: '', failed: false }
type Search = typeof EMPTY

/** A datetime-local value (the browser's zone) as ISO 8601, which the API reads. */
const isoOf = (local: string): string => (local === '' ? '' : new Date(local).toISOString())

export function WritesTab() {
  const [draft, setDraft] = useState<Search>(EMPTY)
  const [search, setSearch] = useState<Search>(EMPTY)
  const [cursors, setCursors] = useState<Cursors>([undefined])
  const audit = useApi<{ records: AuditRecord[] }>('/api/audit', {
    system: search.system,
    table: search.table,
    mapping: search.mapping,
    key: search.key,
    run: search.run,
    from: isoOf(search.from),
    to: isoOf(search.to),
    failed: search.failed ? 'true' : undefined,
    limit: PAGE,
    before: cursors.at(-1),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setCursors([undefined])
    setSearch(draft)
  }
  const field = (key: Exclude<keyof Search, 'failed'>, label: string, props: Record<string, unknown> = {}) => (
    <label>
      {label}
      <input value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} {...props} />
    </label>
  )
  const all = audit.data?.records ?? []
  const actor = search.actor.trim().toLowerCase()
  const records = actor === '' ? all : all.filter((r) => r.actor.toLowerCase().includes(actor))

  return (
    <div>
      <form className="inline" onSubmit={submit} aria-label="Search writes">
        {field('system', 'System', { size: 10 })}
        {field('table', 'Table', { size: 10 })}
        {field('mapping', 'Mapping', { size: 14 })}
        {field('key', 'Row key', { size: 12 })}
        {field('run', 'Run', { size: 5, inputMode: 'numeric' })}
        {field('actor', 'Actor (this page)', { size: 10 })}
        {field('from', 'From', { type: 'datetime-local' })}
        {field('to', 'To', { type: 'datetime-local' })}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.failed}
            onChange={(e) => setDraft({ ...draft, failed: e.target.checked })}
          />
          Only failed
        </label>
        <button type="submit" className="primary">
          Search
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(EMPTY)
            setSearch(EMPTY)
            setCursors([undefined])
          }}
        >
          Clear
        </button>
      </form>
      {audit.error !== undefined && <ErrorNotice error={audit.error} />}
      {audit.data === undefined ? (
        <Loading what="the audit" />
      ) : (
        <DataTable
          label="Writes to targets"
          rows={records}
          rowKey={(r) => r.id}
          empty="No write to a target matches."
          columns={[
            { key: 'at', title: 'Time', render: (r) => <span className="nowrap">{formatTime(r.at)}</span> },
            { key: 'actor', title: 'Actor' },
            {
              key: 'run',
              title: 'Run',
              render: (r) => (r.runId === undefined ? '—' : <Link href={`/runs/${r.runId}`}>#{r.runId}</Link>),
            },
            {
              key: 'object',
              title: 'Object',
              render: (r) => (
                <span title={r.keyColumn}>
                  {r.system}.{r.table} <strong>{r.keyValue === undefined ? '' : formatValue(r.keyValue)}</strong>
                </span>
              ),
            },
            {
              key: 'operation',
              title: 'Operation',
              render: (r) => (
                <span>
                  <code className="code-badge">{r.function}</code> <span className="muted small">{r.mapping}</span>
                </span>
              ),
            },
            {
              key: 'changes',
              title: 'Changes',
              render: (r) => <span className="small changes">{r.changes || '—'}</span>,
            },
            {
              key: 'outcome',
              title: 'Outcome',
              render: (r) => (
                <span>
                  <StatusBadge status={r.outcome} />
                  {r.errorCode !== undefined && (
                    <div className="small">
                      <code className="code-badge">{r.errorCode}</code> {r.message}
                    </div>
                  )}
                </span>
              ),
            },
          ]}
        />
      )}
      <CursorPager cursors={cursors} setCursors={setCursors} rows={all} size={PAGE} />
    </div>
  )
}
