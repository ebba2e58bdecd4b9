/**
 * Directory values to row values, and row values back to filter assertions. An entry's attributes
 * become the data model's shapes by the column's declared type:
 *
 * | type       | accepts                                                                            |
 * |------------|------------------------------------------------------------------------------------|
 * | string     | any text; binary values as their GUID/SID form (objectGUID, objectSid) or base64    |
 * | integer    | whole numbers within ±2^53                                                         |
 * | number     | decimal numbers                                                                    |
 * | boolean    | TRUE/FALSE (LDAP's Boolean syntax), 1/0; any case                                  |
 * | datetime   | GeneralizedTime (`20261204210000.0Z`, offsets, fractions), ISO 8601 text; FILETIME  |
 * |            | integers only in AD's FILETIME attributes (isFiletime): other digits are refused    |
 * | date       | the same, as the UTC date of that instant                                          |
 * | string[]   | all values, sorted (UTF-16 code units) without duplicates, like every connector    |
 *
 * An absent attribute is null, and so are an empty list and the FILETIMEs 0 and 9223372036854775807
 * (AD's "never"). A single-valued column receiving several values is an error naming the entry and
 * the attribute, never a silent pick of one: declare such a column `string[]`. A group's member
 * column reads every member attribute of the plan (member and uniqueMember on flavour ldap).
 */
import { qualifiedName, type Row, type Value } from '../../core/index.ts'
import type { Entry } from 'ldapts'
import { binaryToText } from './ldap-binary.ts'
import { isDnValued } from './ldap-attributes.ts'
import { canonicalDn, DnSyntaxError, parentDn } from './ldap-dn.ts'
import { ldapError } from './ldap-errors.ts'
import { encodeValue } from './ldap-encode.ts'
import { isSecretAttribute, type LdapColumn, type LdapTablePlan, UAC } from './ldap-table.ts'
import { isFiletime, parseFiletime, parseGeneralizedTime, parseIsoTime } from './ldap-time.ts'

export { guidToBuffer, guidToString, sidToBuffer, sidToString } from './ldap-binary.ts'

type Raw = string | Buffer

/**
 * The key under which `entry` holds `attribute`, matched case-insensitively (servers spell names
 * their own way), or undefined when it has none. `dn` is the entry's name, never an attribute.
 */
export function attributeKey(entry: Entry, attribute: string): string | undefined {
  // Servers mostly answer with the spelling asked for: try it first. This runs for every column of
  // every entry of a collection, so the fallback compares lengths before it allocates lower case.
  if (attribute === 'dn') return undefined
  if (entry[attribute] !== undefined) return attribute
  const wanted = attribute.toLowerCase()
  for (const key of Object.keys(entry)) {
    if (key.length === wanted.length && key !== 'dn' && key.toLowerCase() === wanted) return key
  }
  return undefined
}

/** Every value of `attribute` in `entry`, matched case-insensitively (see {@link attributeKey}). */
export function valuesOf(entry: Entry, attribute: string): readonly Raw[] {
  const key = attributeKey(entry, attribute)
  if (key === undefined) return []
  const raw = entry[key]!
  return Array.isArray(raw) ? raw : [raw]
}

/** uniqueMember's optional UID part (RFC 4517 Name and Optional UID: `cn=x,dc=y#'0101'B`). */
const OPTIONAL_UID = /(?<!\\)#'[01]*'B$/

/**
 * The members of a group entry: the values of every member attribute the table reads (member, and
 * uniqueMember on flavour ldap unless `memberAttribute` is set), uniqueMember's optional UID part
 * dropped. The placeholder of a groupOfNames without members (the empty DN) is left to the caller.
 */
export function memberValues(plan: LdapTablePlan, entry: Entry): Raw[] {
  if (plan.memberAttributes.length === 1) return [...valuesOf(entry, plan.memberAttributes[0]!)]
  return plan.memberAttributes.flatMap((attribute) => {
    const values = valuesOf(entry, attribute)
    return attribute.toLowerCase() === 'uniquemember'
      ? values.map((v) => (typeof v === 'string' ? v.replace(OPTIONAL_UID, '') : v))
      : values
  })
}

/** A value that does not read as its column's type; `rowOf` adds the entry and attribute. */
class Unreadable {
  constructor(
    readonly expected: string,
    readonly hint?: string,
  ) {}
}

const asText = (attribute: string, raw: Raw) => (Buffer.isBuffer(raw) ? binaryToText(attribute, raw) : raw)

function readInteger(text: string): Value | Unreadable {
  const n = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN
  if (Number.isSafeInteger(n)) return n === 0 ? 0 : n
  const hint = /^\d{15,}$/.test(text.trim())
    ? 'This looks like an AD FILETIME (a point in time): declare the column as datetime.'
    : undefined
  return new Unreadable(`a whole number between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`, hint)
}

