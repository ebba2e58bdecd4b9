/** Every configured system: its connector, tables, last collection and whether that went well. */
import { Link, useLocation } from 'wouter'
import { seg } from '../../api.ts'
import { ErrorNotice, Loading, StatusBadge } from '../../components/feedback.tsx'
import { Page, Section } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatCount, formatDuration, formatTime } from '../../format.ts'
import { useApi } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import { type SystemSummary, type SystemsAnswer, type VaultTableInfo, collectionTotals } from './types.ts'

export function ConnectorBadge({ connector }: { connector: string }) {
  return <span className="badge neutral connector">{connector}</span>
}

export function CollectionStatus({ system }: { system: SystemSummary }) {
  const last = system.lastCollection
  if (last === null) return <span className="badge neutral">not collected</span>
  return <StatusBadge status={last.status} />
}

export default function SystemList() {
  const { can } = useSession()
  const [, navigate] = useLocation()
  const systems = useApi<SystemsAnswer>('/api/systems')
  const vault = useApi<{ tables: readonly VaultTableInfo[] }>('/api/vault/tables')
  const rowsOf = (system: string) =>
    (vault.data?.tables ?? []).filter((t) => t.system === system).reduce((n, t) => n + t.rows, 0)

  return (
    <Page
      title="Systems"
      subtitle="The sources and targets Provisio collects into the vault and writes to."
      actions={
        can('admin') ? (
          <Link href="/systems/new" className="button primary">
            Add system
          </Link>
        ) : undefined
      }
    >
      {systems.error !== undefined && <ErrorNotice error={systems.error} />}
      {systems.data === undefined && systems.loading && <Loading what="the systems" />}
      {systems.data !== undefined && (
        <Section>
          <DataTable
            label="Systems"
            rows={systems.data.systems}
            rowKey={(s) => s.name}
            onRowClick={(s) => navigate(`/systems/${seg(s.name)}`)}
            empty={
              <>
                No system yet.{' '}
                {can('admin') ? <Link href="/systems/new">Add the first one.</Link> : 'An admin adds them.'}
              </>
            }
            columns={[
              {
                key: 'name',
                title: 'System',
                render: (s) => (
                  <div>
                    <Link href={`/systems/${seg(s.name)}`} onClick={(e) => e.stopPropagation()}>
                      <strong>{s.name}</strong>
                    </Link>
                    {s.description !== undefined && <div className="muted small">{s.description}</div>}
                  </div>
                ),
              },
              { key: 'connector', title: 'Connector', render: (s) => <ConnectorBadge connector={s.connector} /> },
              {
                key: 'tables',
                title: 'Tables',
                render: (s) => (
                  <div className="chips">
                    {s.tables.map((t) => (
                      <Link
                        key={t}
                        href={`/systems/${seg(s.name)}/tables/${seg(t)}`}
                        className="chip"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {t}
                      </Link>
                    ))}
                  </div>
                ),
              },
              {
                key: 'rows',
                title: 'Rows in the vault',
                align: 'right',
                render: (s) => (vault.data === undefined ? '…' : formatCount(rowsOf(s.name))),
              },
              {
                key: 'last',
                title: 'Last collection',
                render: (s) =>
                  s.lastCollection === null ? (
                    <span className="muted">never</span>
                  ) : (
                    <div>
                      <div>{formatTime(s.lastCollection.startedAt)}</div>
                      <div className="muted small">
                        {s.lastCollection.kind}, {formatDuration(s.lastCollection.durationMs)}
                        {s.lastCollection.status === 'succeeded' && <> · {changesText(s)}</>}
                      </div>
                    </div>
                  ),
              },
              { key: 'status', title: 'Status', render: (s) => <CollectionStatus system={s} /> },
            ]}
          />
        </Section>
      )}
    </Page>
  )
}

function changesText(system: SystemSummary): string {
  const t = collectionTotals(system.lastCollection?.tables ?? [])
  return `+${formatCount(t.added)} ~${formatCount(t.changed)} −${formatCount(t.removed)}`
}
