/**
 * The files of the project whose documents the Configuration page cannot list: a file that is not
 * UTF-8 or whose YAML does not parse, a document without a valid kind or name. Each with its
 * problems, positioned in the file, and a link to edit the file whole (file-page.tsx).
 */
import { Link } from 'wouter'
import { isError } from '../../components/editor.tsx'
import { ErrorNotice } from '../../components/feedback.tsx'
import { Section } from '../../components/layout.tsx'
import { useApi } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import { type FilesAnswer, fileHref } from './types.ts'

export default function BrokenFiles() {
  const { can } = useSession()
  const files = useApi<FilesAnswer>('/api/files')
  if (files.error !== undefined) return <ErrorNotice error={files.error} title="The files could not be listed" />
  const broken = (files.data?.files ?? []).filter((f) => !f.valid)
  if (broken.length === 0) return null
  return (
    <Section
      title={
        <>
          Files that cannot be read whole{' '}
          <span className="badge bad">
            {broken.length} file{broken.length === 1 ? '' : 's'}
          </span>
        </>
      }
    >
      <p className="muted small broken-files-intro">
        Their documents, or some of them, are missing from the lists below: the YAML does not parse, or a document has
        no valid kind or name. {can('admin') ? 'Edit the file as a whole to repair it.' : 'An admin can repair them.'}
      </p>
      <ul className="broken-files" aria-label="Files with problems">
        {broken.map((file) => (
          <li key={file.path} className="broken-file">
            <div className="broken-file-head">
              <span className="mono">{file.path}</span>
              <span className="badge bad">
                {file.errors} error{file.errors === 1 ? '' : 's'}
              </span>
              <span className="muted small">
                {file.loaded.length} of {file.documents} document{file.documents === 1 ? '' : 's'} readable
              </span>
              <Link
                href={fileHref(file.path)}
                className="button"
                aria-label={`${can('admin') ? 'Edit' : 'View'} file ${file.path}`}
              >
                {can('admin') ? 'Edit file' : 'View file'}
              </Link>
            </div>
            <ul className="issues">
              {file.issues.map((issue, i) => (
                <li key={i} className={isError(issue) ? 'issue error' : 'issue warning'}>
                  <span className="mono small">
                    line {issue.line ?? '?'}
                    {issue.column === undefined ? '' : `, column ${issue.column}`}
                  </span>
                  : {issue.message} <code className="code-badge">{issue.code}</code>
                  {issue.hint !== undefined && <div className="hint">{issue.hint}</div>}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </Section>
  )
}
