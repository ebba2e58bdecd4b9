/**
 * Editing configuration in the Studio. `CodeEditor` is a text area with line numbers whose lines
 * carry the issues found in them (the same issues `provisio validate` reports, positioned in the
 * edited text); clicking an issue puts the cursor where it is. `DocumentEditor` edits one document
 * of the project: it checks the text as it is typed (POST /api/documents/check, debounced), shows
 * what the change would break elsewhere, and saves it as a new configuration revision (PUT, with the
 * revision it was read at, so two editors never overwrite each other). A save refused because
 * someone else changed or deleted the document meanwhile keeps the edit and offers the ways on
 * (stale-save.tsx).
 */
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react'
import type { ApiError } from '../api.ts'
import { api, seg } from '../api.ts'
import { useDebounced } from '../hooks.ts'
import { useSession } from '../session.tsx'
import { ErrorNotice, Loading, Notice } from './feedback.tsx'
import { type Conflict, StaleSaveNotice } from './stale-save.tsx'

/** core's Issue, as the API answers it. */
export interface Issue {
  readonly code: string
  readonly message: string
  readonly hint?: string | undefined
  readonly file?: string | undefined
  readonly line?: number | undefined
  readonly column?: number | undefined
  readonly path?: readonly (string | number)[] | undefined
  readonly severity?: 'error' | 'warning' | undefined
  /** Set on issues of other documents than the one edited. */
  readonly kind?: string | undefined
  readonly name?: string | undefined
}

export const isError = (issue: Issue): boolean => issue.severity !== 'warning'

