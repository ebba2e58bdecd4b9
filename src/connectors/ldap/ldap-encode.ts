/**
 * Row values to attribute values for add, modify and equality filters (the inverse of
 * ldap-values.ts rowOf), and the checks a value must pass before anything is sent: AD's rules for
 * sAMAccountName, and DNs given as values (`parent`, `group`, `member`). A failed check is
 * CON_LDAP_INVALID_VALUE naming the parameter and the value; callers never pass a password here
 * (ldap-password.ts handles it).
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
import { isRequiredMemberAttribute, requiredMemberAttributes } from './ldap-attributes.ts'
import { textToBinary } from './ldap-binary.ts'
import { DnSyntaxError, escapeDnValue, parseDn, type Rdn } from './ldap-dn.ts'
import { ldapError } from './ldap-errors.ts'
import { type LdapColumn, type LdapTablePlan, UAC } from './ldap-table.ts'
import { isFiletime, toFiletime, toGeneralizedTime } from './ldap-time.ts'

/** The values of one attribute as ldapts sends them; empty means "no value". */
export type AttributeValues = string[] | Buffer[]

/** AD's longest logon name for users (the pre-Windows 2000 limit); groups may have up to 256. */
const SAM_ACCOUNT_NAME_MAX = { users: 20, groups: 256 } as const

/** Characters AD refuses in a sAMAccountName (`@` too: it would read as a UPN at logon). */
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/

/** A scalar option value (the `disable` option's values) as the directory writes it: booleans as TRUE/FALSE. */
export function optionText(value: string | number | boolean): string {
  return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value)
}

const shownOne = (value: Value | Buffer): string =>
  Buffer.isBuffer(value) ? `${value.length} bytes` : JSON.stringify(value)

/**
 * Shows a row value, or the raw values of an attribute, in a message: texts quoted, lists joined
 * with commas, binary values by their size, shortened to 80 characters. Never call it with a password.
 */
export function shown(value: Value | Buffer | readonly (string | Buffer)[]): string {
  const text = Array.isArray(value) ? value.map(shownOne).join(', ') : shownOne(value as Value | Buffer)
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
  const written = isFiletime(plan, column) ? toFiletime(value) : toGeneralizedTime(value)
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
  if (typeof value === 'boolean') return optionText(value)
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
 * The empty DN a group of RFC 4519 holds in place of no member: groupOfNames and
 * groupOfUniqueNames require a value of member (uniqueMember), and OpenLDAP enforces it (65
 * objectClassViolation). A read takes it for no member (ldap-memberships.ts). AD's groups may be empty.
 */
export const NO_MEMBER = ''

/**
 * The values to write to `attribute`: `values`, or the placeholder {@link NO_MEMBER} in place of
 * none where the table's groups must keep a member: on `ldap`, the member attribute the object
 * classes of the table require (a memberships table: its member attribute, when it is one of them).
 */
export function memberPlaceholder(plan: LdapTablePlan, attribute: string, values: AttributeValues): AttributeValues {
  if (values.length > 0 || plan.flavour !== 'ldap') return values
  const name = attribute.toLowerCase()
  const required =
    plan.objects === 'memberships'
      ? isRequiredMemberAttribute(name) && plan.memberAttribute.toLowerCase() === name
      : requiredMemberAttributes(plan.objectClasses).some((a) => a.toLowerCase() === name)
  return required ? [NO_MEMBER] : values
}

/** The member attributes a create must give a value of (the placeholder when none is given). */
export function membersRequiredOnCreate(plan: LdapTablePlan): string[] {
  return plan.flavour === 'ldap' ? requiredMemberAttributes(plan.objectClasses) : []
}

/** A change of one attribute that puts an account in the wanted state (see {@link withDisabled}). */
interface StateChange {
  readonly operation: 'replace' | 'delete'
  readonly attribute: string
  readonly values: string[]
}

/**
 * The change that makes an account disabled or enabled; `current` holds its present values of the
 * attribute concerned (none on a create):
 *
 * - AD: userAccountControl with bit 2 (ACCOUNTDISABLE) set or cleared, every other bit kept
 *   (DONT_EXPIRE_PASSWORD, SMARTCARD_REQUIRED… are the administrator's); NORMAL_ACCOUNT when none;
 * - ldap: the `disable` option's attribute replaced by disabledValue or enabledValue, or the
 *   disabledValue deleted when enabledValue is null (keeping other values of the attribute).
 *
 * Whether the account is already so is for ldap-values.ts isDisabled to say.
 */
export function withDisabled(
  action: string,
  plan: LdapTablePlan,
  current: readonly string[],
  disabled: boolean,
): StateChange {
  if (plan.flavour === 'ad') {
    const given = current[0]
    const flags = given === undefined ? UAC.NORMAL_ACCOUNT : Number(given)
    if (!/^-?\d+$/.test(given ?? '0') || !Number.isSafeInteger(flags)) {
      throw invalidValue(action, 'userAccountControl', given ?? null, 'is not an integer')
    }
    const wanted = disabled ? flags | UAC.ACCOUNTDISABLE : flags & ~UAC.ACCOUNTDISABLE
    return { operation: 'replace', attribute: 'userAccountControl', values: [String(wanted)] }
  }
  const disable = plan.options.disable
  if (disable === undefined)
    throw ldapError('CON_LDAP_INVALID_OPERATION', `${action}: the table has no disable option.`)
  const value = disabled ? disable.disabledValue : disable.enabledValue
  if (value !== null) return { operation: 'replace', attribute: disable.attribute, values: [optionText(value)] }
  return { operation: 'delete', attribute: disable.attribute, values: [optionText(disable.disabledValue)] }
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
 * A DN given as a parameter value: a non-empty text that parses as a DN. Only checked: the text is
 * returned unchanged, and a request made with it finds the entry in any spelling (the directory
 * compares DNs by their normal form). What the directory stores as a value, though, may keep this
 * spelling (OpenLDAP keeps a member DN's case): callers that write a DN as a value send the entry's
 * own DN where they can (ldap-apply-membership.ts).
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

/**
 * An RDN for ldapts's modifyDN. ldapts splits the new DN at the first comma not preceded by a
 * backslash, so a value ending in an escaped backslash (`cn=a\\,ou=x`) would be cut in the wrong
 * place; writing backslashes as `\5c` (equally valid, RFC 4514) leaves no `\\` before a separator.
 */
export function rdnForModifyDn(rdn: Rdn): string {
  return rdn.map((p) => `${p.attribute}=${escapeDnValue(p.value).replace(/\\\\/g, '\\5c')}`).join('+')
}
