/**
 * Events and templates: the event types a run emits with their fields, the project's event actions
 * (what is done about an event: an email, a webhook), and its templates, each opened in the editor
 * beside its rendering on a sample event (POST /api/templates/:name/preview). An HTML rendering is
 * shown in a sandboxed frame (no script, no same-origin access), never inserted into the page.
 */
import { useEffect, useRef, useState } from 'react'
import { Link, useLocation, useRoute } from 'wouter'
import { type ApiError, api, seg } from '../api.ts'
import { DocumentEditor, type Issue, IssueList } from '../components/editor.tsx'
import { ErrorNotice, Loading, Notice } from '../components/feedback.tsx'
import { Page, Section, Tabs } from '../components/layout.tsx'
import { DataTable } from '../components/table.tsx'
import { formatValue } from '../format.ts'
import { useApi } from '../hooks.ts'

interface EventField {
  readonly name: string
  readonly type?: string
  readonly description?: string
}

interface EventType {
  readonly type: string
  readonly description?: string
  readonly fields: readonly EventField[]
}

interface DocumentSummary {
  readonly kind: string
  readonly name: string
  readonly file: string
  readonly valid: boolean
  readonly errors: number
}

/** The first list in an answer (`{ types: [...] }`, `{ actions: [...] }`…), whatever its key. */
function listOf(answer: unknown): Record<string, unknown>[] {
  if (Array.isArray(answer)) return answer as Record<string, unknown>[]
  if (typeof answer !== 'object' || answer === null) return []
  const list = Object.values(answer).find(Array.isArray)
  return (list ?? []) as Record<string, unknown>[]
}

function asFields(value: unknown): EventField[] {
  if (Array.isArray(value)) return value.map((f) => (typeof f === 'string' ? { name: f } : (f as EventField)))
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).map(([name, v]) =>
      typeof v === 'string' ? { name, type: v } : { name, ...(v as Omit<EventField, 'name'>) },
    )
  return []
}

function eventTypesOf(answer: unknown): EventType[] {
  return listOf(answer).map((t) => ({
    type: formatValue(t['type'] ?? t['name'] ?? ''),
    ...(typeof t['description'] === 'string' ? { description: t['description'] } : {}),
    fields: asFields(t['fields']),
  }))
}

