/**
 * Every document of the project by kind, with its file and badges, the project's issues, and the files
 * whose documents cannot all be read (broken-files.tsx).
 */
import { useState } from 'react'
import { Link, useLocation, useSearch } from 'wouter'
import { seg } from '../../api.ts'
import type { Issue } from '../../components/editor.tsx'
import { isError } from '../../components/editor.tsx'
import { Empty, ErrorNotice, Loading, Notice } from '../../components/feedback.tsx'
import { Page, Section } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { useApi } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import BrokenFiles from './broken-files.tsx'
import { KINDS } from './kind-templates.ts'
import { type DocumentSummary, type DocumentsAnswer, type ValidateAnswer, fileHref } from './types.ts'

export function DocumentBadges({ document }: { document: DocumentSummary }) {
  return (
    <span className="badges">
      {document.valid ? (
        <span className="badge good">valid</span>
      ) : (
        <span className="badge bad">
          {document.errors} error{document.errors === 1 ? '' : 's'}
        </span>
      )}
      {document.warnings > 0 && (
        <span className="badge warn">
          {document.warnings} warning{document.warnings === 1 ? '' : 's'}
        </span>
      )}
    </span>
  )
}

export default function DocumentList() {
  const { can } = useSession()
  const [, navigate] = useLocation()
  const deleted = new URLSearchParams(useSearch()).get('deleted')
  const documents = useApi<DocumentsAnswer>('/api/documents')
  const validate = useApi<ValidateAnswer>('/api/validate')
  const [find, setFind] = useState('')
  const needle = find.trim().toLowerCase()
  const all = (documents.data?.documents ?? []).filter(
    (d) => needle === '' || d.name.toLowerCase().includes(needle) || d.file.toLowerCase().includes(needle),
  )
  const kinds = [...new Set([...KINDS.filter((k) => all.some((d) => d.kind === k)), ...all.map((d) => d.kind)])]

  return (
    <Page
      title="Configuration"
      subtitle={
        documents.data === undefined
          ? 'The documents of the project'
          : `${documents.data.documents.length} documents in ${new Set(documents.data.documents.map((d) => d.file)).size} files · revision ${documents.data.revision.slice(0, 12)}`
      }
      actions={
        can('admin') ? (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault()
              const kind = new FormData(e.currentTarget).get('kind')
              if (typeof kind !== 'string') return
              navigate(`/documents/new?kind=${encodeURIComponent(kind)}`)
            }}
          >
            <select name="kind" aria-label="Kind of the new document" defaultValue="Filter">
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
            <button type="submit" className="primary">
              New document
            </button>
          </form>
        ) : undefined
      }
    >
      {deleted !== null && <Notice kind="success">Deleted {deleted}.</Notice>}
      {validate.error !== undefined && <ErrorNotice error={validate.error} />}
      <BrokenFiles />
      {validate.data !== undefined && (
        <ProjectIssues answer={validate.data} documents={documents.data?.documents ?? []} />
      )}
      <div className="toolbar">
        <label>
          Find a document
          <input
            type="search"
            value={find}
            onChange={(e) => setFind(e.target.value)}
            placeholder="name or file"
            className="find-input"
          />
        </label>
        {needle !== '' && <span className="muted small">{all.length} found</span>}
      </div>
      {documents.error !== undefined && <ErrorNotice error={documents.error} />}
      {documents.data === undefined && documents.loading && <Loading what="the documents" />}
      {needle !== '' && all.length === 0 && <Empty>No document has “{find.trim()}” in its name or file.</Empty>}
      {kinds.map((kind) => {
        const own = all.filter((d) => d.kind === kind)
        return (
          <Section
            key={kind}
            title={
              <>
                {kind} <span className="muted small">{own.length}</span>
              </>
            }
          >
            <div className="doc-table">
              <DataTable
                label={`${kind} documents`}
                rows={own}
                rowKey={(d) => `${d.file}#${d.index}`}
                onRowClick={(d) => navigate(`/documents/${seg(d.kind)}/${seg(d.name)}`)}
                columns={[
                  {
                    key: 'name',
                    title: 'Name',
                    render: (d) => (
                      <Link href={`/documents/${seg(d.kind)}/${seg(d.name)}`} onClick={(e) => e.stopPropagation()}>
                        {d.name}
                      </Link>
                    ),
                  },
                  {
                    key: 'file',
                    title: 'File',
                    render: (d) => (
                      <span className="mono small">
                        {d.file}
                        {d.index > 0 && <span className="muted"> (document {d.index + 1})</span>}
                      </span>
                    ),
                  },
                  { key: 'state', title: 'State', render: (d) => <DocumentBadges document={d} /> },
                ]}
              />
            </div>
          </Section>
        )
      })}
    </Page>
  )
}

/**
 * The issues of the whole project, each linked to its document when the file holds only one, or to the
 * file's editor when none of its documents can be read.
 */
function ProjectIssues({ answer, documents }: { answer: ValidateAnswer; documents: readonly DocumentSummary[] }) {
  const documentOf = (issue: Issue) => {
    const inFile = documents.filter((d) => d.file === issue.file)
    return inFile.length === 1 ? inFile[0] : inFile.find((d) => !d.valid || d.warnings > 0)
  }
  if (answer.issues.length === 0)
    return (
      <Notice kind="success">
        <strong>The project is valid.</strong> {answer.documents} documents, no issue.
      </Notice>
    )
  return (
    <Section
      title={
        <>
          Issues{' '}
          <span className={answer.errors > 0 ? 'badge bad' : 'badge good'}>
            {answer.errors} error{answer.errors === 1 ? '' : 's'}
          </span>{' '}
          {answer.warnings > 0 && (
            <span className="badge warn">
              {answer.warnings} warning{answer.warnings === 1 ? '' : 's'}
            </span>
          )}
        </>
      }
    >
      <ul className="issues" aria-label="Project issues">
        {answer.issues.map((issue, i) => {
          const document = documentOf(issue)
          const where = `${issue.file ?? 'project'}${issue.line === undefined ? '' : `:${issue.line}`}${issue.column === undefined ? '' : `:${issue.column}`}`
          return (
            <li key={i} className={isError(issue) ? 'issue error' : 'issue warning'}>
              {document === undefined && issue.file !== undefined ? (
                <Link href={fileHref(issue.file)} className="mono small">
                  {where}
                </Link>
              ) : document === undefined ? (
                <span className="mono small">{where}</span>
              ) : (
                <Link href={`/documents/${seg(document.kind)}/${seg(document.name)}`} className="mono small">
                  {where}
                </Link>
              )}
              : {issue.message} <code className="code-badge">{issue.code}</code>
              {issue.hint !== undefined && <div className="hint">{issue.hint}</div>}
            </li>
          )
        })}
      </ul>
    </Section>
  )
}
