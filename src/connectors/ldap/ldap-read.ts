// PLACEHOLDER (being written): paged reads and lookups.
import type { Row, Value } from '../../core/index.ts'
import type { ReadOptions, ReadPage } from '../contract.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapTablePlan } from './ldap-table.ts'

export function readEntries(
  _session: LdapSession,
  _plan: LdapTablePlan,
  _options: ReadOptions,
): AsyncIterable<ReadPage> {
  throw new Error('not built yet')
}

export async function lookupEntry(
  _session: LdapSession,
  _plan: LdapTablePlan,
  _column: string,
  _value: Value,
): Promise<Row | undefined> {
  throw new Error('not built yet')
}