export function CodeEditor({
  value,
  onChange,
  issues = [],
  label,
  readOnly = false,
  rows = 18,
}: {
  value: string
  onChange?: ((value: string) => void) | undefined
  issues?: readonly Issue[] | undefined
  label: string
  readOnly?: boolean | undefined
  rows?: number | undefined
}) {
  const area = useRef<HTMLTextAreaElement>(null)
  const gutter = useRef<HTMLDivElement>(null)
  const lines = value.split('\n')
  const byLine = useMemo(() => {
    const map = new Map<number, Issue[]>()
    for (const issue of issues) {
      if (issue.line === undefined) continue
      map.set(issue.line, [...(map.get(issue.line) ?? []), issue])
    }
    return map
  }, [issues])

  const goTo = (issue: Issue) => {
    const el = area.current
    if (el === null || issue.line === undefined) return
    let offset = 0
    for (let i = 0; i < issue.line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1
    offset += Math.max(0, (issue.column ?? 1) - 1)
    el.focus()
    el.setSelectionRange(offset, offset)
    const lineHeight = el.scrollHeight / Math.max(lines.length, 1)
    el.scrollTop = Math.max(0, (issue.line - 3) * lineHeight)
  }

  return (
    <div className="code-editor">
      <div className="code-frame">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {lines.map((_, i) => {
            const own = byLine.get(i + 1)
            const tone = own === undefined ? '' : own.some(isError) ? ' has-error' : ' has-warning'
            return (
              <div key={i} className={`gutter-line${tone}`} title={own?.map((x) => x.message).join('\n')}>
                {i + 1}
              </div>
            )
          })}
        </div>
        <textarea
          ref={area}
          aria-label={label}
          spellCheck={false}
          value={value}
          rows={rows}
          readOnly={readOnly}
          onChange={(e) => onChange?.(e.target.value)}
          onScroll={(e) => {
            if (gutter.current !== null) gutter.current.scrollTop = e.currentTarget.scrollTop
          }}
          onKeyDown={(e) => {
            // A tab key indents (two spaces, as YAML wants) instead of leaving the editor; on a
            // selection of several lines it indents each (Shift+Tab takes two spaces off each).
            if (e.key !== 'Tab' || readOnly) return
            e.preventDefault()
            const el = e.currentTarget
            const edit = indent(value, el.selectionStart, el.selectionEnd, e.shiftKey)
            onChange?.(edit.value)
            requestAnimationFrame(() => el.setSelectionRange(edit.start, edit.end))
          }}
        />
      </div>
      <IssueList issues={issues} onSelect={goTo} />
    </div>
  )
}

/** The text after a Tab (or Shift+Tab) on the selection `start`–`end`, and the selection after it. */
export function indent(
  value: string,
  start: number,
  end: number,
  outdent: boolean,
): { value: string; start: number; end: number } {
  const multiLine = value.slice(start, end).includes('\n')
  if (!multiLine && !outdent)
    return { value: `${value.slice(0, start)}  ${value.slice(end)}`, start: start + 2, end: start + 2 }
  const first = value.lastIndexOf('\n', start - 1) + 1
  // A selection ending just after a line break does not take in the next line.
  const last = multiLine && value[end - 1] === '\n' ? end - 1 : end
  const lines = value.slice(first, last).split('\n')
  const changed = lines.map((line) => (outdent ? line.replace(/^ {1,2}/, '') : `  ${line}`))
  const firstShift = changed[0]!.length - lines[0]!.length
  const total = changed.join('\n').length - lines.join('\n').length
  return {
    value: value.slice(0, first) + changed.join('\n') + value.slice(last),
    start: Math.max(first, start + firstShift),
    end: multiLine ? end + total : Math.max(first, end + firstShift),
  }
}

export function IssueList({
  issues,
  onSelect,
}: {
  issues: readonly Issue[]
  onSelect?: ((issue: Issue) => void) | undefined
}) {
  if (issues.length === 0) return null
  return (
    <ul className="issues" aria-label="Issues">
      {issues.map((issue, i) => (
        <li key={i} className={isError(issue) ? 'issue error' : 'issue warning'}>
          <button type="button" className="link" onClick={() => onSelect?.(issue)} disabled={onSelect === undefined}>
            {issue.kind !== undefined && issue.name !== undefined ? `${issue.kind} ${issue.name}, ` : ''}
            {issue.line !== undefined
              ? `line ${issue.line}${issue.column !== undefined ? `, column ${issue.column}` : ''}`
              : 'document'}
          </button>
          : {issue.message} <code className="code-badge">{issue.code}</code>
          {issue.hint !== undefined && <div className="hint">{issue.hint}</div>}
        </li>
      ))}
    </ul>
  )
}

interface DocumentAnswer {
  readonly kind: string
  readonly name: string
  readonly file: string
  readonly source: string
  readonly revision?: string | undefined
}

interface CheckAnswer {
  readonly valid: boolean
  readonly issues: readonly Issue[]
}

/**
 * One document of the project in an editor. `kind`+`name` absent: a new document (`template` is
 * its first text). `preview` renders beside the editor with the text as typed (debounced) and
 * whether it is valid: the filter page shows the rows it selects, the template page a rendering.
 */
export function DocumentEditor({
  kind,
  name,
  template = '',
  preview,
  onSaved,
}: {
  kind?: string | undefined
  name?: string | undefined
  template?: string | undefined
  preview?: ((source: string, valid: boolean) => ReactNode) | undefined
  onSaved?: ((saved: { kind: string; name: string }) => void) | undefined
}) {
  const { can } = useSession()
  const existing = kind !== undefined && name !== undefined
  const [loaded, setLoaded] = useState<DocumentAnswer | undefined>(undefined)
  const [loadError, setLoadError] = useState<ApiError | undefined>(undefined)
  const [source, setSource] = useState(existing ? '' : template)
  const [check, setCheck] = useState<(CheckAnswer & { readonly of: string }) | undefined>(undefined)
  const [saveError, setSaveError] = useState<ApiError | undefined>(undefined)
  const [saved, setSaved] = useState<string | undefined>(undefined)
  const [saving, setSaving] = useState(false)
  const [conflict, setConflict] = useState<Conflict | undefined>(undefined)
  /** The document as someone else left it, read when a save was refused as stale. */
  const [theirs, setTheirs] = useState<DocumentAnswer | undefined>(undefined)
  const settled = useDebounced(source, 350)
  // A document deleted meanwhile is checked as the new document "Create it again" would make.
  const gone = conflict?.state === 'deleted'

  useEffect(() => {
    if (!existing) return
    setLoaded(undefined)
    api.get<DocumentAnswer>(`/api/documents/${seg(kind)}/${seg(name)}`).then(
      (answer) => {
        setLoaded(answer)
        setSource(answer.source)
      },
      (error: ApiError) => setLoadError(error),
    )
  }, [existing, kind, name])

  useEffect(() => {
    if (existing && loaded === undefined) return
    if (settled.trim() === '') return setCheck(undefined)
    let live = true
    const body = existing && !gone ? { source: settled, kind, name } : { source: settled }
    api.post<CheckAnswer>('/api/documents/check', body).then(
      (answer) => live && setCheck({ ...answer, of: settled }),
      (error: ApiError) =>
        live &&
        setCheck({
          of: settled,
          valid: false,
          issues: [{ code: error.code, message: error.message, hint: error.hint ?? undefined }],
        }),
    )
    return () => {
      live = false
    }
  }, [settled, existing, kind, name, loaded, gone])

  if (loadError !== undefined) return <ErrorNotice error={loadError} />
  if (existing && loaded === undefined) return <Loading what="the document" />

  const own = (check?.issues ?? []).filter((i) => i.kind === undefined || (i.kind === kind && i.name === name))
  const others = (check?.issues ?? []).filter((i) => !own.includes(i))
  // A new document can be created as soon as it is valid, even when it is its template unchanged.
  const dirty = existing ? source !== loaded?.source : source.trim() !== ''
  // The check answers for the text as it was when typing paused: until it has caught up, the text
  // is not known to be valid (Save waits; the server would refuse an invalid one with 422 anyway).
  const checking = source.trim() !== '' && check?.of !== source
  const valid = !checking && (check?.valid ?? false)

  /** Why the save was refused, when the answer says the document changed or went away meanwhile. */
  const conflictOf = async (error: ApiError): Promise<Conflict | undefined> => {
    if (!existing) return undefined
    if (error.code === 'CFG_UNKNOWN_DOCUMENT') return { state: 'deleted', code: error.code }
    if (error.code !== 'SRV_STALE_REVISION') return undefined
    try {
      const current = await api.get<DocumentAnswer>(`/api/documents/${seg(kind)}/${seg(name)}`)
      setTheirs(current)
      return { state: 'changed', theirs: current.source, code: error.code }
    } catch (thrown) {
      // Their change was a delete (or a rename): the document is no longer there.
      return (thrown as ApiError).code === 'CFG_UNKNOWN_DOCUMENT' ? { state: 'deleted', code: error.code } : undefined
    }
  }
  const save = async () => {
    setSaving(true)
    setSaveError(undefined)
    setSaved(undefined)
    try {
      const answer = existing
        ? await api.put<{ document: DocumentAnswer; revision?: string }>(`/api/documents/${seg(kind)}/${seg(name)}`, {
            source,
            revision: loaded?.revision,
          })
        : await api.post<{ document: DocumentAnswer; revision?: string }>('/api/documents', { source })
      setLoaded({ ...answer.document, source, revision: answer.revision ?? answer.document.revision })
      setSaved(`Saved ${answer.document.kind} ${answer.document.name} to ${answer.document.file}.`)
      setConflict(undefined)
      onSaved?.({ kind: answer.document.kind, name: answer.document.name })
    } catch (thrown) {
      const found = await conflictOf(thrown as ApiError)
      if (found === undefined) setSaveError(thrown as ApiError)
      setConflict(found)
    } finally {
      setSaving(false)
    }
  }

  /** Their version replaces the edit (StaleSaveNotice has asked first when that discards something). */
  const loadTheirs = () => {
    if (theirs === undefined) return
    setLoaded(theirs)
    setSource(theirs.source)
    setCheck(undefined)
    setConflict(undefined)
    setSaved(`Loaded their version of ${theirs.kind} ${theirs.name}; your edit was discarded.`)
  }
  /** The edit stays, based now on the current revision: the next save overwrites their version. */
  const keepMine = () => {
    if (theirs === undefined) return
    setLoaded(theirs)
    setCheck(undefined)
    setConflict({ state: 'rebased' })
  }
  const createAgain = async () => {
    setSaving(true)
    setSaveError(undefined)
    try {
      // Back into the file it was in (the server makes the file again when the delete removed it).
      const answer = await api.post<{ document: DocumentAnswer; revision?: string }>('/api/documents', {
        source,
        ...(loaded?.file === undefined ? {} : { file: loaded.file }),
      })
      setLoaded({ ...answer.document, source, revision: answer.revision ?? answer.document.revision })
      setSaved(`Created ${answer.document.kind} ${answer.document.name} again in ${answer.document.file}.`)
      setConflict(undefined)
      onSaved?.({ kind: answer.document.kind, name: answer.document.name })
    } catch (thrown) {
      setSaveError(thrown as ApiError)
    } finally {
      setSaving(false)
    }
  }

  const editor = (
    <div className="document-editor">
      <div className="editor-bar">
        <span className="muted small">{loaded?.file ?? 'new document'}</span>
        <span
          className={valid ? 'badge good' : check === undefined || checking ? 'badge neutral' : 'badge bad'}
          aria-label="Check"
        >
          {checking
            ? 'checking…'
            : check === undefined
              ? 'not checked'
              : valid
                ? 'valid'
                : `${check.issues.filter(isError).length} error(s)`}
        </span>
        {can('admin') ? (
          <button
            type="button"
            className="primary"
            onClick={save}
            disabled={!dirty || !valid || saving || conflict?.state === 'changed' || gone}
          >
            {saving ? 'Saving…' : existing ? 'Save' : 'Create'}
          </button>
        ) : (
          <span className="muted small">read-only: only an admin changes configuration</span>
        )}
      </div>
      <CodeEditor
        value={source}
        onChange={can('admin') ? setSource : undefined}
        readOnly={!can('admin')}
        issues={own}
        label="YAML source"
      />
      {others.length > 0 && (
        <Notice kind="warning">
          This change breaks other documents:
          <IssueList issues={others} />
        </Notice>
      )}
      {conflict !== undefined && existing && (
        <StaleSaveNotice
          key={conflict.state}
          subject={{ kind, name }}
          conflict={conflict}
          mine={source}
          opened={loaded?.source ?? ''}
          onLoadTheirs={loadTheirs}
          onKeepMine={keepMine}
          onCreateAgain={createAgain}
          createState={saving ? 'creating' : checking ? 'checking' : !valid ? 'invalid' : undefined}
        />
      )}
      {saveError !== undefined && <ErrorNotice error={saveError} title="Not saved" />}
      {saved !== undefined && !dirty && <Notice kind="success">{saved}</Notice>}
    </div>
  )
  if (preview === undefined) return editor
  return (
    <div className="split">
      <div className="split-pane">{editor}</div>
      <div className="split-pane">{preview(settled, valid)}</div>
    </div>
  )
}
