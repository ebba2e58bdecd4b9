/**
 * A run's log in written order, a page at a time (GET /api/runs/:id/log pages with `after`, the
 * last `seq` seen): each line with its time and level (warnings and errors coloured), its details
 * folded. While the run goes on, new lines are fetched as they come.
 */
import { useCallback, useEffect, useState } from 'react'
import { type ApiError, api, seg } from '../../api.ts'
import { ErrorNotice, Loading } from '../../components/feedback.tsx'
import { useInterval } from '../../hooks.ts'
import type { LogLine } from './types.ts'

const PAGE = 200

export function RunLog({ runId, live }: { runId: number; live: boolean }) {
  const [lines, setLines] = useState<LogLine[]>([])
  const [total, setTotal] = useState<number | undefined>(undefined)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [onlyProblems, setOnlyProblems] = useState(false)

  const more = useCallback(
    async (after: number | undefined) => {
      setBusy(true)
      try {
        const page = await api.get<{ total: number; lines: LogLine[] }>(`/api/runs/${seg(runId)}/log`, {
          after,
          limit: PAGE,
        })
        setTotal(page.total)
        setLines((previous) => {
          const seen = new Set(previous.map((l) => l.seq))
          return [...previous, ...page.lines.filter((l) => !seen.has(l.seq))]
        })
        setError(undefined)
      } catch (thrown) {
        setError(thrown as ApiError)
      } finally {
        setBusy(false)
      }
    },
    [runId],
  )

  useEffect(() => {
    setLines([])
    void more(undefined)
  }, [more])
  const last = lines.at(-1)?.seq
  // A run going on writes its log as it goes: fetch what came after the last line seen.
  useInterval(
    () => {
      if (!busy) void more(last)
    },
    live ? 1500 : null,
  )

  if (total === undefined && error === undefined) return <Loading what="the log" />
  const shown = onlyProblems ? lines.filter((l) => l.level !== 'info') : lines
  return (
    <div className="run-log">
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
          Only warnings and errors
        </label>
        <span className="muted small">
          {lines.length.toLocaleString('en-US')} of {(total ?? 0).toLocaleString('en-US')} lines
        </span>
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {shown.length === 0 ? (
        <div className="empty muted">{onlyProblems ? 'No warnings or errors.' : 'The log is empty.'}</div>
      ) : (
        <ol className="log" aria-label="Log">
          {shown.map((line) => (
            <li key={line.seq} className={`log-line ${line.level}`}>
              <time className="muted">{new Date(line.at).toLocaleTimeString()}</time>
              <span className={`level ${line.level}`}>{line.level}</span>
              <span className="log-message">
                {line.message}
                {line.details !== undefined && Object.keys(line.details).length > 0 && (
                  <details>
                    <summary className="muted small">details</summary>
                    <pre>{JSON.stringify(line.details, null, 2)}</pre>
                  </details>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
      {total !== undefined && lines.length < total && !live && (
        <button type="button" disabled={busy} onClick={() => void more(last)}>
          {busy ? 'Loading…' : `Load ${Math.min(PAGE, total - lines.length)} more lines`}
        </button>
      )}
    </div>
  )
}
