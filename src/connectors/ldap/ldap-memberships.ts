/**
 * The rows of a memberships table: one per (group, member) pair of each group entry, from the
 * group's member attribute (`member` by default; `uniqueMember`, `memberUid` with the table's
 * `memberAttribute` option), with the group's other declared attributes on every row. An empty
 * group gives no rows.
 */
import type { Row } from '../../core/index.ts'
import type { Entry } from 'ldapts'
import type { LdapTablePlan } from './ldap-table.ts'
import { rowOf, valuesOf } from './ldap-values.ts'

/** The attributes a search for a memberships table asks for: the declared ones and the member attribute. */
export function membershipAttributes(plan: LdapTablePlan): string[] {
  const wanted = plan.memberAttribute.toLowerCase()
  return plan.attributes.some((a) => a.toLowerCase() === wanted)
    ? [...plan.attributes]
    : [...plan.attributes, plan.memberAttribute]
}

export function membershipRows(plan: LdapTablePlan, entry: Entry): Row[] {
  // An empty value is the placeholder a groupOfNames needs when it has no real member (see
  // ldap-apply-membership.ts): it is nobody, so it gives no row.
  const members = valuesOf(entry, plan.memberAttribute).filter((m) => String(m) !== '')
  if (members.length === 0) return []
  const group = rowOf(plan, entry)
  const memberColumns = plan.columns.filter((c) => c.virtual === 'member').map((c) => c.column.name)
  return members.map((member) => {
    const row = { ...group }
    for (const name of memberColumns) row[name] = String(member)
    return row
  })
}
