/**
 * The audit: writes to targets (what was written where, before and after, by whom and in which
 * run) and administration (logins, users and tokens, configuration changes, manual runs, approvals).
 */
import { useSearchParams } from 'wouter'
import { Page, Tabs } from '../components/layout.tsx'
import { AdminTab } from './audit/admin-tab.tsx'
import { WritesTab } from './audit/writes-tab.tsx'

export default function AuditPage() {
  const [params] = useSearchParams()
  return (
    <Page title="Audit" subtitle="Who changed what, and when.">
      <Tabs
        initial={params.get('tab') === 'administration' ? 'administration' : 'writes'}
        tabs={[
          { id: 'writes', label: 'Writes to targets', content: () => <WritesTab /> },
          { id: 'administration', label: 'Administration', content: () => <AdminTab /> },
        ]}
      />
    </Page>
  )
}
