/**
 * Roles: the role models (the development model in the project, the active one and the history),
 * what activating the development model would change (its diff against the active one, both
 * resolved against the vault), activating it, and inspecting a member, group or role.
 */
import { ErrorNotice, Loading } from '../components/feedback.tsx'
import { Facts, Page, Section, Tabs } from '../components/layout.tsx'
import { DataTable } from '../components/table.tsx'
import { formatTime } from '../format.ts'
import { useApi } from '../hooks.ts'
import { useSession } from '../session.tsx'
import type { Models, Diff } from './roles/types.ts'
import { Activate } from './roles/activate.tsx'
import { DiffView } from './roles/diff-view.tsx'
import { Inspect } from './roles/inspect.tsx'

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
