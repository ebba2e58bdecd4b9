/** Activating the development role model, after a confirmation. */
import { useState } from 'react'
import { type ApiError, api } from '../../api.ts'
import { ErrorNotice, Notice } from '../../components/feedback.tsx'
import type { StoredModel, Models } from './types.ts'

export function Activate({ models, onDone }: { models: Models; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false)
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [done, setDone] = useState<string | undefined>(undefined)
  if (models.development === null) return null
  const activate = async () => {
    setPending(true)
    setError(undefined)
    try {
      const answer = await api.post<{ active: StoredModel; unchanged: boolean }>('/api/roles/activate')
      setDone(
        answer.unchanged
          ? 'The development model equals the active one: nothing changed.'
          : `Model ${answer.active.name} (id ${answer.active.id}) is now active; jobs execute it from their next run.`,
      )
      setConfirming(false)
      onDone()
    } catch (thrown) {
      setError(thrown as ApiError)
    } finally {
      setPending(false)
    }
  }
  return (
    <div>
      {!confirming ? (
        <button type="button" className="primary" onClick={() => setConfirming(true)}>
          Activate development model…
        </button>
      ) : (
        <div className="confirm" role="group" aria-label="Confirm activation">
          <span>
            Activate <strong>{models.development.name}</strong>? Jobs then manage memberships by it
            {models.active === null ? '' : `; model ${models.active.id} moves to history`}.
          </span>
          <button type="button" className="primary" onClick={() => void activate()} disabled={pending}>
            {pending ? 'Activating…' : 'Activate'}
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={pending}>
            Cancel
          </button>
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} title="Not activated" />}
      {done !== undefined && <Notice kind="success">{done}</Notice>}
    </div>
  )
}
