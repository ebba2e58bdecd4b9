/**
 * What the editor says when a save was refused because someone else changed the project since the
 * document was opened (SRV_STALE_REVISION, 409): the edit is kept, and the administrator chooses
 * what happens to it. Their version can be compared with the edit, loaded instead of it (after a
 * confirmation when that discards something), or the edit kept and saved again on the current
 * configuration revision. When the document was deleted (or renamed) meanwhile, it can be created
 * again with the edited text.
 */
import { useEffect, useRef, useState } from 'react'
import { Link } from 'wouter'
import { LineDiffView } from './line-diff-view.tsx'

/** What stands between the edit and a save. */
export type Conflict =
  | { readonly state: 'changed'; readonly theirs: string; readonly code: string }
  | { readonly state: 'deleted'; readonly code: string }
  | { readonly state: 'rebased' }

type Comparison = 'mine' | 'change' | 'text'

/** Where an editor of a kind was opened from: the list to go back to when its document is gone. */
const LISTS: Readonly<Record<string, string>> = {
  Filter: '/filters',
  Mapping: '/mappings',
  Template: '/events',
  EventAction: '/events',
}

export function StaleSaveNotice({
  kind,
  name,
  conflict,
  mine,
  opened,
  onLoadTheirs,
  onKeepMine,
  onCreateAgain,
  createState,
}: {
  kind: string
  name: string
  conflict: Conflict
  /** The text in the editor. */
  mine: string
  /** The text as it was when the document was opened (or last saved). */
  opened: string
  onLoadTheirs: () => void
  onKeepMine: () => void
  onCreateAgain: () => void
  /** Why "Create it again" cannot be pressed yet, or undefined when it can. */
  createState?: 'checking' | 'invalid' | 'creating' | undefined
}) {
  const [showing, setShowing] = useState(false)
  const [comparison, setComparison] = useState<Comparison>('mine')
  const [confirming, setConfirming] = useState(false)
  // The Save button pressed is disabled now: the keyboard goes on from the notice, to its choices.
  const first = useRef<HTMLDivElement>(null)
  useEffect(() => first.current?.focus(), [])

  if (conflict.state === 'rebased')
    return (
      <div className="notice info stale-save" role="status">
        Your edit now applies to the current configuration revision. It is checked again against the project as it is
        now: Save it when it is valid.
      </div>
    )

  if (conflict.state === 'deleted')
    return (
      <div className="notice warning stale-save" role="alert" ref={first} tabIndex={-1}>
        <div>
          <strong>
            Not saved: {kind} {name} was deleted by someone else since you opened it
          </strong>{' '}
          (or renamed). <code className="code-badge">{conflict.code}</code>
        </div>
        <div className="hint">
          Your text is still in the editor: create the document again with it, or go back to the list.
        </div>
        <div className="stale-save-actions">
          <button type="button" className="primary" onClick={onCreateAgain} disabled={createState !== undefined}>
            {createState === 'creating' ? 'Creating…' : 'Create it again with my text'}
          </button>
          <Link href={LISTS[kind] ?? '/documents'} className="button">
            Back to the list
          </Link>
          {createState === 'checking' && <span className="muted small">checking your text…</span>}
          {createState === 'invalid' && (
            <span className="muted small">fix the errors in your text first: it is checked as a new document</span>
          )}
        </div>
      </div>
    )

  const theirs = conflict.theirs
  const sameDocument = theirs === opened
  const loses = mine !== theirs
  const loadTheirs = () => {
    if (loses) setConfirming(true)
    else onLoadTheirs()
  }

  return (
    <div className="notice warning stale-save" role="alert" ref={first} tabIndex={-1}>
      <div>
        <strong>
          {sameDocument
            ? `Not saved: someone else changed the project since you opened ${kind} ${name}, though not this document.`
            : `Not saved: ${kind} ${name} was changed by someone else since you opened it.`}
        </strong>{' '}
        <code className="code-badge">{conflict.code}</code>
      </div>
      <div className="hint">
        {sameDocument
          ? 'Your edit is still in the editor. Keep mine to save it on the current configuration revision.'
          : 'Your edit is still in the editor. Compare their version with yours, then load theirs (your edit is discarded) or keep mine (the next save replaces their version).'}
      </div>
      <div className="stale-save-actions">
        <button type="button" aria-expanded={showing} onClick={() => setShowing(!showing)}>
          {showing ? 'Hide their version' : 'Show their version'}
        </button>
        {confirming ? (
          <span className="confirm" role="group" aria-label="Confirm load theirs">
            <span>Discard your edit and load their version?</span>
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirming(false)
                onLoadTheirs()
              }}
            >
              Discard my edit
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" onClick={loadTheirs}>
            Load theirs
          </button>
        )}
        <button type="button" className="primary" onClick={onKeepMine}>
          Keep mine
        </button>
      </div>
      {showing && (
        <div className="stale-save-compare">
          <div className="segmented" role="group" aria-label="Compare">
            {(
              [
                ['mine', 'Their version and mine'],
                ['change', 'Their change'],
                ['text', 'Their text'],
              ] as const
            ).map(([value, title]) => (
              <button
                key={value}
                type="button"
                className={comparison === value ? 'active' : undefined}
                aria-pressed={comparison === value}
                onClick={() => setComparison(value)}
              >
                {title}
              </button>
            ))}
          </div>
          {comparison === 'mine' && (
            <LineDiffView
              before={theirs}
              after={mine}
              beforeLabel="their version"
              afterLabel="your edit"
              label="Their version and your edit"
            />
          )}
          {comparison === 'change' && (
            <LineDiffView
              before={opened}
              after={theirs}
              beforeLabel="the version you opened"
              afterLabel="their version"
              label="Their change since you opened it"
            />
          )}
          {comparison === 'text' && (
            <pre className="line-diff-text" aria-label="Their version" tabIndex={0}>
              {theirs}
            </pre>
          )}
        </div>
      )}
    </div>
  )
}
