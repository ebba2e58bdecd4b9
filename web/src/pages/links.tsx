/**
 * Links (NIM's Match): how two systems' tables relate through a key, and the match report of a
 * link: the rows only on the left, in common, and only on the right, with samples of each.
 */
import { useState } from 'react'
import { Link, useLocation, useRoute } from 'wouter'
import { seg } from '../api.ts'
import { ErrorNotice, Loading, Notice } from '../components/feedback.tsx'
import { Facts, Page, Section, Tabs } from '../components/layout.tsx'
import { DataTable, columnsOf } from '../components/table.tsx'
import { formatCount, formatValue } from '../format.ts'
import { useApi } from '../hooks.ts'

interface LinkSummary {
  readonly name: string
  readonly description?: string
  readonly leftColumn: string
  readonly rightColumn: string
  readonly caseInsensitive: boolean
  readonly leftExpression?: string
  readonly rightExpression?: string
  readonly file: string
}

type Row = Record<string, unknown>

interface MatchAnswer {
  readonly link: string
  readonly leftColumn: string
  readonly rightColumn: string
  readonly left: { readonly only: number; readonly samples: readonly Row[] }
  readonly common: { readonly count: number; readonly samples: readonly { left: Row; right: Row }[] }
  readonly right: { readonly only: number; readonly samples: readonly Row[] }
  readonly duplicates: { readonly left: number; readonly right: number }
}

const SAMPLE_SIZES = [10, 25, 100, 500]

export default function LinksPage() {
  const [one, params] = useRoute<{ name: string }>('/links/:name')
  return one ? <LinkMatch name={params.name} /> : <LinkList />
}

/** `hr500.employees.employee_id` → the system, the table, and the column. */
function columnParts(column: string) {
  const [system = '', table = '', ...rest] = column.split('.')
  return { system, table, column: rest.join('.') }
}

function ColumnRef({ column }: { column: string }) {
  const { system, table, column: name } = columnParts(column)
  return (
    <span className="column-ref">
      <Link href={`/systems/${seg(system)}/tables/${seg(table)}`} onClick={(e) => e.stopPropagation()}>
        {system}.{table}
      </Link>
      .<strong>{name}</strong>
    </span>
  )
}

function LinkList() {
  const [, navigate] = useLocation()
  const links = useApi<{ links: readonly LinkSummary[] }>('/api/links')
  return (
    <Page
      title="Links"
      subtitle="Which rows of two systems belong together: a key on the left equal to one on the right."
    >
      {links.error !== undefined && <ErrorNotice error={links.error} />}
      {links.data === undefined && links.loading && <Loading what="the links" />}
      {links.data !== undefined && (
        <Section>
          <DataTable
            label="Links"
            rows={links.data.links}
            rowKey={(l) => l.name}
            onRowClick={(l) => navigate(`/links/${seg(l.name)}`)}
            empty="No link yet: a Link document joins a column of one system to a column of another."
            columns={[
              {
                key: 'name',
                title: 'Link',
                render: (l) => (
                  <div>
                    <Link href={`/links/${seg(l.name)}`} onClick={(e) => e.stopPropagation()}>
                      <strong>{l.name}</strong>
                    </Link>
                    {l.description !== undefined && <div className="muted small">{l.description}</div>}
                  </div>
                ),
              },
              {
                key: 'left',
                title: 'Left',
                render: (l) => (
                  <>
                    <ColumnRef column={l.leftColumn} />
                    {l.leftExpression !== undefined && <div className="muted small mono">{l.leftExpression}</div>}
                  </>
                ),
              },
              { key: 'eq', title: '', render: () => <span className="muted">=</span> },
              {
                key: 'right',
                title: 'Right',
                render: (l) => (
                  <>
                    <ColumnRef column={l.rightColumn} />
                    {l.rightExpression !== undefined && <div className="muted small mono">{l.rightExpression}</div>}
                  </>
                ),
              },
              {
                key: 'case',
                title: 'Compare',
                render: (l) => (l.caseInsensitive ? 'in any case' : 'exactly'),
              },
              { key: 'file', title: 'File', render: (l) => <span className="muted small">{l.file}</span> },
            ]}
          />
        </Section>
      )}
    </Page>
  )
}

