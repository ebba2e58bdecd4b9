/**
 * The parameters of an LDAP table's functions, derived from the table plan alone: one per declared
 * column (by column name; read-only ones prohibited, with the reason), plus the fixed parameters
 * that are not attributes of their own: `parent` (the container's DN), `enabled`, `password`
 * (secret), and on memberships `group` and `member`. Each names the declared column it writes when
 * there is one. ldap-functions.ts puts them together into functions.
 */
import type { FunctionParameter } from '../../core/index.ts'
import { notWritable, requiredAttributes } from './ldap-attributes.ts'
import type { LdapColumn, LdapTablePlan } from './ldap-table.ts'

/** Names of the parameters that are not attributes of the entry. */
export const PARAMETER = {
  parent: 'parent',
  enabled: 'enabled',
  password: 'password',
  group: 'group',
  member: 'member',
} as const

type Allowance = FunctionParameter['allowance']

/** The column that holds the RDN value (`cn`, `uid`, `ou`), if declared. */
function rdnColumnOf(plan: LdapTablePlan): LdapColumn | undefined {
  const rdn = plan.rdnAttribute.toLowerCase()
  return plan.columns.find((c) => c.virtual === undefined && c.attribute.toLowerCase() === rdn)
}

/** The name of the RDN parameter: the RDN column's name, or the RDN attribute when none is declared. */
export function rdnParameterOf(plan: LdapTablePlan): string {
  return rdnColumnOf(plan)?.column.name ?? plan.rdnAttribute
}

/** The column that identifies a row for keyed functions: the primary key, else the dn column. */
export function keyColumnOf(plan: LdapTablePlan): string | undefined {
  return plan.table.primaryKey ?? virtualColumn(plan, 'dn')
}

/** The name of the table's virtual column of that kind, if declared. */
export function virtualColumn(plan: LdapTablePlan, virtual: LdapColumn['virtual']): string | undefined {
  return plan.columns.find((c) => c.virtual === virtual)?.column.name
}

/** Whether enable and disable exist: always for AD users, for `ldap` users with the `disable` option. */
export function canDisable(plan: LdapTablePlan): boolean {
  return plan.objects === 'users' && (plan.flavour === 'ad' || plan.options.disable !== undefined)
}

export function fixedParameter(
  name: string,
  type: FunctionParameter['type'],
  allowance: Allowance,
  column: string | undefined,
  description: string,
  secret = false,
): FunctionParameter {
  return {
    name,
    type,
    allowance,
    ...(column === undefined ? {} : { column }),
    ...(secret ? { secret: true } : {}),
    description,
  }
}

export function parentParameter(plan: LdapTablePlan, allowance: Allowance, description: string) {
  return fixedParameter(PARAMETER.parent, 'string', allowance, virtualColumn(plan, 'parent'), description)
}

export function enabledParameter(plan: LdapTablePlan, allowance: Allowance, description: string) {
  return fixedParameter(PARAMETER.enabled, 'boolean', allowance, virtualColumn(plan, 'enabled'), description)
}

export function passwordParameter(plan: LdapTablePlan): FunctionParameter {
  const how =
    plan.flavour === 'ad'
      ? 'Written to unicodePwd; needs an encrypted connection (ldaps:// or startTLS).'
      : 'Set with the Password Modify operation (RFC 3062): the server hashes it by its own policy; needs an encrypted connection.'
  return fixedParameter(PARAMETER.password, 'string', 'optional', undefined, `The new password. ${how}`, true)
}

export function rdnParameter(plan: LdapTablePlan, allowance: Allowance, description: string): FunctionParameter {
  const column = rdnColumnOf(plan)
  return {
    name: rdnParameterOf(plan),
    type: column?.column.type ?? 'string',
    allowance,
    ...(column === undefined ? {} : { column: column.column.name }),
    description,
  }
}

/** The fixed parameters of entry functions: a real column of the same name gives way to them. */
const FIXED_NAMES = new Set<string>([PARAMETER.parent, PARAMETER.enabled, PARAMETER.password])

/**
 * The parameters of the table's real (not virtual) columns other than the RDN column, with the
 * allowance `allowanceOf` gives a writable column; columns the directory maintains are prohibited.
 */
export function columnParameters(
  plan: LdapTablePlan,
  allowanceOf: (column: LdapColumn) => Allowance,
): FunctionParameter[] {
  const rdn = rdnColumnOf(plan)
  const result: FunctionParameter[] = []
  for (const c of plan.columns) {
    if (c.virtual !== undefined || c === rdn) continue
    if (FIXED_NAMES.has(c.column.name)) continue
    const why = notWritable(c.attribute)
    result.push({
      name: c.column.name,
      type: c.column.type,
      allowance: why === undefined ? allowanceOf(c) : 'prohibited',
      column: c.column.name,
      description: why === undefined ? `Attribute ${c.attribute}.` : `Attribute ${c.attribute}: not written (${why}).`,
    })
  }
  return result
}

/** The virtual dn column, shown as prohibited so that a mapping that gives it learns why. */
export function dnParameters(plan: LdapTablePlan, how: string): FunctionParameter[] {
  const dn = virtualColumn(plan, 'dn')
  if (dn === undefined || FIXED_NAMES.has(dn)) return []
  return [fixedParameter(dn, 'string', 'prohibited', dn, `The DN is not written: ${how}.`)]
}

/** Attributes (lower case) a create must give: what the object classes require on `ldap`, the logon name of AD users. */
export function requiredOnCreate(plan: LdapTablePlan): ReadonlySet<string> {
  // A user's logon name is what people sign in with: without it AD makes one up (a `$` followed by random characters).
  if (plan.flavour === 'ad') return new Set(plan.objects === 'users' ? ['samaccountname'] : [])
  return requiredAttributes(plan.objectClasses)
}
