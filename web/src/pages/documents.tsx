/**
 * Configuration: every document of the project grouped by kind with its file and whether it is
 * valid, the project's issues as `provisio validate` reports them, one document in the editor
 * (saved as a new configuration revision, or deleted), a new document from its kind's template, and a
 * YAML file edited whole (the way to repair one that does not parse).
 */
import { useRoute } from 'wouter'
import DocumentList from './documents/document-list.tsx'
import DocumentPage from './documents/document-page.tsx'
import FilePage from './documents/file-page.tsx'
import NewDocument from './documents/new-document.tsx'

export default function DocumentsPage() {
  const [isNew] = useRoute('/documents/new')
  const [isFile] = useRoute('/documents/file')
  const [isOne, params] = useRoute<{ kind: string; name: string }>('/documents/:kind/:name')
  if (isNew) return <NewDocument />
  if (isFile) return <FilePage />
  if (isOne) return <DocumentPage key={`${params.kind}/${params.name}`} kind={params.kind} name={params.name} />
  return <DocumentList />
}
