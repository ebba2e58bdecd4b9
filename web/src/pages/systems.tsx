/**
 * Systems (NIM's Systems menu): the configured systems with their last collection; one system's
 * page (check its connection, collect it, its data model, its tables in the vault); browsing a
 * collected table with an expression filter, sorting and a row's history; and adding a system
 * from a connector's template.
 */
import { useRoute } from 'wouter'
import AddSystem from './systems/add-system.tsx'
import SystemDetail from './systems/system-detail.tsx'
import SystemList from './systems/system-list.tsx'
import VaultTable from './systems/vault-table.tsx'

export default function SystemsPage() {
  const [isNew] = useRoute('/systems/new')
  const [isTable, tableParams] = useRoute<{ name: string; table: string }>('/systems/:name/tables/:table')
  const [isSystem, systemParams] = useRoute<{ name: string }>('/systems/:name')
  if (isNew) return <AddSystem />
  if (isTable) return <VaultTable system={tableParams.name} table={tableParams.table} />
  if (isSystem) return <SystemDetail name={systemParams.name} />
  return <SystemList />
}
