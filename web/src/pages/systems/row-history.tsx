/** What happened to one row of a vault table, newest first: added, changed (old → new), removed. */
import { useEffect, useRef } from 'react'
import { seg } from '../../api.ts'
import { ErrorNotice, Loading } from '../../components/feedback.tsx'
import { Section } from '../../components/layout.tsx'
import { Empty } from '../../components/feedback.tsx'
import { formatTime, formatValue } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import type { RowChange } from './types.ts'

const KIND_TONE = { added: 'good', changed: 'busy', removed: 'bad' } as const

export function RowHistory({ table, rowKey, onClose }: { table: string; rowKey: string; onClose: () => void }) {
  const history = useApi<{ changes: readonly RowChange[] }>(
    `/api/vault/tables/${seg(table)}/rows/${seg(rowKey)}/history`,
  )
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => box.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' }), [rowKey])
  return (
    <div ref={box} aria-label={`History of ${rowKey}`} role="region">
      <Section
        title={
          <>
            History of <code>{rowKey}</code>
          </>
        }
        actions={
          <button type="button" onClick={onClose}>
            Close
          </button>
        }
      >
        {history.error !== undefined && <ErrorNotice error={history.error} />}
        {history.data === undefined && history.loading && <Loading what="the history" />}
        {history.data !== undefined && history.data.changes.length === 0 && (
          <Empty>No change recorded for this row.</Empty>
        )}
        <ol className="timeline">
          {history.data?.changes.map((change) => (
            <li key={`${change.collectionId}-${change.kind}`}>
              <div className="timeline-head">
                <span className={`badge ${KIND_TONE[change.kind]}`}>{change.kind}</span>
                <span>{formatTime(change.collectedAt)}</span>
                <span className="muted small">collection {change.collectionId}</span>
              </div>
              {change.changes.length > 0 && (
                <table className="data changes">
                  <thead>
                    <tr>
                      <th>Column</th>
                      {change.kind !== 'added' && <th>Before</th>}
                      {change.kind !== 'removed' && <th>After</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {change.changes.map((c) => (
                      <tr key={c.column}>
                        <td>
                          <code>{c.column}</code>
                        </td>
                        {change.kind !== 'added' && (
                          <td className={change.kind === 'removed' ? '' : 'diff-remove'}>{formatValue(c.old)}</td>
                        )}
                        {change.kind !== 'removed' && (
                          <td className={change.kind === 'added' ? '' : 'diff-add'}>{formatValue(c.new)}</td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ol>
      </Section>
    </div>
  )
}
