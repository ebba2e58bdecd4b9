/**
 * What a person may do to a run: approve one awaiting approval (after a confirmation that says what
 * will be written), reject it (with a reason, recorded with the run), or cancel one going on in this
 * server. Shown only to roles that run (`can('run')`); the server checks again.
 */
import { useState } from 'react'
import { api, seg } from '../../api.ts'
import { ErrorNotice } from '../../components/feedback.tsx'
import { useAction } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import type { Run } from './types.ts'

type Asking = 'approve' | 'reject' | 'cancel' | null

export function RunActions({
  run,
  onChanged,
  onBusy,
  compact = false,
}: {
  run: Run
  /** After an action ended (the run changed). */
  onChanged: () => void
  /** An action started (true) or ended (false): approve answers only once the plans are executed. */
  onBusy?: ((busy: boolean) => void) | undefined
  /** Buttons only, smaller (the dashboard's list). */
  compact?: boolean
}) {
  const { can } = useSession()
  const [asking, setAsking] = useState<Asking>(null)
  const [reason, setReason] = useState('')
  const act = useAction(async (what: 'approve' | 'reject' | 'cancel') => {
    onBusy?.(true)
    try {
      const body = what === 'reject' && reason.trim() !== '' ? { reason: reason.trim() } : {}
      return await api.post(`/api/runs/${seg(run.id)}/${what}`, body)
    } finally {
      onBusy?.(false)
    }
  })
  if (!can('run')) return null
  const awaiting = run.status === 'awaiting-approval'
  const cancellable = run.runningHere && (run.status === 'running' || run.status === 'queued')
  if (!awaiting && !cancellable) return null

  const perform = async (what: 'approve' | 'reject' | 'cancel') => {
    const answer = await act.run(what)
    if (answer !== undefined) {
      setAsking(null)
      setReason('')
    }
    onChanged()
  }
  const planned = run.counts['planned'] ?? 0
  const size = compact ? ' small-button' : ''

  return (
    <div className="run-actions" onClick={(e) => e.stopPropagation()}>
      <div className="actions">
        {awaiting && (
          <>
            <button
              type="button"
              className={`primary${size}`}
              disabled={act.pending}
              onClick={() => setAsking('approve')}
            >
              {act.pending && asking === 'approve' ? 'Executing…' : 'Approve'}
            </button>
            <button
              type="button"
              className={`danger${size}`}
              disabled={act.pending}
              onClick={() => setAsking('reject')}
            >
              Reject
            </button>
          </>
        )}
        {cancellable && (
          <button type="button" className={`danger${size}`} disabled={act.pending} onClick={() => setAsking('cancel')}>
            {act.pending ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      {asking === 'approve' && (
        <div className="confirm" role="dialog" aria-label={`Approve run ${run.id}`}>
          <p>
            Approve run {run.id} of {run.kind} <strong>{run.name}</strong>? Its plan
            {run.planIds.length === 1 ? '' : 's'} ({planned.toLocaleString('en-US')} planned operation
            {planned === 1 ? '' : 's'}) will be executed now and written to the target systems, exactly as planned.
          </p>
          <div className="actions">
            <button type="button" className="primary" disabled={act.pending} onClick={() => void perform('approve')}>
              {act.pending ? 'Executing the plans…' : 'Approve and execute'}
            </button>
            <button type="button" disabled={act.pending} onClick={() => setAsking(null)}>
              Not now
            </button>
          </div>
        </div>
      )}
      {asking === 'reject' && (
        <div className="confirm" role="dialog" aria-label={`Reject run ${run.id}`}>
          <label>
            Reason (recorded with the run)
            <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
          </label>
          <div className="actions">
            <button type="button" className="danger" disabled={act.pending} onClick={() => void perform('reject')}>
              Reject run
            </button>
            <button type="button" disabled={act.pending} onClick={() => setAsking(null)}>
              Back
            </button>
          </div>
        </div>
      )}
      {asking === 'cancel' && (
        <div className="confirm" role="dialog" aria-label={`Cancel run ${run.id}`}>
          <p>
            Cancel run {run.id}? It stops gracefully after the operation going on and ends <em>interrupted</em>; what
            was written stays written.
          </p>
          <div className="actions">
            <button type="button" className="danger" disabled={act.pending} onClick={() => void perform('cancel')}>
              {act.pending ? 'Cancelling…' : 'Cancel the run'}
            </button>
            <button type="button" disabled={act.pending} onClick={() => setAsking(null)}>
              Let it go on
            </button>
          </div>
        </div>
      )}
      {act.error !== undefined && <ErrorNotice error={act.error} title="The run was not changed" />}
    </div>
  )
}
