/**
 * One filter in the editor (or a new one), beside what it gives: the rows the text as typed selects
 * and their count (POST /api/filters/preview, which checks and runs unsaved text), inputs for its
 * parameters, and for a saved filter its SQL and explain.
 */
import { Link, useLocation } from 'wouter'
import { seg } from '../../api.ts'
import { DocumentEditor } from '../../components/editor.tsx'
import { ErrorNotice, Loading } from '../../components/feedback.tsx'
import { Page } from '../../components/layout.tsx'
import { useApi } from '../../hooks.ts'
import { FilterPreviewPanel } from './preview.tsx'
import type { FilterSummary } from './types.ts'

/** The text a new filter starts with: the start table of the project's first filter, its first column. */
function starterText(filters: readonly FilterSummary[]): string {
  const start = filters[0]?.start ?? 'system.table'
  return [
    'kind: Filter',
    'name: new_filter',
    'description: What these rows are, in one sentence.',
    `start: ${start} AS t`,
    '# joins:',
    '#   - table: other_system.other_table AS o',
    '#     mode: any',
    '#     where: o.column = :parameter',
    "# where: t.column = 'value'",
    'output: [t.*]',
    '',
  ].join('\n')
}

export function FilterEditorPage({ name }: { name?: string | undefined }) {
  const [, navigate] = useLocation()
  const list = useApi<{ filters: FilterSummary[] }>(name === undefined ? '/api/filters' : null)
  const back = (
    <span>
      <Link href="/filters">Filters</Link> / {name ?? 'new filter'}
    </span>
  )
  return (
    <Page title={name ?? 'New filter'} subtitle={back}>
      {list.error !== undefined && <ErrorNotice error={list.error} />}
      {name === undefined && list.data === undefined ? (
        list.error === undefined && <Loading what="the filters" />
      ) : (
        <DocumentEditor
          key={name ?? 'new'}
          kind={name === undefined ? undefined : 'Filter'}
          name={name}
          template={name === undefined ? starterText(list.data?.filters ?? []) : undefined}
          preview={(source) => <FilterPreviewPanel source={source} saved={name} />}
          onSaved={(saved) => {
            if (saved.name !== name) navigate(`/filters/${seg(saved.name)}`)
          }}
        />
      )}
    </Page>
  )
}