function readNumber(text: string): Value | Unreadable {
  const n = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : NaN
  return Number.isFinite(n) ? (n === 0 ? 0 : n) : new Unreadable('a number')
}

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false }

function readBoolean(text: string): Value | Unreadable {
  return BOOLEANS[text.trim().toLowerCase()] ?? new Unreadable('TRUE or FALSE')
}

/**
 * A FILETIME integer in AD's FILETIME attributes (isFiletime); elsewhere GeneralizedTime or ISO 8601
 * text (a date kept in a text attribute). Digits alone are no time outside FILETIME attributes: an
 * OpenLDAP employeeNumber of 19700 is not an instant of 1601.
 */
function readInstant(filetime: boolean, text: string): number | null | Unreadable {
  if (filetime) {
    const time = parseFiletime(text) // null: 0 and the largest integer, AD's "never"
    return time === undefined ? new Unreadable('an AD FILETIME integer (100-nanosecond intervals since 1601)') : time
  }
  return (
    parseGeneralizedTime(text) ??
    parseIsoTime(text) ??
    new Unreadable(
      'a GeneralizedTime (20261204210000Z) or an ISO 8601 date',
      /^\s*\d+\s*$/.test(text)
        ? "Digits alone are a point in time only in AD's known FILETIME attributes (accountExpires, pwdLastSet…): declare the column as integer or string."
        : undefined,
    )
  )
}

function readDatetime(filetime: boolean, text: string, dateOnly: boolean): Value | Unreadable {
  const time = readInstant(filetime, text)
  if (time === null || time instanceof Unreadable) return time
  const iso = new Date(time).toISOString()
  return dateOnly ? iso.slice(0, 10) : iso
}

function readScalar(plan: LdapTablePlan, column: LdapColumn, text: string): Value | Unreadable {
  switch (column.column.type) {
    case 'integer':
      return readInteger(text)
    case 'number':
      return readNumber(text)
    case 'boolean':
      return readBoolean(text)
    case 'date':
      return readDatetime(isFiletime(plan, column), text, true)
    case 'datetime':
      return readDatetime(isFiletime(plan, column), text, false)
    default:
      return text
  }
}

function readList(column: LdapColumn, values: readonly Raw[]): Value {
  const texts = values.map((raw) => asText(column.attribute, raw)).filter((t) => t !== '')
  const sorted = [...new Set(texts)].sort()
  return sorted.length === 0 ? null : sorted
}

/**
 * A real attribute's values: all of them for string[], exactly one otherwise. A Buffer in a
 * column of another type than string is refused rather than its bytes read as digits.
 */
function readValues(plan: LdapTablePlan, column: LdapColumn, values: readonly Raw[]): Value | Unreadable {
  if (values.length === 0) return null
  if (column.column.type === 'string[]') return readList(column, values)
  if (values.length > 1) {
    return new Unreadable(
      `one value (it has ${values.length})`,
      `Declare the column as string[] to keep all values of ${column.attribute}.`,
    )
  }
  const raw = values[0]!
  if (Buffer.isBuffer(raw) && column.column.type !== 'string')
    return new Unreadable(`${column.column.type}, not binary`)
  return readScalar(plan, column, asText(column.attribute, raw))
}

function readEnabled(plan: LdapTablePlan, entry: Entry): Value | Unreadable {
  if (plan.flavour === 'ad') {
    const [uac] = valuesOf(entry, 'userAccountControl')
    if (uac === undefined) return null
    const flags = readInteger(String(uac))
    return typeof flags === 'number' ? (flags & UAC.ACCOUNTDISABLE) === 0 : flags
  }
  const disable = plan.options.disable
  if (disable === undefined) return null
  const disabled = textOf(disable.disabledValue)
  return !valuesOf(entry, disable.attribute).some((raw) => asText(disable.attribute, raw) === disabled)
}

/** A scalar option value as the directory writes it (booleans as TRUE/FALSE). */
function textOf(value: string | number | boolean): string {
  return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value)
}

function parentOf(dn: string): Value | Unreadable {
  try {
    return parentDn(dn)
  } catch (error) {
    if (error instanceof DnSyntaxError) return new Unreadable('a DN whose parent can be told')
    throw error
  }
}

/** A real attribute's values; a group's member column reads every member attribute of the plan. */
function columnValues(plan: LdapTablePlan, column: LdapColumn, entry: Entry): readonly Raw[] {
  const values =
    column.attribute.toLowerCase() === plan.memberAttribute.toLowerCase()
      ? memberValues(plan, entry)
      : valuesOf(entry, column.attribute)
  return isDnValued(column.attribute) ? values.map((v) => (typeof v === 'string' ? canonicalDn(v) : v)) : values
}

