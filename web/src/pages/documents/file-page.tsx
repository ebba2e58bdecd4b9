/**
 * One YAML file of the project, edited whole: the way to repair a file whose YAML does not parse or
 * whose documents have no valid kind or name, which the document editor cannot open. The text is
 * checked as it is typed against the whole project (POST /api/files/check); its issues are marked on
 * their lines. Saving (admins) sends the file revision it was read at, and is refused when the edit
 * brings a new error; an error the file already had does not block it, so a repair can be saved
 * step by step. Once the file parses, its documents are linked. A save refused because the file
 * changed meanwhile (in the Studio or on disk) keeps the edit and offers the document editor's ways on
 * (components/stale-save.tsx); a file deleted meanwhile offers its text for copying.
 */
import { useCallback, useEffect, useState } from 'react'
import { Link, useSearch } from 'wouter'
import { type ApiError, api, seg, withQuery } from '../../api.ts'
import { CodeEditor, IssueList, isError } from '../../components/editor.tsx'
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx'
import { Page } from '../../components/layout.tsx'
import { type Conflict, StaleSaveNotice } from '../../components/stale-save.tsx'
import { useDebounced } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import type { FileCheck, FileContent, FileDocument, FileWritten } from './types.ts'

function DocumentLinks({ documents }: { documents: readonly FileDocument[] }) {
  return (
    <>
      {documents.map((d, i) => (
        <span key={`${d.kind}/${d.name}`}>
          {i > 0 && ', '}
          <Link href={`/documents/${seg(d.kind)}/${seg(d.name)}`}>
            {d.kind} {d.name}
          </Link>
        </span>
      ))}
    </>
  )
}

function checkBadge(check: FileCheck | undefined, checking: boolean) {
  if (checking || check === undefined)
    return <span className="badge neutral">{checking ? 'checking…' : 'not checked'}</span>
  if (check.valid) return <span className="badge good">valid</span>
  const errors = check.issues.filter(isError)
  const fresh = errors.filter((i) => i.new).length
  return (
    <span className={fresh > 0 ? 'badge bad' : 'badge warn'}>
      {errors.length} error{errors.length === 1 ? '' : 's'}
      {fresh > 0 ? `, ${fresh} new` : ', none new'}
    </span>
  )
}

