// PLACEHOLDER (being written): proposes users, groups, ous and memberships tables.
import type { DiscoveredTable } from '../contract.ts'
import type { LdapSession } from './ldap-session.ts'

export async function discoverDirectory(_session: LdapSession): Promise<readonly DiscoveredTable[]> {
  throw new Error('not built yet')
}
