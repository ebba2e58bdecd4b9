/**
 * One system: check its connection, collect it now (what each table gained, changed and lost), its
 * tables in the vault, its data model as configured and as the system offers it (discover), and its
 * recent collections.
 */
import { useCallback, useState } from 'react'
import { Link, useSearch } from 'wouter'
import { type ApiError, api, seg } from '../../api.ts'
import { ErrorNotice, Loading, Notice, StatusBadge } from '../../components/feedback.tsx'
import { Facts, Page, Section } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { formatCount, formatDuration, formatTime } from '../../format.ts'
import { useAction, useApi, useInterval } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import { DataModel } from './data-model.tsx'
import { ConnectorBadge } from './system-list.tsx'
import {
  type CheckAnswer,
  type CollectionRecord,
  type CollectionResult,
  type SystemsAnswer,
  type TableCounts,
  type VaultTableInfo,
  collectionTotals,
} from './types.ts'

export default function SystemDetail({ name }: { name: string }) {
  const { can } = useSession()
  const systems = useApi<SystemsAnswer>('/api/systems')
  const vault = useApi<{ tables: readonly VaultTableInfo[] }>('/api/vault/tables')
  const collections = useApi<{ collections: readonly CollectionRecord[] }>('/api/collections', {
    system: name,
    limit: 10,
  })
  const check = useAction(useCallback(() => api.post<CheckAnswer>(`/api/systems/${seg(name)}/check`), [name]))
  const [checked, setChecked] = useState<CheckAnswer | undefined>(undefined)
  const collect = useAction(
    useCallback((force: boolean) => api.post<CollectionResult>(`/api/systems/${seg(name)}/collect`, { force }), [name]),
  )
  const [collected, setCollected] = useState<CollectionResult | undefined>(undefined)
  const added = new URLSearchParams(useSearch()).has('added')

  if (systems.error !== undefined) return <ErrorNotice error={systems.error} />
  if (systems.data === undefined) return <Loading what="the system" />
  const system = systems.data.systems.find((s) => s.name.toLowerCase() === name.toLowerCase())
  if (system === undefined)
    return (
      <Page title={name}>
        <Notice kind="warning">
          There is no system {name}. <Link href="/systems">All systems</Link>
        </Notice>
      </Page>
    )

  const runCheck = async () => {
    setChecked(undefined)
    setChecked(await check.run())
  }
  const runCollect = async (force = false) => {
    setCollected(undefined)
    const answer = await collect.run(force)
    if (answer !== undefined) setCollected(answer)
    systems.reload()
    vault.reload()
    collections.reload()
  }
  const tables = (vault.data?.tables ?? []).filter((t) => t.system === system.name)
  const last = system.lastCollection

  return (
    <Page
      title={system.name}
      subtitle={
        <>
          <Link href="/systems">Systems</Link> › {system.description ?? `a ${system.connector} system`}
        </>
      }
      actions={
        <>
          <Link href={`/documents/System/${seg(system.name)}`} className="button">
            {can('admin') ? 'Edit configuration' : 'Configuration'}
          </Link>
          {can('run') && (
            <>
              <button type="button" onClick={runCheck} disabled={check.pending}>
                {check.pending ? 'Checking…' : 'Check connection'}
              </button>
              <button type="button" className="primary" onClick={() => void runCollect()} disabled={collect.pending}>
                {collect.pending ? 'Collecting…' : 'Collect'}
              </button>
            </>
          )}
        </>
      }
    >
      {added && collected === undefined && !collect.pending && (
        <Notice kind="success">
          System {system.name} is added to the configuration.{' '}
          {can('run') ? 'Check its connection, then collect it into the vault.' : 'An operator can now collect it.'}
        </Notice>
      )}
      <Section>
        <Facts
          items={[
            ['Connector', <ConnectorBadge key="c" connector={system.connector} />],
            ['Tables', system.tables.length],
            ['Rows in the vault', vault.data === undefined ? '…' : formatCount(tables.reduce((n, t) => n + t.rows, 0))],
            ['Last collection', last === null ? 'never' : formatTime(last.startedAt)],
            [
              'Status',
              last === null ? (
                <span className="badge neutral">not collected</span>
              ) : (
                <StatusBadge status={last.status} />
              ),
            ],
          ]}
        />
      </Section>

      {(check.pending || checked !== undefined || check.error !== undefined) && (
        <CheckResult pending={check.pending} answer={checked} />
      )}
      {check.error !== undefined && <ErrorNotice error={check.error} title="The check could not run" />}

      {collect.pending && <CollectProgress system={system.name} />}
      {collect.error !== undefined && (
        <CollectError error={collect.error} onForce={can('run') ? () => void runCollect(true) : undefined} />
      )}
      {collected !== undefined && <CollectResult result={collected} />}

      <Section title="Tables in the vault">
        <DataTable
          label="Tables in the vault"
          rows={system.tables.map((t) => tables.find((v) => v.table === t) ?? t)}
          rowKey={(t) => (typeof t === 'string' ? t : t.table)}
          empty="This system declares no table."
          columns={[
            {
              key: 'table',
              title: 'Table',
              render: (t) => {
                const table = typeof t === 'string' ? t : t.table
                return <Link href={`/systems/${seg(system.name)}/tables/${seg(table)}`}>{table}</Link>
              },
            },
            {
              key: 'rows',
              title: 'Rows',
              align: 'right',
              render: (t) =>
                typeof t === 'string' ? <span className="muted">not collected</span> : formatCount(t.rows),
            },
            {
              key: 'columns',
              title: 'Columns',
              align: 'right',
              render: (t) => (typeof t === 'string' ? '—' : t.columns),
            },
            {
              key: 'at',
              title: 'Collected',
              render: (t) => (typeof t === 'string' ? '—' : formatTime(t.lastCollectedAt)),
            },
          ]}
        />
      </Section>

      <DataModel system={system.name} />

      <Section title="Recent collections">
        {collections.error !== undefined && <ErrorNotice error={collections.error} />}
        <DataTable
          label="Recent collections"
          rows={collections.data?.collections ?? []}
          rowKey={(c) => c.id}
          empty={collections.loading ? 'Loading…' : 'Not collected yet.'}
          columns={[
            { key: 'id', title: '#', align: 'right' },
            { key: 'startedAt', title: 'Started', render: (c) => formatTime(c.startedAt) },
            { key: 'kind', title: 'Kind' },
            {
              key: 'status',
              title: 'Status',
              render: (c) => (
                <>
                  <StatusBadge status={c.status} /> {c.forced && <span className="badge warn">forced</span>}
                </>
              ),
            },
            { key: 'duration', title: 'Duration', align: 'right', render: (c) => formatDuration(c.durationMs) },
            {
              key: 'added',
              title: 'Added',
              align: 'right',
              render: (c) => formatCount(collectionTotals(c.tables).added),
            },
            {
              key: 'changed',
              title: 'Changed',
              align: 'right',
              render: (c) => formatCount(collectionTotals(c.tables).changed),
            },
            {
              key: 'removed',
              title: 'Removed',
              align: 'right',
              render: (c) => formatCount(collectionTotals(c.tables).removed),
            },
            {
              key: 'message',
              title: 'Message',
              render: (c) =>
                c.errorCode === null ? (
                  <span className="muted">—</span>
                ) : (
                  <span>
                    <code className="code-badge">{c.errorCode}</code> {c.message}
                  </span>
                ),
            },
          ]}
        />
      </Section>
    </Page>
  )
}

