// PLACEHOLDER (being written): finding one entry by a key column.
import type { Row, Value } from '../../core/index.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapTablePlan } from './ldap-table.ts'

export async function lookupEntry(
  _session: LdapSession,
  _plan: LdapTablePlan,
  _column: string,
  _value: Value,
): Promise<Row | undefined> {
  throw new Error('not built yet')
}
