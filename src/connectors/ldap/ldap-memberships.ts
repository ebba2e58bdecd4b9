/**
 * The rows of a memberships table: one per (group, member) pair of each group entry, from the
 * group's `memberAttribute` (ldap-read.ts gathers the values of every member attribute the plan
 * reads there first), with the group's other declared columns on every row. An empty group gives
 * no rows.
 *
 * A memberships table has no key: the vault identifies its rows by all their values. So the row a
 * membership function returns for the write-back is built here too ({@link membershipRow}), from
 * the same parts a read takes: the group's DN and columns as the server returns them, and the
 * member as the group holds it.
 */
import type { Row } from '../../core/index.ts'
import type { Entry } from 'ldapts'
import { canonicalDn } from './ldap-dn.ts'
import { NO_MEMBER } from './ldap-encode.ts'
import type { LdapTablePlan } from './ldap-table.ts'
import { rowOf, valuesOf } from './ldap-values.ts'

/**
 * The row of one pair: `group` is the group entry's row (rowOf: its DN as the server returns it,
 * its other declared columns), `member` the member's DN (or uid) as the group holds it.
 */
export function membershipRow(plan: LdapTablePlan, group: Row, member: string): Row {
  const row = { ...group }
  for (const c of plan.columns) if (c.virtual === 'member') row[c.column.name] = canonicalDn(member)
  return row
}

export function membershipRows(plan: LdapTablePlan, entry: Entry): Row[] {
  // The placeholder a groupOfNames holds when it has no real member is nobody: it gives no row.
  const members = valuesOf(entry, plan.memberAttribute).filter((m) => String(m) !== NO_MEMBER)
  if (members.length === 0) return []
  const group = rowOf(plan, entry)
  return members.map((member) => membershipRow(plan, group, String(member)))
}
