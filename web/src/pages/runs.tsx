/**
 * The runs page: the list of runs (`/runs`) and one run's page (`/runs/:id`), with its live
 * progress, plans, operations and log (modules in pages/runs/).
 */
import { useRoute } from 'wouter'
import { RunDetail } from './runs/run-detail.tsx'
import { RunList } from './runs/run-list.tsx'

export default function RunsPage() {
  const [isRun, params] = useRoute<{ id: string }>('/runs/:id')
  if (isRun && /^\d+$/.test(params.id)) return <RunDetail key={params.id} id={Number(params.id)} />
  return <RunList />
}
