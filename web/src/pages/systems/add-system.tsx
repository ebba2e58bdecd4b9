/**
 * Add system: pick a connector, say where the data is and what its first table holds, and the
 * System document is written from the connector's template into the editor, checked as it is
 * edited (issues in place), and created as a new configuration revision. Then: collect it.
 */
import { type FormEvent, type ReactElement, cloneElement, useId, useState } from 'react'
import { Link, useLocation } from 'wouter'
import { seg } from '../../api.ts'
import { DocumentEditor } from '../../components/editor.tsx'
import { Notice } from '../../components/feedback.tsx'
import { Page, Section } from '../../components/layout.tsx'
import { useSession } from '../../session.tsx'
import { CONNECTORS, EMPTY_FORM, type SystemForm, columnList, systemTemplate } from './connector-templates.ts'

export default function AddSystem() {
  const { can } = useSession()
  const [, navigate] = useLocation()
  const [form, setForm] = useState<SystemForm>(EMPTY_FORM)
  // The editor starts from the template once, and again each time the form is applied.
  const [template, setTemplate] = useState(() => systemTemplate(EMPTY_FORM))
  const [generation, setGeneration] = useState(0)
  const set = (field: keyof SystemForm) => (value: string) => setForm({ ...form, [field]: value })
  const connector = CONNECTORS.find((c) => c.type === form.connector)!
  const columns = columnList(form.columns)

  const apply = (event: FormEvent) => {
    event.preventDefault()
    setTemplate(systemTemplate(form))
    setGeneration((g) => g + 1)
  }

  if (!can('admin'))
    return (
      <Page title="Add system">
        <Notice kind="warning">Only an admin adds systems.</Notice>
      </Page>
    )

  return (
    <Page
      title="Add system"
      subtitle={
        <>
          <Link href="/systems">Systems</Link> › a new System document
        </>
      }
    >
      <Section title="1. The connector and the data">
        <form onSubmit={apply} aria-label="Add system" className="add-system">
          <fieldset className="connector-choice">
            <legend>Connector</legend>
            {CONNECTORS.map((c) => (
              <label key={c.type} className={c.type === form.connector ? 'choice active' : 'choice'}>
                <input
                  type="radio"
                  name="connector"
                  value={c.type}
                  checked={c.type === form.connector}
                  onChange={() => setForm({ ...form, connector: c.type })}
                />
                <span>
                  <strong>{c.label}</strong> <code className="code-badge">{c.type}</code>
                  <span className="muted small choice-text">{c.description}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div className="form-grid">
            <Field label="System name">
              <input value={form.name} onChange={(e) => set('name')(e.target.value)} placeholder="badges" />
            </Field>
            <Field label="Description">
              <input
                value={form.description}
                onChange={(e) => set('description')(e.target.value)}
                placeholder="What the system is, for whoever reads the configuration"
              />
            </Field>
            <Field label={connector.location.label} help={connector.location.help}>
              <input
                value={form.location}
                onChange={(e) => set('location')(e.target.value)}
                placeholder={connector.location.placeholder}
              />
            </Field>
            {form.connector === 'ldap' && (
              <>
                <Field label="Bind DN">
                  <input
                    value={form.bindDN}
                    onChange={(e) => set('bindDN')(e.target.value)}
                    placeholder="CN=svc-provisio,OU=Service Accounts,DC=example,DC=test"
                  />
                </Field>
                <Field label="Base DN">
                  <input
                    value={form.baseDN}
                    onChange={(e) => set('baseDN')(e.target.value)}
                    placeholder="DC=example,DC=test"
                  />
                </Field>
              </>
            )}
            <Field
              label="First table"
              help={
                form.connector === 'csv'
                  ? `Read from ${form.table.trim() === '' ? '<table>' : form.table.trim()}.csv in the folder.`
                  : undefined
              }
            >
              <input
                value={form.table}
                onChange={(e) => set('table')(e.target.value)}
                placeholder={form.connector === 'ldap' ? 'users' : 'people'}
              />
            </Field>
            <Field label="Columns" help="Separated by commas; each is a string at first.">
              <input
                value={form.columns}
                onChange={(e) => set('columns')(e.target.value)}
                placeholder={form.connector === 'csv' ? 'the header: id, first_name, last_name' : 'id, username, mail'}
                className="mono"
              />
            </Field>
            <Field label="Primary key">
              <select value={form.primaryKey} onChange={(e) => set('primaryKey')(e.target.value)}>
                <option value="">
                  {columns.length === 0 ? '(the first column)' : `(the first column: ${columns[0]})`}
                </option>
                {columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="actions">
            <button type="submit">Fill in the template</button>
            <span className="muted small">Replaces the text below with the connector's template for these values.</span>
          </div>
        </form>
      </Section>
      <Section title="2. The System document">
        <p className="muted small section-intro">
          Adjust column types, keys and options (see the connector's documentation); issues show in place as you type.
          Creating it writes <code>systems/&lt;name&gt;.yaml</code> as a new configuration revision.
        </p>
        <DocumentEditor
          key={generation}
          template={template}
          onSaved={(saved) => navigate(`/systems/${seg(saved.name)}?added=1`)}
        />
      </Section>
    </Page>
  )
}

/** A labelled field whose help text describes the input without being part of its name. */
function Field({ label, help, children }: { label: string; help?: string | undefined; children: ReactElement }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children as ReactElement<Record<string, unknown>>, {
        id,
        'aria-describedby': help === undefined ? undefined : `${id}-help`,
      })}
      {help !== undefined && (
        <span id={`${id}-help`} className="muted small field-help">
          {help}
        </span>
      )}
    </div>
  )
}