function LinkMatch({ name }: { name: string }) {
  const [samples, setSamples] = useState(25)
  const match = useApi<MatchAnswer>(`/api/links/${seg(name)}/match`, { samples })
  const links = useApi<{ links: readonly LinkSummary[] }>('/api/links')
  const link = links.data?.links.find((l) => l.name.toLowerCase() === name.toLowerCase())
  const m = match.data
  const leftTable = columnParts(m?.leftColumn ?? '')
  const rightTable = columnParts(m?.rightColumn ?? '')

  return (
    <Page
      title={link?.name ?? name}
      subtitle={
        <>
          <Link href="/links">Links</Link> › {link?.description ?? 'match report'}
        </>
      }
      actions={
        <>
          <label className="inline-label">
            Samples
            <select value={samples} onChange={(e) => setSamples(Number(e.target.value))}>
              {SAMPLE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => match.reload()} disabled={match.loading}>
            {match.loading ? 'Matching…' : 'Match again'}
          </button>
          {link !== undefined && (
            <Link href={`/documents/Link/${seg(link.name)}`} className="button">
              Configuration
            </Link>
          )}
        </>
      }
    >
      {match.error !== undefined && <ErrorNotice error={match.error} title="The match could not be made" />}
      {m === undefined && match.loading && <Loading what="the match" />}
      {m !== undefined && (
        <>
          <Section>
            <div className="match-summary">
              <MatchBox tone="left" count={m.left.only} label={`only in ${leftTable.system}`} />
              <MatchBox tone="common" count={m.common.count} label="in common" />
              <MatchBox tone="right" count={m.right.only} label={`only in ${rightTable.system}`} />
            </div>
            <Facts
              items={[
                ['Left', <ColumnRef key="l" column={m.leftColumn} />],
                ['Right', <ColumnRef key="r" column={m.rightColumn} />],
                ['Compared', link === undefined ? '…' : link.caseInsensitive ? 'in any case' : 'exactly'],
                [
                  'Matched',
                  `${percent(m.common.count, m.common.count + m.left.only)} of the left, ${percent(m.common.count, m.common.count + m.right.only)} of the right`,
                ],
              ]}
            />
            {(m.duplicates.left > 0 || m.duplicates.right > 0) && (
              <Notice kind="warning">
                Some keys occur more than once: {formatCount(m.duplicates.left)} on the left,{' '}
                {formatCount(m.duplicates.right)} on the right. Such rows match several rows of the other side.
              </Notice>
            )}
          </Section>
          <Section>
            <Tabs
              tabs={[
                {
                  id: 'left',
                  label: `Only left (${formatCount(m.left.only)})`,
                  content: () => (
                    <Samples
                      what={`rows of ${leftTable.system}.${leftTable.table} without a match in ${rightTable.system}`}
                      count={m.left.only}
                      rows={m.left.samples}
                    />
                  ),
                },
                {
                  id: 'common',
                  label: `Common (${formatCount(m.common.count)})`,
                  content: () => <CommonSamples match={m} />,
                },
                {
                  id: 'right',
                  label: `Only right (${formatCount(m.right.only)})`,
                  content: () => (
                    <Samples
                      what={`rows of ${rightTable.system}.${rightTable.table} without a match in ${leftTable.system}`}
                      count={m.right.only}
                      rows={m.right.samples}
                    />
                  ),
                },
              ]}
            />
          </Section>
        </>
      )}
    </Page>
  )
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 1000) / 10}%`
}

function MatchBox({ tone, count, label }: { tone: string; count: number; label: string }) {
  return (
    <div className={`match-box ${tone}`}>
      <div className="value">{formatCount(count)}</div>
      <div className="label">{label}</div>
    </div>
  )
}

function Samples({ what, count, rows }: { what: string; count: number; rows: readonly Row[] }) {
  return (
    <>
      <p className="muted small">
        {count === 0
          ? `No ${what}.`
          : `${formatCount(count)} ${what}${rows.length < count ? `; the first ${formatCount(rows.length)} shown` : ''}.`}
      </p>
      {count > 0 && (
        <div className="nowrap-cells">
          <DataTable label={what} rows={rows} columns={columnsOf(rows, 14)} />
        </div>
      )}
    </>
  )
}

function CommonSamples({ match }: { match: MatchAnswer }) {
  const rows = match.common.samples
  const left = columnParts(match.leftColumn)
  const right = columnParts(match.rightColumn)
  const leftColumns = columnsOf(
    rows.map((r) => r.left),
    6,
  )
  const rightColumns = columnsOf(
    rows.map((r) => r.right),
    6,
  )
  return (
    <>
      <p className="muted small">
        {match.common.count === 0
          ? 'No row matches.'
          : `${formatCount(match.common.count)} pairs match${rows.length < match.common.count ? `; the first ${formatCount(rows.length)} shown` : ''}, the left row beside the right one.`}
      </p>
      {rows.length > 0 && (
        <div className="nowrap-cells">
          <DataTable
            label="Common rows"
            rows={rows}
            columns={[
              ...leftColumns.map((c) => ({
                key: `l.${c.key}`,
                title: `${left.system}.${c.key}`,
                render: (r: { left: Row }) => formatValue(r.left[c.key]),
              })),
              { key: 'sep', title: '', render: () => <span className="muted">⇄</span> },
              ...rightColumns.map((c) => ({
                key: `r.${c.key}`,
                title: `${right.system}.${c.key}`,
                render: (r: { right: Row }) => formatValue(r.right[c.key]),
              })),
            ]}
          />
        </div>
      )}
    </>
  )
}
