/**
 * Roles: the role models (the development model in the project, the active one and the history),
 * what activating the development model would change (its diff against the active one, both
 * resolved against the vault), activating it, and inspecting a member, group or role.
 */
import { useState } from 'react'
import { type ApiError, api, withQuery } from '../api.ts'
import { ErrorNotice, Loading, Notice } from '../components/feedback.tsx'
import { Facts, Page, Section, Tabs } from '../components/layout.tsx'
import { DataTable } from '../components/table.tsx'
import { formatCount, formatTime } from '../format.ts'
import { useApi } from '../hooks.ts'
import { useSession } from '../session.tsx'

interface StoredModel {
  readonly id: number
  readonly name: string
  readonly state: 'active' | 'history'
  readonly hash: string
  readonly file: string
  readonly activatedAt: string
  readonly activatedBy: string
  readonly retiredAt?: string
  readonly roles: number
  readonly generators: number
}

interface Models {
  readonly development: { name: string; file: string } | null
  readonly active: StoredModel | null
  readonly models: readonly StoredModel[]
}

type RoleSummary = readonly { role: string; groups: readonly string[]; members: number }[]

interface Diff {
  readonly active: Record<string, unknown> | null
  readonly rolesAdded: RoleSummary
  readonly rolesRemoved: RoleSummary
  readonly changed: readonly {
    role: string
    groupsAdded: readonly string[]
    groupsRemoved: readonly string[]
    membersAdded: readonly string[]
    membersRemoved: readonly string[]
  }[]
  readonly unchanged: number
  readonly groupsReleased: readonly string[]
  readonly notices: { development: readonly ModelNotice[]; active: readonly ModelNotice[] }
  readonly activeProblem?: string
  readonly changedFilters: readonly string[]
}

interface ModelNotice {
  readonly code: string
  readonly role: string
  readonly message: string
}

interface Inspection {
  readonly roles: readonly {
    role: string
    generator?: string
    groups: readonly { system: string; name: string; key: string }[]
    members: readonly { system: string; key: string }[]
  }[]
  readonly current: readonly {
    system: string
    table: string
    group: string
    member: string
    managed: boolean
    granted: boolean
  }[]
  readonly pending: readonly {
    system: string
    table: string
    change: 'add' | 'remove'
    group: string
    member: string
  }[]
  readonly notices: readonly ModelNotice[]
  readonly notes: readonly string[]
}

function List({ items, max = 8 }: { items: readonly string[]; max?: number }) {
  if (items.length === 0) return <span className="muted">—</span>
  return (
    <span className="small">
      {items.slice(0, max).join(', ')}
      {items.length > max && <span className="muted"> and {items.length - max} more</span>}
    </span>
  )
}

