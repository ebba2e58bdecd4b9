/**
 * A system's data model: the tables and columns its configuration declares (from its System
 * document), and, on request, what the system itself offers (discover), marking what the
 * configuration does not declare yet.
 */
import { useCallback, useState } from 'react'
import { api, seg } from '../../api.ts'
import { ErrorNotice, Notice } from '../../components/feedback.tsx'
import { Section, Tabs } from '../../components/layout.tsx'
import { DataTable } from '../../components/table.tsx'
import { useAction, useApi } from '../../hooks.ts'
import { useSession } from '../../session.tsx'
import type { DiscoveredColumn, DiscoveredTable } from './types.ts'

interface DeclaredColumn {
  readonly name: string
  readonly type: string
  readonly source?: string | undefined
  readonly caseInsensitive?: boolean | undefined
}

interface DeclaredTable {
  readonly name: string
  readonly primaryKey?: string | undefined
  readonly referenceKeys: readonly string[]
  readonly columns: readonly DeclaredColumn[]
}

/** The `tables:` of a System document's parsed value (not validated: read defensively). */
function declaredTables(value: Record<string, unknown> | undefined): DeclaredTable[] {
  const tables = value?.['tables']
  if (tables === null || typeof tables !== 'object') return []
  return Object.entries(tables as Record<string, Record<string, unknown> | null>).map(([name, t]) => {
    const columns = (t?.['columns'] ?? {}) as Record<string, unknown>
    return {
      name,
      primaryKey: typeof t?.['primaryKey'] === 'string' ? t['primaryKey'] : undefined,
      referenceKeys: Array.isArray(t?.['referenceKeys']) ? (t['referenceKeys'] as string[]) : [],
      columns: Object.entries(columns).map(([column, spec]) => {
        if (typeof spec === 'string') return { name: column, type: spec }
        const s = (spec ?? {}) as Record<string, unknown>
        return {
          name: column,
          type: typeof s['type'] === 'string' ? s['type'] : '?',
          source: typeof s['source'] === 'string' ? s['source'] : undefined,
          caseInsensitive: s['caseInsensitive'] === true,
        }
      }),
    }
  })
}

function Keys({
  table,
  column,
}: {
  table: { primaryKey?: string | undefined; referenceKeys?: readonly string[] | undefined }
  column: string
}) {
  if (table.primaryKey === column) return <span className="badge attention">primary key</span>
  if (table.referenceKeys?.includes(column)) return <span className="badge busy">reference key</span>
  return null
}

interface ModelRow {
  readonly name: string
  readonly declared?: DeclaredColumn | undefined
  readonly offered?: DiscoveredColumn | undefined
}

/** The declared columns, then those the system offers besides (after a discover). */
function modelRows(declared: DeclaredTable | undefined, offered: DiscoveredTable | undefined): ModelRow[] {
  const rows: ModelRow[] = (declared?.columns ?? []).map((c) => ({
    name: c.name,
    declared: c,
    offered: offered?.columns.find((o) => o.name.toLowerCase() === (c.source ?? c.name).toLowerCase()),
  }))
  for (const o of offered?.columns ?? [])
    if (!rows.some((r) => r.offered === o)) rows.push({ name: o.name, offered: o })
  return rows
}

export function DataModel({ system }: { system: string }) {
  const { can } = useSession()
  const document = useApi<{ value: Record<string, unknown> }>(`/api/documents/System/${seg(system)}`)
  const discover = useAction(
    useCallback(
      () => api.post<{ tables: readonly DiscoveredTable[] }>(`/api/systems/${seg(system)}/discover`),
      [system],
    ),
  )
  const [offered, setOffered] = useState<readonly DiscoveredTable[] | undefined>(undefined)
  const declared = declaredTables(document.data?.value)
  const offeredFor = (name: string) => offered?.find((t) => t.name.toLowerCase() === name.toLowerCase())
  const undeclared = (offered ?? []).filter((t) => !declared.some((d) => d.name.toLowerCase() === t.name.toLowerCase()))
  const tables = [
    ...declared.map((d) => ({ name: d.name, declared: d, offered: offeredFor(d.name) })),
    ...undeclared.map((t) => ({ name: t.name, declared: undefined, offered: t })),
  ]

  return (
    <Section
      title="Data model"
      actions={
        can('run') && (
          <button
            type="button"
            onClick={async () => setOffered((await discover.run())?.tables)}
            disabled={discover.pending}
          >
            {discover.pending
              ? 'Discovering…'
              : offered === undefined
                ? 'Discover what the system offers'
                : 'Discover again'}
          </button>
        )
      }
    >
      {document.error !== undefined && <ErrorNotice error={document.error} />}
      {discover.error !== undefined && <ErrorNotice error={discover.error} title="Discover failed" />}
      {offered !== undefined && (
        <Notice>
          The system offers {offered.length} table{offered.length === 1 ? '' : 's'}
          {undeclared.length > 0 ? `, ${undeclared.length} of them not declared` : ''}: the column “In the system” shows
          what it has for each declared column.
        </Notice>
      )}
      {tables.length === 0 ? (
        <Notice>The configuration declares no table.</Notice>
      ) : (
        <Tabs
          tabs={tables.map((t) => ({
            id: t.name,
            label: (
              <>
                {t.name} <span className="muted small">{t.declared?.columns.length ?? t.offered?.columns.length}</span>
                {t.declared === undefined && <span className="badge warn">not declared</span>}
              </>
            ),
            content: () => (
              <ModelTable name={t.name} declared={t.declared} offered={t.offered} discovered={offered !== undefined} />
            ),
          }))}
        />
      )}
    </Section>
  )
}

function ModelTable({
  name,
  declared,
  offered,
  discovered,
}: {
  name: string
  declared: DeclaredTable | undefined
  offered: DiscoveredTable | undefined
  discovered: boolean
}) {
  const keys = declared ?? offered ?? { referenceKeys: [] }
  return (
    <DataTable<ModelRow>
      label={`Columns of ${name}`}
      rows={modelRows(declared, offered)}
      rowKey={(r) => r.name}
      columns={[
        { key: 'name', title: 'Column', render: (r) => <code>{r.name}</code> },
        {
          key: 'type',
          title: 'Type',
          render: (r) =>
            r.declared === undefined ? (
              <span className="badge warn">not declared</span>
            ) : (
              <>
                {r.declared.type}
                {r.declared.caseInsensitive === true && <span className="muted small"> (any case)</span>}
              </>
            ),
        },
        { key: 'keys', title: 'Key', render: (r) => <Keys table={keys} column={r.name} /> },
        { key: 'source', title: 'Read from', render: (r) => r.declared?.source ?? <span className="muted">—</span> },
        ...(discovered
          ? [
              {
                key: 'offered',
                title: 'In the system',
                render: (r: ModelRow) =>
                  r.offered === undefined ? (
                    <span className="badge bad">missing</span>
                  ) : (
                    <span className="muted">{r.offered.nativeType ?? r.offered.type}</span>
                  ),
              },
            ]
          : []),
      ]}
    />
  )
}
