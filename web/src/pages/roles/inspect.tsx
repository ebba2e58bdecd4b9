/** What a member, group or role is granted by the role model, and why. */
import { useState } from 'react'
import { withQuery } from '../../api.ts'
import { ErrorNotice, Loading, Notice } from '../../components/feedback.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatCount } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import type { Inspection } from './types.ts'
import { List } from './diff-view.tsx'

export function Inspect() {
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