export default function FilePage() {
  const { can } = useSession()
  const path = new URLSearchParams(useSearch()).get('path') ?? ''
  const [loaded, setLoaded] = useState<FileContent | undefined>(undefined)
  const [loadError, setLoadError] = useState<ApiError | undefined>(undefined)
  const [text, setText] = useState('')
  const [check, setCheck] = useState<(FileCheck & { readonly of: string }) | undefined>(undefined)
  const [checkError, setCheckError] = useState<ApiError | undefined>(undefined)
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<ApiError | undefined>(undefined)
  const [saved, setSaved] = useState<FileWritten | undefined>(undefined)
  /** Set when their version replaced the edit ("Load theirs"), until the next edit or save. */
  const [reloaded, setReloaded] = useState(false)
  const [conflict, setConflict] = useState<Conflict | undefined>(undefined)
  /** The file as someone else left it, read when a save was refused as stale. */
  const [theirs, setTheirs] = useState<FileContent | undefined>(undefined)
  const settled = useDebounced(text, 350)

  const load = useCallback(() => {
    setLoaded(undefined)
    setLoadError(undefined)
    setSaveError(undefined)
    setConflict(undefined)
    setReloaded(false)
    api.get<FileContent>(withQuery('/api/files/content', { path })).then(
      (answer) => {
        setLoaded(answer)
        setText(answer.text)
      },
      (error: ApiError) => setLoadError(error),
    )
  }, [path])
  useEffect(load, [load])

  useEffect(() => {
    if (loaded === undefined) return
    let live = true
    api.post<FileCheck>('/api/files/check', { path, text: settled }).then(
      (answer) => {
        if (!live) return
        setCheck({ ...answer, of: settled })
        setCheckError(undefined)
      },
      (error: ApiError) => live && setCheckError(error),
    )
    return () => {
      live = false
    }
  }, [settled, path, loaded])

  const admin = can('admin')
  const dirty = loaded !== undefined && text !== loaded.text
  // Until the check has answered for this very text, it is not known whether a save would be accepted.
  const checking = loaded !== undefined && check?.of !== text
  const writable = !checking && (check?.writable ?? false)
  const gone = conflict?.state === 'deleted'
  const own = (check?.issues ?? []).filter((i) => i.inFile)
  const others = (check?.issues ?? []).filter((i) => !i.inFile)

  const save = async () => {
    if (loaded === undefined) return
    setSaving(true)
    setSaveError(undefined)
    try {
      const answer = await api.put<FileWritten>(withQuery('/api/files/content', { path }), {
        text,
        revision: loaded.revision,
      })
      setLoaded({ ...loaded, text, revision: answer.revision, utf8: true })
      setSaved(answer)
      setReloaded(false)
      setConflict(undefined)
    } catch (thrown) {
      const found = await conflictOf(thrown as ApiError)
      if (found === undefined) setSaveError(thrown as ApiError)
      setConflict(found)
    } finally {
      setSaving(false)
    }
  }

  /** Why the save was refused, when the answer says the file changed or went away meanwhile. */
  const conflictOf = async (error: ApiError): Promise<Conflict | undefined> => {
    if (error.code === 'SRV_FILE_NOT_FOUND') return { state: 'deleted', code: error.code }
    if (error.code !== 'SRV_STALE_REVISION') return undefined
    try {
      const current = await api.get<FileContent>(withQuery('/api/files/content', { path }))
      setTheirs(current)
      return { state: 'changed', theirs: current.text, code: error.code }
    } catch (thrown) {
      // Their change was a delete (or a rename): the file is no longer there.
      return (thrown as ApiError).code === 'SRV_FILE_NOT_FOUND' ? { state: 'deleted', code: error.code } : undefined
    }
  }
  /** Their version replaces the edit (StaleSaveNotice has asked first when that discards something). */
  const loadTheirs = () => {
    if (theirs === undefined) return
    setLoaded(theirs)
    setText(theirs.text)
    setCheck(undefined)
    setConflict(undefined)
    setSaved(undefined)
    setReloaded(true)
  }
  /** The edit stays, based now on the file's current revision: the next save overwrites their version. */
  const keepMine = () => {
    if (theirs === undefined) return
    setLoaded(theirs)
    setCheck(undefined)
    setConflict({ state: 'rebased' })
  }

  return (
    <Page
      title={path === '' ? 'File' : (path.split('/').pop() ?? path)}
      subtitle={
        <>
          <Link href="/documents">Configuration</Link> › file <span className="mono">{path}</span>
        </>
      }
    >
      {loadError !== undefined && <ErrorNotice error={loadError} title="The file could not be opened" />}
      {loadError === undefined && loaded === undefined && <Loading what="the file" />}
      {loaded !== undefined && (
        <div className="document-editor file-editor">
          {!loaded.utf8 && (
            <Notice kind="warning">
              The file is not valid UTF-8: the bytes that are not show as �. Saving writes the text as UTF-8.
            </Notice>
          )}
          <div className="editor-bar">
            <span className="muted small">
              {path} · whole file · revision <span className="mono">{loaded.revision.slice(0, 12)}</span>
            </span>
            <span aria-label="Check">{checkBadge(check, checking)}</span>
            {admin ? (
              <button
                type="button"
                className="primary"
                onClick={save}
                disabled={!dirty || !writable || saving || conflict?.state === 'changed' || gone}
              >
                {saving ? 'Saving…' : 'Save file'}
              </button>
            ) : (
              <span className="muted small">read-only: only an admin changes configuration</span>
            )}
          </div>
          {check !== undefined && !check.valid && check.writable && !checking && (
            <p className="muted small file-editor-note">
              The errors marked here were in the file before: they do not keep you from saving, new ones do.
            </p>
          )}
          <CodeEditor
            value={text}
            onChange={admin ? setText : undefined}
            readOnly={!admin}
            issues={own}
            label="File text"
            rows={22}
          />
          {checkError !== undefined && !gone && (
            <ErrorNotice error={checkError} title="The text could not be checked" />
          )}
          {others.length > 0 && (
            <Notice kind="warning">
              This text breaks other documents:
              <IssueList issues={others} />
            </Notice>
          )}
          {conflict !== undefined && (
            <StaleSaveNotice
              key={conflict.state}
              subject={{ file: path }}
              conflict={conflict}
              mine={text}
              opened={loaded.text}
              onLoadTheirs={loadTheirs}
              onKeepMine={keepMine}
            />
          )}
          {saveError !== undefined && <ErrorNotice error={saveError} title="Not saved" />}
          {reloaded && !dirty && <Notice kind="success">Loaded the file as it is now; your edit was discarded.</Notice>}
          {saved !== undefined && !dirty && (
            <Notice kind="success">
              Saved {saved.path} (configuration revision{' '}
              <span className="mono">{saved.configRevision.slice(0, 12)}</span>
              ).{' '}
              {saved.documents.length > 0 ? (
                <>
                  Its documents: <DocumentLinks documents={saved.documents} />.
                </>
              ) : (
                'It holds no document with a valid kind and name yet.'
              )}
            </Notice>
          )}
          {saved === undefined && !dirty && loaded !== undefined && (check?.documents.length ?? 0) > 0 && (
            <p className="muted small">
              Its documents: <DocumentLinks documents={check?.documents ?? []} />.
            </p>
          )}
        </div>
      )}
    </Page>
  )
}