function EventTypes() {
  const { data, error } = useApi<unknown>('/api/events/types')
  if (error !== undefined) return <ErrorNotice error={error} />
  if (data === undefined) return <Loading what="the event types" />
  const types = eventTypesOf(data)
  return (
    <div className="event-types">
      {types.length === 0 && <span className="muted">No event type.</span>}
      {types.map((t) => (
        <div key={t.type} className="event-type card">
          <div>
            <code className="event-name">{t.type}</code>
          </div>
          {t.description !== undefined && <div className="muted small">{t.description}</div>}
          <ul className="fields">
            {t.fields.map((f) => (
              <li key={f.name} title={f.description}>
                <code>{f.name}</code>
                {f.type !== undefined && <span className="muted small"> {f.type}</span>}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}

function describeAction(action: Record<string, unknown>): string {
  const delivery = (action['delivery'] ?? action) as Record<string, unknown>
  const email = delivery['email'] as Record<string, unknown> | undefined
  const webhook = delivery['webhook'] as Record<string, unknown> | undefined
  if (email !== undefined) {
    const to = email['to']
    return `email ${formatValue(email['template'])} to ${Array.isArray(to) ? to.join(', ') : formatValue(to)}`
  }
  if (webhook !== undefined) return `webhook ${formatValue(webhook['url'])}`
  return formatValue(action['action'] ?? action['kind'] ?? '—')
}

function EventActions() {
  const { data, error } = useApi<unknown>('/api/event-actions')
  if (error !== undefined) return <ErrorNotice error={error} />
  if (data === undefined) return <Loading what="the event actions" />
  const actions = listOf(data)
  return (
    <DataTable
      label="Event actions"
      rows={actions}
      rowKey={(a) => String(a['name'])}
      empty="The project has no EventAction: nothing is sent when something happens."
      columns={[
        { key: 'name', title: 'Event action', render: (a) => <strong>{formatValue(a['name'])}</strong> },
        { key: 'event', title: 'On event', render: (a) => <code>{formatValue(a['event'])}</code> },
        {
          key: 'source',
          title: 'Of',
          render: (a) => formatValue(a['source'] ?? a['name_'] ?? a['match'] ?? 'any'),
        },
        { key: 'on', title: 'When', render: (a) => formatValue(a['on'] ?? 'always') },
        { key: 'does', title: 'Does', render: (a) => <span className="small">{describeAction(a)}</span> },
      ]}
    />
  )
}

function Templates() {
  const [, navigate] = useLocation()
  const { data, error } = useApi<{ documents: DocumentSummary[] }>('/api/documents')
  if (error !== undefined) return <ErrorNotice error={error} />
  if (data === undefined) return <Loading what="the templates" />
  return (
    <DataTable
      label="Templates"
      rows={data.documents.filter((d) => d.kind === 'Template')}
      rowKey={(d) => d.name}
      onRowClick={(d) => navigate(`/events/templates/${seg(d.name)}`)}
      empty="The project has no Template."
      columns={[
        {
          key: 'name',
          title: 'Template',
          render: (d) => (
            <Link href={`/events/templates/${seg(d.name)}`}>
              <strong>{d.name}</strong>
            </Link>
          ),
        },
        { key: 'file', title: 'File', render: (d) => <span className="muted small">{d.file}</span> },
        {
          key: 'valid',
          title: 'Check',
          render: (d) =>
            d.valid ? (
              <span className="badge good">valid</span>
            ) : (
              <span className="badge bad">{d.errors} error(s)</span>
            ),
        },
      ]}
    />
  )
}

interface Rendered {
  readonly subject?: string | null
  readonly text?: string | null
  readonly html?: string | null
  readonly issues: readonly Issue[]
}

function renderedOf(answer: unknown): Rendered {
  const a = (answer ?? {}) as Record<string, unknown>
  const inner = (a['rendered'] ?? a['message'] ?? a) as Record<string, unknown>
  const text = (k: string) => (typeof inner[k] === 'string' ? inner[k] : null)
  const issues = Array.isArray(inner['issues']) ? (inner['issues'] as Issue[]) : []
  return { subject: text('subject'), text: text('text'), html: text('html'), issues }
}

/**
 * The template rendered on a sample event: with the text as typed when the route takes `source`,
 * else the saved template (then the rendering follows a save, and the panel says so).
 */
function TemplatePreview({ name, source }: { name: string; source: string }) {
  const [rendered, setRendered] = useState<Rendered | undefined>(undefined)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [savedOnly, setSavedOnly] = useState(false)
  const latest = useRef(0)
  useEffect(() => {
    if (source.trim() === '') return
    const ask = ++latest.current
    const url = `/api/templates/${seg(name)}/preview`
    const run = async () => {
      try {
        let answer: unknown
        try {
          answer = savedOnly ? await api.post(url, {}) : await api.post(url, { source })
        } catch (thrown) {
          // A route that renders only the saved template refuses the `source` key.
          if (!savedOnly && (thrown as ApiError).code === 'SRV_INVALID_REQUEST') {
            setSavedOnly(true)
            answer = await api.post(url, {})
          } else throw thrown
        }
        if (ask === latest.current) {
          setRendered(renderedOf(answer))
          setError(undefined)
        }
      } catch (thrown) {
        if (ask === latest.current) setError(thrown as ApiError)
      }
    }
    void run()
  }, [name, source, savedOnly])
  return (
    <div className="card section preview-panel" aria-label="Template preview">
      <header className="section-header">
        <h2>Rendered on a sample event</h2>
      </header>
      {savedOnly && <Notice>This preview renders the saved template: save to see a change.</Notice>}
      {error !== undefined && <ErrorNotice error={error} />}
      {rendered === undefined && error === undefined && <Loading what="the rendering" />}
      {rendered !== undefined && (
        <>
          <IssueList issues={rendered.issues} />
          <div className="mail-subject">
            <span className="muted small">Subject</span>
            <div>{rendered.subject ?? <span className="muted">(none)</span>}</div>
          </div>
          <Tabs
            tabs={[
              {
                id: 'html',
                label: 'HTML',
                content: () =>
                  rendered.html === null || rendered.html === undefined ? (
                    <span className="muted">The template has no HTML body.</span>
                  ) : (
                    // sandbox="" : the rendering runs no script and cannot reach the Studio.
                    <iframe className="html-preview" title="HTML rendering" sandbox="" srcDoc={rendered.html} />
                  ),
              },
              {
                id: 'text',
                label: 'Text',
                content: () =>
                  rendered.text === null || rendered.text === undefined ? (
                    <span className="muted">The template has no text body.</span>
                  ) : (
                    <pre aria-label="Text rendering">{rendered.text}</pre>
                  ),
              },
            ]}
          />
        </>
      )}
    </div>
  )
}

export default function EventsPage() {
  const [isTemplate, params] = useRoute<{ name: string }>('/events/templates/:name')
  if (isTemplate) {
    const name = decodeURIComponent(params.name)
    return (
      <Page
        title={name}
        subtitle={
          <span>
            <Link href="/events">Events and templates</Link> / template {name}
          </span>
        }
      >
        <DocumentEditor
          key={name}
          kind="Template"
          name={name}
          preview={(source) => <TemplatePreview name={name} source={source} />}
        />
      </Page>
    )
  }
  return (
    <Page
      title="Events and templates"
      subtitle="What happens during runs, what is done about it, and the messages sent."
    >
      <Section title="Templates">
        <Templates />
      </Section>
      <Section title="Event actions">
        <EventActions />
      </Section>
      <Section title="Event types">
        <EventTypes />
      </Section>
    </Page>
  )
}
