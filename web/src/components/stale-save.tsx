/**
 * What an editor says when a save was refused because someone else changed the project since the
 * document (or the whole file) was opened (SRV_STALE_REVISION, 409): the edit is kept, and the
 * administrator chooses what happens to it. Their version can be compared with the edit, loaded
 * instead of it (after a confirmation when that discards something), or the edit kept and saved
 * again on the current revision. When the document was deleted (or renamed) meanwhile, it can be
 * created again with the edited text; a file cannot be created by the API, so its text is offered
 * for copying instead.
 */
import { useEffect, useRef, useState } from 'react'
import { Link } from 'wouter'
import { LineDiffView } from './line-diff-view.tsx'

/** What stands between the edit and a save. */
export type Conflict =
  | { readonly state: 'changed'; readonly theirs: string; readonly code: string }
  | { readonly state: 'deleted'; readonly code: string }
  | { readonly state: 'rebased' }

/**
 * What the editor edits: a document of the project (saved on the configuration revision) or a whole
 * YAML file (saved on its file revision). The notice's words name it.
 */
export type StaleSubject = { readonly kind: string; readonly name: string } | { readonly file: string }

type Comparison = 'mine' | 'change' | 'text'

/** Where an editor of a kind was opened from: the list to go back to when its document is gone. */
const LISTS: Readonly<Record<string, string>> = {
  Filter: '/filters',
  Mapping: '/mappings',
  Template: '/events',
  EventAction: '/events',
}

/** The words of the notice for its subject. */
function wordsOf(subject: StaleSubject) {
  if ('file' in subject)
    return {
      title: `the file ${subject.file}`,
      list: '/documents',
      same: `Not saved: the file ${subject.file} was changed since you opened it, though not its text (only bytes that read the same).`,
      sameHint: 'Your edit is still in the editor. Keep mine to save it on the file as it is now.',
      rebased:
        'Your edit now applies to the file as it is now. It is checked again against the project as it is now: save the file when it brings no new error.',
    }
  return {
    title: `${subject.kind} ${subject.name}`,
    list: LISTS[subject.kind] ?? '/documents',
    same: `Not saved: someone else changed the project since you opened ${subject.kind} ${subject.name}, though not this document.`,
    sameHint: 'Your edit is still in the editor. Keep mine to save it on the current configuration revision.',
    rebased:
      'Your edit now applies to the current configuration revision. It is checked again against the project as it is now: Save it when it is valid.',
  }
}

export function StaleSaveNotice({
  subject,
  conflict,
  mine,
  opened,
  onLoadTheirs,
  onKeepMine,
  onCreateAgain,
  createState,
}: {
  subject: StaleSubject
  conflict: Conflict
  /** The text in the editor. */
  mine: string
  /** The text as it was when the document (or file) was opened (or last saved). */
  opened: string
  onLoadTheirs: () => void
  onKeepMine: () => void
  /** Creates the deleted document again with the edit; absent (a file), the text is offered for copying. */
  onCreateAgain?: (() => void) | undefined
  /** Why "Create it again" cannot be pressed yet, or undefined when it can. */
  createState?: 'checking' | 'invalid' | 'creating' | undefined
}) {
  const [showing, setShowing] = useState(false)
  const [comparison, setComparison] = useState<Comparison>('mine')
  const [confirming, setConfirming] = useState(false)
  const [copied, setCopied] = useState<boolean | undefined>(undefined)
  const words = wordsOf(subject)
  // The Save button pressed is disabled now: the keyboard goes on from the notice, to its choices;
  // when the text is offered for copying, from the text, selected (Ctrl+C copies it at once).
  const first = useRef<HTMLDivElement>(null)
  const copyArea = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    if (copyArea.current === null) return first.current?.focus()
    copyArea.current.focus()
    copyArea.current.select()
  }, [])

  if (conflict.state === 'rebased')
    return (
      <div className="notice info stale-save" role="status">
        {words.rebased}
      </div>
    )

  if (conflict.state === 'deleted' && onCreateAgain === undefined) {
    const copy = async () => {
      copyArea.current?.select()
      try {
        await navigator.clipboard.writeText(mine)
        setCopied(true)
      } catch {
        // Not a secure context, or the browser asks for a permission it was not given.
        setCopied(false)
      }
    }
    return (
      <div className="notice warning stale-save" role="alert" ref={first} tabIndex={-1}>
        <div>
          <strong>Not saved: {words.title} was deleted by someone else since you opened it</strong> (or renamed).{' '}
          <code className="code-badge">{conflict.code}</code>
        </div>
        <div className="hint">
          The Studio does not create files: copy your text and keep it before you leave this page, then put it back in a
          file of the project (on the server, or as documents with New document).
        </div>
        <textarea
          ref={copyArea}
          className="stale-save-copy"
          aria-label="Your text"
          readOnly
          spellCheck={false}
          rows={Math.min(12, Math.max(3, mine.split('\n').length))}
          value={mine}
        />
        <div className="stale-save-actions">
          <button type="button" className="primary" onClick={copy}>
            Copy my text
          </button>
          <Link href={words.list} className="button">
            Back to the list
          </Link>
          {copied !== undefined && (
            <span className="muted small" role="status">
              {copied
                ? 'Copied.'
                : 'The browser did not let the page copy: the text is selected, press Ctrl+C (⌘C) to copy it.'}
            </span>
          )}
        </div>
      </div>
    )
  }

  if (conflict.state === 'deleted')
    return (
      <div className="notice warning stale-save" role="alert" ref={first} tabIndex={-1}>
        <div>
          <strong>Not saved: {words.title} was deleted by someone else since you opened it</strong> (or renamed).{' '}
          <code className="code-badge">{conflict.code}</code>
        </div>
        <div className="hint">
          Your text is still in the editor: create the document again with it, or go back to the list.
        </div>
        <div className="stale-save-actions">
          <button type="button" className="primary" onClick={onCreateAgain} disabled={createState !== undefined}>
            {createState === 'creating' ? 'Creating…' : 'Create it again with my text'}
          </button>
          <Link href={words.list} className="button">
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
          {sameDocument ? words.same : `Not saved: ${words.title} was changed by someone else since you opened it.`}
        </strong>{' '}
        <code className="code-badge">{conflict.code}</code>
      </div>
      <div className="hint">
        {sameDocument
          ? words.sameHint
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