function CheckResult({ pending, answer }: { pending: boolean; answer: CheckAnswer | undefined }) {
  if (pending) return <Notice>Connecting to the system…</Notice>
  if (answer === undefined) return null
  if (answer.ok)
    return (
      <Notice kind="success">
        <strong>Connection works.</strong> {answer.system} is reachable and its credentials are accepted.
      </Notice>
    )
  return (
    <div className="notice error" role="alert">
      <div>
        <strong>Connection failed: {answer.error?.message}</strong>{' '}
        <code className="code-badge">{answer.error?.code}</code>
      </div>
      {answer.error?.hint !== undefined && <div className="hint">{answer.error.hint}</div>}
    </div>
  )
}

/** A collection answers only when done: an indeterminate bar and the time it has taken so far. */
function CollectProgress({ system }: { system: string }) {
  const [started] = useState(() => Date.now())
  const [now, setNow] = useState(started)
  useInterval(() => setNow(Date.now()), 500)
  return (
    <Section title={`Collecting ${system}…`}>
      <div className="progress indeterminate" role="progressbar" aria-label={`Collecting ${system}`}>
        <div />
      </div>
      <p className="muted small">
        Reading every table into the vault ({formatDuration(now - started)} so far). Nothing changes in the vault until
        all tables are read.
      </p>
    </Section>
  )
}

function CollectError({ error, onForce }: { error: ApiError; onForce?: (() => void) | undefined }) {
  const guard = error.code.includes('GUARD')
  return (
    <>
      <ErrorNotice error={error} title="The collection failed; the vault keeps its previous state" />
      {guard && onForce !== undefined && (
        <div className="actions">
          <button type="button" className="danger" onClick={onForce}>
            Collect anyway (override the guard)
          </button>
        </div>
      )}
    </>
  )
}

function CollectResult({ result }: { result: CollectionResult }) {
  const totals = collectionTotals(result.tables)
  return (
    <Section
      title={
        <>
          Collection {result.id} <StatusBadge status={result.status} />
        </>
      }
    >
      <p className="muted" role="status">
        Collected in {formatDuration(result.durationMs)}: {formatCount(totals.added)} added,{' '}
        {formatCount(totals.changed)} changed, {formatCount(totals.removed)} removed.
      </p>
      {result.overriddenGuards.length > 0 && (
        <Notice kind="warning">Guards overridden: {result.overriddenGuards.join(', ')}</Notice>
      )}
      <DataTable<TableCounts>
        label="Collected tables"
        rows={result.tables}
        rowKey={(t) => t.table}
        columns={[
          { key: 'table', title: 'Table' },
          { key: 'rowsBefore', title: 'Rows before', align: 'right' },
          { key: 'rowsAfter', title: 'Rows after', align: 'right' },
          { key: 'added', title: 'Added', align: 'right', render: (t) => <Delta n={t.added} tone="good" /> },
          { key: 'changed', title: 'Changed', align: 'right', render: (t) => <Delta n={t.changed} tone="busy" /> },
          { key: 'removed', title: 'Removed', align: 'right', render: (t) => <Delta n={t.removed} tone="bad" /> },
          { key: 'incremental', title: 'Mode', render: (t) => (t.incremental ? 'incremental' : 'full') },
        ]}
      />
    </Section>
  )
}

function Delta({ n, tone }: { n: number; tone: string }) {
  return n === 0 ? <span className="muted">0</span> : <span className={`delta ${tone}`}>{formatCount(n)}</span>
}