function readColumn(plan: LdapTablePlan, column: LdapColumn, entry: Entry): Value | Unreadable {
  switch (column.virtual) {
    case 'dn':
    case 'group':
      return canonicalDn(entry.dn)
    case 'parent':
      return parentOf(canonicalDn(entry.dn))
    case 'enabled':
      return readEnabled(plan, entry)
    case 'member':
      return null // one row per member: the memberships reader sets it
    default:
      return readValues(plan, column, columnValues(plan, column, entry))
  }
}

/** Shows a value in a message, shortened (a value read from a directory may be long). */
function shown(values: readonly Raw[]): string {
  const text = values.map((v) => (Buffer.isBuffer(v) ? `${v.length} bytes` : JSON.stringify(v))).join(', ')
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}

/** What a message shows for a virtual column that does not read: what it is computed from. */
const SHOWN_INSTEAD: Readonly<Record<string, string>> = { enabled: 'userAccountControl', parent: 'dn' }

/**
 * Every declared column of the table for one entry, keyed by column name. On a memberships table
 * `group` is the entry's DN and `member` null (the reader makes one row per member). Throws
 * CON_LDAP_UNREADABLE_VALUE naming the entry, attribute and column for a value that does not fit.
 */
export function rowOf(plan: LdapTablePlan, entry: Entry): Row {
  const row: Row = {}
  for (const column of plan.columns) {
    const value = readColumn(plan, column, entry)
    if (value instanceof Unreadable) {
      const attribute = SHOWN_INSTEAD[column.virtual ?? ''] ?? column.attribute
      // A secret attribute is never a column (checkedPlan refuses it); should one get here, its
      // value is still not shown.
      const values = attribute === 'dn' ? [entry.dn] : valuesOf(entry, attribute)
      const text = isSecretAttribute(attribute) ? 'a secret (not shown)' : shown(values)
      throw ldapError(
        'CON_LDAP_UNREADABLE_VALUE',
        `${qualifiedName(plan.table)}.${column.column.name}: ${attribute} of ${entry.dn} is ${text}, not ${value.expected}.`,
        {
          ...(value.hint === undefined ? {} : { hint: value.hint }),
          details: { table: plan.table.name, column: column.column.name, attribute, dn: entry.dn },
        },
      )
    }
    row[column.column.name] = value
  }
  return row
}

function invalidSearch(plan: LdapTablePlan, column: LdapColumn, why: string): Error {
  return ldapError('CON_LDAP_INVALID_VALUE', `${qualifiedName(plan.table)}.${column.column.name}: ${why}.`, {
    details: { table: plan.table.name, column: column.column.name },
  })
}

/**
 * The assertion value of an equality filter that finds `value` in `column` (the inverse of
 * {@link rowOf}): GUID and SID text as their bytes, base64 of other binary attributes as bytes,
 * datetimes as GeneralizedTime (FILETIME integers for AD's FILETIME attributes), booleans as
 * TRUE/FALSE. Put it in an ldapts EqualityFilter object (which encodes the bytes as they are), never
 * in filter text: ldapts's parser reads `\xx` escapes as UTF-16 code units, which corrupts binary
 * values. A virtual column's value (a DN) is returned as is: find it with a base-scope search, not
 * a filter. Throws CON_LDAP_INVALID_VALUE for null, a list, or text that is not the column's binary
 * form.
 */
export function searchValue(plan: LdapTablePlan, column: LdapColumn, value: Value): string | Buffer {
  if (value === null || Array.isArray(value)) {
    throw invalidSearch(plan, column, 'only a single value can be searched for')
  }
  if (column.virtual === 'enabled') throw invalidSearch(plan, column, 'enabled is computed, not searchable')
  // Written as a write would write it (ldap-encode.ts): one encoding of row values for both.
  const [assertion] = encodeValue(`Lookup in ${qualifiedName(plan.table)}`, plan, column, value)
  return assertion ?? ''
}

/**
 * Whether the account `entry` is disabled, as a read sees it (the enabled column, readEnabled);
 * undefined when the table cannot tell (no userAccountControl, no `disable` option). Throws
 * CON_LDAP_UNREADABLE_VALUE for a userAccountControl that is not an integer.
 */
export function isDisabled(plan: LdapTablePlan, entry: Entry): boolean | undefined {
  const enabled = readEnabled(plan, entry)
  if (enabled instanceof Unreadable) {
    throw ldapError(
      'CON_LDAP_UNREADABLE_VALUE',
      `${qualifiedName(plan.table)}: userAccountControl of ${entry.dn} is ${shown(valuesOf(entry, 'userAccountControl'))}, not ${enabled.expected}.`,
      { details: { table: plan.table.name, attribute: 'userAccountControl', dn: entry.dn } },
    )
  }
  return enabled === null ? undefined : !enabled
}
