/** A new document of a kind, from its template, checked as it is typed and created in its kind's folder. */
import { Link, useLocation, useSearch } from 'wouter'
import { seg } from '../../api.ts'
import { DocumentEditor } from '../../components/editor.tsx'
import { Notice } from '../../components/feedback.tsx'
import { Page } from '../../components/layout.tsx'
import { useSession } from '../../session.tsx'
import { KINDS, KIND_TEMPLATES } from './kind-templates.ts'

export default function NewDocument() {
  const { can } = useSession()
  const [, navigate] = useLocation()
  const asked = new URLSearchParams(useSearch()).get('kind') ?? 'Filter'
  const kind = KINDS.find((k) => k.toLowerCase() === asked.toLowerCase())
  return (
    <Page
      title={`New ${kind ?? 'document'}`}
      subtitle={
        <>
          <Link href="/documents">Configuration</Link> › new document
        </>
      }
      actions={
        <label className="inline-label">
          Kind
          <select
            value={kind ?? ''}
            onChange={(e) => navigate(`/documents/new?kind=${encodeURIComponent(e.target.value)}`)}
          >
            {kind === undefined && <option value="">choose…</option>}
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      }
    >
      {!can('admin') && <Notice kind="warning">Only an admin creates documents; you can read the template.</Notice>}
      {kind === undefined ? (
        <Notice kind="warning">
          There is no kind {asked}. Choose one of {KINDS.join(', ')}.
        </Notice>
      ) : (
        <>
          {kind === 'System' && (
            <Notice>
              A system is easier to start from <Link href="/systems/new">Add system</Link>, which fills in its
              connector’s template.
            </Notice>
          )}
          <DocumentEditor
            key={kind}
            template={KIND_TEMPLATES[kind]}
            onSaved={(saved) => navigate(`/documents/${seg(saved.kind)}/${seg(saved.name)}`)}
          />
        </>
      )}
    </Page>
  )
}
