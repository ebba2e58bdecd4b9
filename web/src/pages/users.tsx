/**
 * Users (admins only): the users with their roles, adding one with a one-time password, removing
 * one; and the API tokens of scripts.
 */
import { Notice } from '../components/feedback.tsx'
import { Page } from '../components/layout.tsx'
import { useSession } from '../session.tsx'
import { TokensSection } from './users/tokens-section.tsx'
import { UsersSection } from './users/users-section.tsx'

export default function UsersPage() {
  const { can } = useSession()
  if (!can('admin'))
    return (
      <Page title="Users">
        <Notice kind="warning">Only an admin manages users.</Notice>
      </Page>
    )
  return (
    <Page title="Users" subtitle="Who may use the Studio and the API, and with which role.">
      <UsersSection />
      <TokensSection />
    </Page>
  )
}
