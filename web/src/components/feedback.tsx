/** How the Studio says things: errors with code and hint, loading, empty states, run statuses. */
import type { ReactNode } from 'react'
import type { ApiError } from '../api.ts'

/** An API error as the server answered it: message, code and hint (what to do). */
export function ErrorNotice({ error, title }: { error: ApiError; title?: string }) {
  return (
    <div className="notice error" role="alert">
      <div>
        <strong>{title ?? error.message}</strong> <code className="code-badge">{error.code}</code>
      </div>
      {title !== undefined && <div>{error.message}</div>}
      {error.hint !== null && <div className="hint">{error.hint}</div>}
    </div>
  )
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'warning' | 'success'; children: ReactNode }) {
  return (
    <div className={`notice ${kind}`} role="status">
      {children}
    </div>
  )
}

export function Loading({ what }: { what?: string }) {
  return <div className="muted loading">Loading{what === undefined ? '' : ` ${what}`}…</div>
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty muted">{children}</div>
}

/** The words of run statuses (docs/runs.md) with their colour. */
const STATUS_TONE: Record<string, string> = {
  succeeded: 'good',
  executed: 'good',
  ok: 'good',
  valid: 'good',
  running: 'busy',
  queued: 'busy',
  executing: 'busy',
  'awaiting-approval': 'attention',
  planned: 'attention',
  'partially-failed': 'warn',
  stopped: 'warn',
  interrupted: 'warn',
  skipped: 'neutral',
  rejected: 'neutral',
  failed: 'bad',
  error: 'bad',
  invalid: 'bad',
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${STATUS_TONE[status] ?? 'neutral'}`}>{status}</span>
}
