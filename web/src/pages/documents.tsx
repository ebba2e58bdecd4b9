/**
 * Configuration: every document of the project grouped by kind with its file and whether it is
 * valid, the project's issues as `provisio validate` reports them, one document in the editor
 * (saved as a new configuration revision, or deleted), and a new document from its kind's template.
 */
import { useRoute } from 'wouter'
import DocumentList from './documents/document-list.tsx'
import DocumentPage from './documents/document-page.tsx'
import NewDocument from './documents/new-document.tsx'

export default function DocumentsPage() {
  const [isNew] = useRoute('/documents/new')
  const [isOne, params] = useRoute<{ kind: string; name: string }>('/documents/:kind/:name')
  if (isNew) return <NewDocument />
  if (isOne) return <DocumentPage key={`${params.kind}/${params.name}`} kind={params.kind} name={params.name} />
  return <DocumentList />
}
