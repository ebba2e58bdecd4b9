// PLACEHOLDER (being written): proves reachability, TLS trust, credentials and the base DN.
import type { LdapSession } from './ldap-session.ts'

export async function checkDirectory(_session: LdapSession): Promise<void> {
  throw new Error('not built yet')
}
