/**
 * The administration audit (GET /api/admin-audit): logins, user and token changes, configuration
 * changes, manual runs and decisions, each with the user who did it, newest first, by actor and
 * action, a page at a time.
 */
import { type FormEvent, useState } from 'react'
import { Link } from 'wouter'
import { ErrorNotice, Loading } from '../../components/feedback.tsx'
import { type Cursors, CursorPager } from '../../components/pager.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatTime, formatValue } from '../../format.ts'
import { useApi } from '../../hooks.ts'

interface AdminEvent {
  readonly id: number
  readonly at: string
  readonly actor: string
  readonly action: string
  readonly subject: string | null
  readonly details: Record<string, unknown> | null
}

const PAGE = 50
/** Actions the server records (src/server/auth and the routes' `audit`), offered while typing. */
const KNOWN_ACTIONS = [
  'login',
  'login.failed',
  'logout',
  'user.add',
  'user.remove',
  'user.role',
  'user.passwd',
  'token.add',
  'token.revoke',
  'task.run',
  'job.evaluate',
  'job.run',
  'plan.execute',
  'run.approve',
  'run.reject',
  'run.cancel',
  'system.collect',
  'system.discover',
]

function tone(action: string): string {
  if (action === 'login.failed') return 'badge bad'
  if (action.startsWith('run.') || action.endsWith('.run') || action === 'plan.execute') return 'badge busy'
  if (action.startsWith('user.') || action.startsWith('token.')) return 'badge attention'
  if (action.startsWith('login') || action === 'logout') return 'badge neutral'
  return 'badge warn'
}

function Details({ details }: { details: Record<string, unknown> | null }) {
  if (details === null) return <span className="muted">—</span>
  const runId = details['runId']
  return (
    <span className="small">
      {typeof runId === 'number' && (
        <>
          <Link href={`/runs/${runId}`}>run #{runId}</Link>{' '}
        </>
      )}
      {Object.entries(details)
        .filter(([key]) => key !== 'runId')
        .map(([key, value]) => `${key}: ${formatValue(value)}`)
        .join(', ')}
    </span>
  )
}

export function AdminTab() {
  const [draft, setDraft] = useState({ actor: '', action: '' })
  const [search, setSearch] = useState(draft)
  const [cursors, setCursors] = useState<Cursors>([undefined])
  const events = useApi<{ events: AdminEvent[] }>('/api/admin-audit', {
    actor: search.actor.trim(),
    action: search.action.trim(),
    limit: PAGE,
    before: cursors.at(-1),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setCursors([undefined])
    setSearch(draft)
  }
  const list = events.data?.events ?? []
  return (
    <div>
      <form className="inline" onSubmit={submit} aria-label="Search administration">
        <label>
          Actor
          <input value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} size={14} />
        </label>
        <label>
          Action
          <input
            value={draft.action}
            list="admin-actions"
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            size={16}
          />
          <datalist id="admin-actions">
            {KNOWN_ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <button type="submit" className="primary">
          Search
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft({ actor: '', action: '' })
            setSearch({ actor: '', action: '' })
            setCursors([undefined])
          }}
        >
          Clear
        </button>
      </form>
      {events.error !== undefined && <ErrorNotice error={events.error} />}
      {events.data === undefined ? (
        <Loading what="the administration audit" />
      ) : (
        <DataTable
          label="Administration"
          rows={list}
          rowKey={(e) => e.id}
          empty="Nothing recorded matches."
          columns={[
            { key: 'at', title: 'Time', render: (e) => <span className="nowrap">{formatTime(e.at)}</span> },
            { key: 'actor', title: 'Actor', render: (e) => <strong>{e.actor}</strong> },
            { key: 'action', title: 'Action', render: (e) => <span className={tone(e.action)}>{e.action}</span> },
            { key: 'subject', title: 'Subject', render: (e) => e.subject ?? <span className="muted">—</span> },
            { key: 'details', title: 'Details', render: (e) => <Details details={e.details} /> },
          ]}
        />
      )}
      <CursorPager cursors={cursors} setCursors={setCursors} rows={list} size={PAGE} />
    </div>
  )
}
