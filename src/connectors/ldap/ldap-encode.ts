/**
 * Row values to attribute values for add and modify (the inverse of ldap-values.ts), and the checks
 * a value must pass before anything is sent: AD's rules for sAMAccountName, and DNs given as values
 * (`parent`, `group`, `member`). A failed check is CON_LDAP_INVALID_VALUE naming the parameter and
 * the value; callers never pass a password here (ldap-password.ts handles it).
 *
 * | column type | written as                                                                  |
 * |-------------|-----------------------------------------------------------------------------|
 * | string      | the text; binary attributes from their GUID/SID form or base64               |
 * | integer, number | decimal text                                                             |
 * | boolean     | TRUE / FALSE (LDAP's Boolean syntax)                                         |
 * | date, datetime | GeneralizedTime (`20261204210000Z`); AD's FILETIME attributes as integers  |
 * | string[]    | one value per element                                                        |
 *
 * null, an empty text and an empty list mean "no value": left out of a create, removed by an update.
 */
import type { Value } from '../../core/index.ts'
import { textToBinary } from './ldap-binary.ts'
import { childDn, DnSyntaxError, escapeDnValue, isWithin, parseDn, type Rdn } from './ldap-dn.ts'
import { ldapError } from './ldap-errors.ts'
import type { LdapColumn, LdapTablePlan } from './ldap-table.ts'
import { isFiletimeAttribute, toFiletime, toGeneralizedTime } from './ldap-time.ts'

/** The values of one attribute as ldapts sends them; empty means "no value". */
export type AttributeValues = string[] | Buffer[]

/** AD's longest logon name for users (the pre-Windows 2000 limit); groups may have up to 256. */
export const SAM_ACCOUNT_NAME_MAX = { users: 20, groups: 256 } as const

/** Characters AD refuses in a sAMAccountName (`@` too: it would read as a UPN at logon). */
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/

/** A scalar option value (the `disable` option's values) as the directory writes it: booleans as TRUE/FALSE. */
export function optionText(value: string | number | boolean): string {
  return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value)
}

/** Shows a value in a message, shortened. Never call it with a password. */
function shown(value: Value): string {
  const text = JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}

/** CON_LDAP_INVALID_VALUE for a parameter: `action` names the function and table. */
export function invalidValue(action: string, parameter: string, value: Value, why: string, hint?: string) {
  return ldapError('CON_LDAP_INVALID_VALUE', `${action}: ${parameter} ${shown(value)} ${why}.`, {
    ...(hint === undefined ? {} : { hint }),
    details: { parameter, value },
  })
}

function instant(action: string, plan: LdapTablePlan, column: LdapColumn, value: string): string {
  const filetime = plan.flavour === 'ad' && isFiletimeAttribute(column.attribute)
  const written = filetime ? toFiletime(value) : toGeneralizedTime(value)
  if (written === undefined) throw invalidValue(action, column.column.name, value, 'is not a date or datetime')
  return written
}

function binary(action: string, column: LdapColumn, value: string | number | boolean): Buffer {
  const bytes = textToBinary(column.attribute, String(value))
  if (bytes === undefined) {
    throw invalidValue(action, column.column.name, value, `is not a valid ${column.attribute} value`)
  }
  return bytes
}

function text(action: string, plan: LdapTablePlan, column: LdapColumn, value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  const type = column.column.type
  if ((type === 'date' || type === 'datetime') && typeof value === 'string') return instant(action, plan, column, value)
  return String(value)
}

/**
 * The values to write for a column's row value; [] for "no value". AD's accountExpires has no
 * "absent": its "never" is 0 (what the AD tools write), which reads back as null.
 */
export function encodeValue(action: string, plan: LdapTablePlan, column: LdapColumn, value: Value): AttributeValues {
  const values = value === null ? [] : Array.isArray(value) ? value : [value as string | number | boolean]
  const present = values.filter((v) => v !== '')
  if (present.length === 0) {
    return plan.flavour === 'ad' && column.attribute.toLowerCase() === 'accountexpires' ? ['0'] : []
  }
  if (present.length > 1 && column.column.type !== 'string[]') {
    throw invalidValue(action, column.column.name, value, 'has several values, but the column holds one')
  }
  return column.binary
    ? present.map((v) => binary(action, column, v))
    : present.map((v) => text(action, plan, column, v))
}

/**
 * Checks a sAMAccountName the way AD would, without a round trip: at most 20 characters for users
 * (256 for groups), none of `"/\[]:;|=,+*?<>@`, not only dots and spaces.
 */
export function checkSamAccountName(action: string, plan: LdapTablePlan, parameter: string, value: string): void {
  const max = plan.objects === 'users' ? SAM_ACCOUNT_NAME_MAX.users : SAM_ACCOUNT_NAME_MAX.groups
  const hint =
    'Make the name generator (or the mapping) produce a valid logon name: at most 20 characters for users, none of "/\\[]:;|=,+*?<>@.'
  if ([...value].length > max) throw invalidValue(action, parameter, value, `is longer than ${max} characters`, hint)
  const bad = SAM_FORBIDDEN.exec(value)
  if (bad !== null) throw invalidValue(action, parameter, value, `contains '${bad[0]}', which AD refuses`, hint)
  if (/^[. ]*$/.test(value)) throw invalidValue(action, parameter, value, 'consists only of dots and spaces', hint)
}

/** Whether `column` is AD's sAMAccountName (checked before it is sent). */
export function isSamAccountName(plan: LdapTablePlan, attribute: string): boolean {
  return plan.flavour === 'ad' && attribute.toLowerCase() === 'samaccountname'
}

/**
 * A DN given as a parameter value: a non-empty text that parses as a DN. Returned as given (the
 * directory compares DNs by their normal form itself).
 */
export function checkDn(action: string, parameter: string, value: Value): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidValue(
      action,
      parameter,
      value,
      'is not a DN',
      'Give a distinguished name such as OU=Staff,DC=example,DC=test.',
    )
  }
  try {
    parseDn(value)
  } catch (error) {
    if (!(error instanceof DnSyntaxError)) throw error
    throw invalidValue(
      action,
      parameter,
      value,
      `is not a DN (${error.message})`,
      'Escape , + " \\ < > ; = in values as \\, \\+ …',
    )
  }
  return value
}

/** A container DN (`parent`) that must lie within the table's base, or the new entry would be out of the table. */
export function checkParent(action: string, plan: LdapTablePlan, parameter: string, value: Value): string {
  const dn = checkDn(action, parameter, value)
  if (!isWithin(dn, plan.base)) {
    throw invalidValue(
      action,
      parameter,
      value,
      `is not within the table's base ${plan.base}`,
      "An entry there would not be a row of the table: give a container below the base, or widen the table's `base`.",
    )
  }
  return dn
}

/** The DN of a new entry: `rdnAttribute=<value escaped>,parent`. */
export function newEntryDn(plan: LdapTablePlan, rdnValue: string, parent: string): string {
  return childDn(plan.rdnAttribute, rdnValue, parent)
}

/**
 * An RDN for ldapts's modifyDN. ldapts splits the new DN at the first comma not preceded by a
 * backslash, so a value ending in an escaped backslash (`cn=a\\,ou=x`) would be cut in the wrong
 * place; writing backslashes as `\5c` (equally valid, RFC 4514) leaves no `\\` before a separator.
 */
export function rdnForModifyDn(rdn: Rdn): string {
  return rdn.map((p) => `${p.attribute}=${escapeDnValue(p.value).replace(/\\\\/g, '\\5c')}`).join('+')
}