function DiffView({ diff }: { diff: Diff }) {
  const summaryRows = [
    ...diff.rolesAdded.map((r) => ({ change: 'added', role: r.role, groups: r.groups, members: `${r.members}` })),
    ...diff.rolesRemoved.map((r) => ({ change: 'removed', role: r.role, groups: r.groups, members: `${r.members}` })),
  ]
  const nothing = summaryRows.length === 0 && diff.changed.length === 0 && diff.groupsReleased.length === 0
  return (
    <div aria-label="Role model diff">
      <Facts
        items={[
          ['Roles added', formatCount(diff.rolesAdded.length)],
          ['Roles removed', formatCount(diff.rolesRemoved.length)],
          ['Roles changed', formatCount(diff.changed.length)],
          ['Roles unchanged', formatCount(diff.unchanged)],
        ]}
      />
      {diff.active === null && (
        <Notice>No model is active yet: activating makes every role of the development model new.</Notice>
      )}
      {diff.activeProblem !== undefined && (
        <Notice kind="warning">The active model could not be resolved: {diff.activeProblem}</Notice>
      )}
      {nothing && (
        <Notice kind="success">
          The development model gives the same roles, groups and members as the active one.
        </Notice>
      )}
      {summaryRows.length > 0 && (
        <>
          <h3>Roles added and removed</h3>
          <DataTable
            label="Roles added and removed"
            rows={summaryRows}
            rowKey={(r) => `${r.change}:${r.role}`}
            columns={[
              {
                key: 'change',
                title: '',
                render: (r) => <span className={r.change === 'added' ? 'badge good' : 'badge bad'}>{r.change}</span>,
              },
              { key: 'role', title: 'Role', render: (r) => <strong>{r.role}</strong> },
              { key: 'groups', title: 'Groups', render: (r) => <List items={r.groups} /> },
              { key: 'members', title: 'Members', align: 'right' },
            ]}
          />
        </>
      )}
      {diff.changed.length > 0 && (
        <>
          <h3>Roles changed</h3>
          <DataTable
            label="Roles changed"
            rows={diff.changed}
            rowKey={(r) => r.role}
            columns={[
              { key: 'role', title: 'Role', render: (r) => <strong>{r.role}</strong> },
              {
                key: 'groups',
                title: 'Groups',
                render: (r) => (
                  <div>
                    {r.groupsAdded.length > 0 && (
                      <div className="diff-add">
                        + <List items={r.groupsAdded} />
                      </div>
                    )}
                    {r.groupsRemoved.length > 0 && (
                      <div className="diff-remove">
                        − <List items={r.groupsRemoved} />
                      </div>
                    )}
                  </div>
                ),
              },
              {
                key: 'members',
                title: 'Members',
                render: (r) => (
                  <div>
                    {r.membersAdded.length > 0 && (
                      <div className="diff-add">
                        + {r.membersAdded.length}: <List items={r.membersAdded} max={5} />
                      </div>
                    )}
                    {r.membersRemoved.length > 0 && (
                      <div className="diff-remove">
                        − {r.membersRemoved.length}: <List items={r.membersRemoved} max={5} />
                      </div>
                    )}
                  </div>
                ),
              },
            ]}
          />
        </>
      )}
      {diff.groupsReleased.length > 0 && (
        <Notice kind="warning">
          No longer managed once activated (their members are left alone): <List items={diff.groupsReleased} max={20} />
        </Notice>
      )}
      {diff.changedFilters.length > 0 && (
        <p className="small muted">
          Filters of the roles changed since the active model: {diff.changedFilters.join(', ')}
        </p>
      )}
      {[...diff.notices.development, ...diff.notices.active].map((n, i) => (
        <div key={i} className="issue warning small">
          {n.role}: {n.message} <code className="code-badge">{n.code}</code>
        </div>
      ))}
    </div>
  )
}

function Activate({ models, onDone }: { models: Models; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false)
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [done, setDone] = useState<string | undefined>(undefined)
  if (models.development === null) return null
  const activate = async () => {
    setPending(true)
    setError(undefined)
    try {
      const answer = await api.post<{ active: StoredModel; unchanged: boolean }>('/api/roles/activate')
      setDone(
        answer.unchanged
          ? 'The development model equals the active one: nothing changed.'
          : `Model ${answer.active.name} (id ${answer.active.id}) is now active; jobs execute it from their next run.`,
      )
      setConfirming(false)
      onDone()
    } catch (thrown) {
      setError(thrown as ApiError)
    } finally {
      setPending(false)
    }
  }
  return (
    <div>
      {!confirming ? (
        <button type="button" className="primary" onClick={() => setConfirming(true)}>
          Activate development model…
        </button>
      ) : (
        <div className="confirm" role="group" aria-label="Confirm activation">
          <span>
            Activate <strong>{models.development.name}</strong>? Jobs then manage memberships by it
            {models.active === null ? '' : `; model ${models.active.id} moves to history`}.
          </span>
          <button type="button" className="primary" onClick={() => void activate()} disabled={pending}>
            {pending ? 'Activating…' : 'Activate'}
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={pending}>
            Cancel
          </button>
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} title="Not activated" />}
      {done !== undefined && <Notice kind="success">{done}</Notice>}
    </div>
  )
}

