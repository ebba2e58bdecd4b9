/**
 * One document in the editor: saved as a new configuration revision; deleted after a confirmation,
 * the server refusing while other documents refer to it (its answer shown as it is).
 */
import { useState } from 'react'
import { Link, useLocation } from 'wouter'
import { api, seg } from '../../api.ts'
import { DocumentEditor } from '../../components/editor.tsx'
import { ErrorNotice } from '../../components/feedback.tsx'
import { Page } from '../../components/layout.tsx'
import { useAction } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import { KIND_PAGES } from './types.ts'

export default function DocumentPage({ kind, name }: { kind: string; name: string }) {
  const { can } = useSession()
  const [, navigate] = useLocation()
  const [confirming, setConfirming] = useState(false)
  const remove = useAction(async () => api.delete(`/api/documents/${seg(kind)}/${seg(name)}`))
  const usedOn = KIND_PAGES[kind]

  const confirmDelete = async () => {
    const answer = await remove.run()
    setConfirming(false)
    if (answer !== undefined) navigate(`/documents?deleted=${encodeURIComponent(`${kind} ${name}`)}`)
  }

  return (
    <Page
      title={name}
      subtitle={
        <>
          <Link href="/documents">Configuration</Link> › {kind}
          {usedOn !== undefined && kind === 'System' && (
            <>
              {' '}
              · <Link href={`/systems/${seg(name)}`}>the system’s page</Link>
            </>
          )}
          {usedOn !== undefined && kind === 'Link' && (
            <>
              {' '}
              · <Link href={`/links/${seg(name)}`}>its match report</Link>
            </>
          )}
        </>
      }
      actions={
        can('admin') &&
        (confirming ? (
          <span className="confirm" role="group" aria-label="Confirm delete">
            <span>
              Delete {kind} {name}?
            </span>
            <button type="button" className="danger" onClick={confirmDelete} disabled={remove.pending}>
              {remove.pending ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="danger"
            onClick={() => {
              remove.clearError()
              setConfirming(true)
            }}
          >
            Delete
          </button>
        ))
      }
    >
      {remove.error !== undefined && <ErrorNotice error={remove.error} title={`${kind} ${name} was not deleted`} />}
      <DocumentEditor
        kind={kind}
        name={name}
        onSaved={(saved) => {
          if (saved.kind !== kind || saved.name !== name) navigate(`/documents/${seg(saved.kind)}/${seg(saved.name)}`)
        }}
      />
    </Page>
  )
}
