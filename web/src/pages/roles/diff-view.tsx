/** What activating the development model would change: roles, groups and members added and removed. */
import { Notice } from '../../components/feedback.tsx'
import { Facts } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatCount } from '../../format.ts'
import type { Diff } from './types.ts'

export function List({ items, max = 8 }: { items: readonly string[]; max?: number }) {
  if (items.length === 0) return <span className="muted">—</span>
  return (
    <span className="small">
      {items.slice(0, max).join(', ')}
      {items.length > max && <span className="muted"> and {items.length - max} more</span>}
    </span>
  )
}

export function DiffView({ diff }: { diff: Diff }) {
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