function Inspect() {
  const [by, setBy] = useState<'member' | 'group' | 'role'>('member')
  const [value, setValue] = useState('')
  const [model, setModel] = useState('')
  const [query, setQuery] = useState<Record<string, string> | null>(null)
  const { data, error, loading } = useApi<Inspection>(query === null ? null : withQuery('/api/roles/inspect', query))
  return (
    <div>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault()
          if (value.trim() !== '') setQuery({ [by]: value.trim(), ...(model === '' ? {} : { model }) })
        }}
      >
        <label>
          Inspect
          <select value={by} onChange={(e) => setBy(e.target.value as typeof by)} aria-label="Inspect by">
            <option value="member">a member</option>
            <option value="group">a group</option>
            <option value="role">a role</option>
          </select>
        </label>
        <label>
          {by === 'member' ? 'Member key' : by === 'group' ? 'Group name or key' : 'Role'}
          <input value={value} onChange={(e) => setValue(e.target.value)} aria-label="Inspect value" />
        </label>
        <label>
          Model
          <select value={model} onChange={(e) => setModel(e.target.value)}>
            <option value="">active (else development)</option>
            <option value="active">active</option>
            <option value="development">development</option>
          </select>
        </label>
        <button type="submit" className="primary" disabled={value.trim() === ''}>
          Inspect
        </button>
      </form>
      {error !== undefined && <ErrorNotice error={error} />}
      {loading && <Loading what="the entitlements" />}
      {data !== undefined && !loading && (
        <div aria-label="Inspection">
          {data.notes.map((n, i) => (
            <Notice key={i}>{n}</Notice>
          ))}
          <h3>Roles</h3>
          <DataTable
            label="Roles"
            rows={data.roles}
            rowKey={(r) => r.role}
            empty="No role of the model involves it."
            columns={[
              { key: 'role', title: 'Role', render: (r) => <strong>{r.role}</strong> },
              {
                key: 'groups',
                title: 'Groups',
                render: (r) => <List items={r.groups.map((g) => `${g.system}: ${g.name}`)} />,
              },
              {
                key: 'members',
                title: 'Members',
                render: (r) => (
                  <span>
                    {formatCount(r.members.length)} <List items={r.members.map((m) => m.key)} max={5} />
                  </span>
                ),
              },
            ]}
          />
          <h3>Pending changes</h3>
          <DataTable
            label="Pending changes"
            rows={data.pending}
            empty="Nothing to change: the vault holds what the model grants."
            columns={[
              {
                key: 'change',
                title: '',
                render: (p) => <span className={p.change === 'add' ? 'badge good' : 'badge bad'}>{p.change}</span>,
              },
              { key: 'group', title: 'Group', render: (p) => `${p.system}: ${p.group}` },
              { key: 'member', title: 'Member' },
            ]}
          />
          <h3>Memberships the vault holds</h3>
          <DataTable
            label="Current memberships"
            rows={data.current}
            empty="None."
            columns={[
              { key: 'group', title: 'Group', render: (m) => `${m.system}: ${m.group}` },
              { key: 'member', title: 'Member' },
              { key: 'managed', title: 'Managed' },
              { key: 'granted', title: 'Granted by the model' },
            ]}
          />
        </div>
      )}
    </div>
  )
}

export default function RolesPage() {
  const { can } = useSession()
  const models = useApi<Models>('/api/roles/models')
  const diff = useApi<Diff>('/api/roles/diff')
  const m = models.data
  return (
    <Page
      title="Roles"
      subtitle="Roles bundle groups; the development model in the project is activated to be managed by jobs."
      actions={
        m !== undefined && can('run') ? (
          <Activate models={m} onDone={() => (models.reload(), diff.reload())} />
        ) : undefined
      }
    >
      {models.error !== undefined && <ErrorNotice error={models.error} />}
      {m !== undefined && (
        <Section title="Role models">
          <Facts
            items={[
              [
                'Development model',
                m.development === null ? 'none in the project' : `${m.development.name} (${m.development.file})`,
              ],
              [
                'Active model',
                m.active === null ? 'none yet' : `${m.active.name}, id ${m.active.id}, ${m.active.roles} roles`,
              ],
              ['Activated', m.active === null ? '—' : `${formatTime(m.active.activatedAt)} by ${m.active.activatedBy}`],
            ]}
          />
        </Section>
      )}
      <Section>
        <Tabs
          tabs={[
            {
              id: 'diff',
              label: 'Development vs active',
              content: () =>
                diff.error !== undefined ? (
                  <ErrorNotice error={diff.error} />
                ) : diff.data === undefined ? (
                  <Loading what="the diff" />
                ) : (
                  <DiffView diff={diff.data} />
                ),
            },
            { id: 'inspect', label: 'Inspect', content: () => <Inspect /> },
            {
              id: 'history',
              label: `History${m === undefined ? '' : ` (${m.models.length})`}`,
              content: () => (
                <DataTable
                  label="Stored role models"
                  rows={m?.models ?? []}
                  rowKey={(x) => x.id}
                  empty="No model was activated yet."
                  columns={[
                    { key: 'id', title: 'Id', align: 'right' },
                    { key: 'name', title: 'Model' },
                    {
                      key: 'state',
                      title: 'State',
                      render: (x) => (
                        <span className={x.state === 'active' ? 'badge good' : 'badge neutral'}>{x.state}</span>
                      ),
                    },
                    { key: 'roles', title: 'Roles', align: 'right' },
                    { key: 'activatedAt', title: 'Activated', render: (x) => formatTime(x.activatedAt) },
                    { key: 'activatedBy', title: 'By' },
                    { key: 'retiredAt', title: 'Retired', render: (x) => formatTime(x.retiredAt) },
                  ]}
                />
              ),
            },
          ]}
        />
      </Section>
    </Page>
  )
}
