/**
 * Filters: the project's filters with how many rows each gives now, and the editor of one (or of a
 * new one) with a live preview of the rows the text as typed selects, its SQL and how each item of
 * it narrows the rows (explain).
 */
import { useRoute } from 'wouter'
import { FilterEditorPage } from './filters/editor.tsx'
import { FilterList } from './filters/list.tsx'

export default function FiltersPage() {
  const [isNew] = useRoute('/filters/new')
  const [isOne, params] = useRoute<{ name: string }>('/filters/:name')
  if (isNew) return <FilterEditorPage />
  if (isOne) return <FilterEditorPage name={decodeURIComponent(params.name)} />
  return <FilterList />
}
