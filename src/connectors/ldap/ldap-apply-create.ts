/**
 * A create: one add request with the object classes of the table plan, the RDN attribute and the
 * given attributes, then the entry read back (with the objectGUID or entryUUID the directory gave it,
 * for the write-back). What AD and OpenLDAP need beyond that:
 *
 * - AD users: userAccountControl 512 (NORMAL_ACCOUNT) when enabled, 514 when disabled (enabled
 *   defaults to "a password is given"), the password as unicodePwd in the same add;
 * - AD groups: groupType -2147483646 (global security group) and sAMAccountName = cn unless given
 *   (otherwise AD makes one up: a `$` followed by random characters);
 * - ldap users: the password set after the add with the Password Modify operation. When the server
 *   refuses it, the entry is deleted again, so that the create leaves nothing behind; should that
 *   delete fail too (the connection lost), the entry stays without a password and the error says
 *   the create failed: trying it again meets the entry (68, below) and sets the password then
 *   (a refusal then leaves the entry: this try did not add it);
 * - ldap groups of groupOfNames/groupOfUniqueNames, which must have a member: the empty DN as a
 *   placeholder when no member is given (read as no member).
 *
 * An add whose outcome is unknown (the connection lost or the answer timed out after the request
 * was sent) or that is refused because the entry exists (68) is settled by looking at the DN
 * (ldap-apply-existing.ts): an entry equal to what was sent is this create's, done before its
 * answer was lost; the create then finishes (the password on `ldap`) and succeeds. Otherwise the
 * failure stands, so that the executor confirms or retries as it does for any lost connection.
 */
import { Attribute } from 'ldapts'
import { isProvisioError, type ProvisioError, type Value } from '../../core/index.ts'
import type { OperationResult } from '../contract.ts'
import {
  invalidOperation,
  type OperationCall,
  type OperationValues,
  operationValues,
  readBack,
  send,
} from './ldap-apply-context.ts'
import { existingEntry } from './ldap-apply-existing.ts'
import { placeEntry } from './ldap-apply-parent.ts'
import {
  type AttributeValues,
  checkSamAccountName,
  encodeValue,
  invalidValue,
  isSamAccountName,
  memberPlaceholder,
  membersRequiredOnCreate,
  withDisabled,
} from './ldap-encode.ts'
import { ldapError } from './ldap-errors.ts'
import { PARAMETER } from './ldap-parameters.ts'
import { checkPassword, requireEncryption, setPasswordByExop, unicodePwd } from './ldap-password.ts'

/** AD's groupType of a global security group (ADS_GROUP_TYPE_GLOBAL_GROUP | ADS_GROUP_TYPE_SECURITY_ENABLED). */
const GLOBAL_SECURITY_GROUP = '-2147483646'

/** Failures after which the add may or may not have been done. */
const OUTCOME_UNKNOWN = new Set(['CON_LDAP_CONNECTION_LOST', 'CON_LDAP_TIMEOUT'])

/**
 * Refusals because the entry is there already, perhaps this create's own, done before: its DN (68),
 * or on AD its sAMAccountName (which of the two a server checks first is its own affair).
 */
const TAKEN = new Set(['CON_LDAP_ALREADY_EXISTS', 'CON_LDAP_NAME_TAKEN'])

/** The attributes of the add, by name case-insensitively (the directory treats names so). */
class Attributes {
  private readonly byName = new Map<string, { type: string; values: AttributeValues }>()

  set(type: string, values: AttributeValues): void {
    this.byName.set(type.toLowerCase(), { type, values })
  }

  get(type: string): AttributeValues | undefined {
    return this.byName.get(type.toLowerCase())?.values
  }

  toList(): Attribute[] {
    return [...this.byName.values()].map((a) => new Attribute({ type: a.type, values: a.values }))
  }
}

function enabledOf(call: OperationCall, value: Value | undefined): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw invalidValue(call.action, PARAMETER.enabled, value, 'is not true or false')
  return value
}

/** The account's state as the add writes it (nothing on `ldap` when enabledValue is null). */
function setState(call: OperationCall, attributes: Attributes, enabled: boolean): void {
  const current = call.plan.flavour === 'ad' ? ((attributes.get('userAccountControl') ?? []) as string[]) : []
  const change = withDisabled(call.action, call.plan, current, !enabled)
  if (change.operation === 'replace') attributes.set(change.attribute, change.values)
}

function adGroupAttributes(call: OperationCall, attributes: Attributes, rdnValue: string): void {
  if (attributes.get('groupType') === undefined) attributes.set('groupType', [GLOBAL_SECURITY_GROUP])
  if (attributes.get('sAMAccountName') === undefined) {
    checkSamAccountName(
      call.action,
      call.plan,
      `sAMAccountName (defaulting to the ${call.plan.rdnAttribute})`,
      rdnValue,
    )
    attributes.set('sAMAccountName', [rdnValue])
  }
}

/**
 * Sets the password of an added ldap entry. When the server refuses it, an entry this call added
 * (`added`) is deleted again; one an earlier try added is left as it is (it may have its password
 * from then). Once the add is done the create is finished whatever the signal says: stopping here
 * would leave an entry without its password.
 */
async function setInitialPassword(call: OperationCall, dn: string, password: string, added: boolean): Promise<void> {
  const finishing = { ...call, signal: undefined }
  try {
    await send(finishing, dn, (client) => setPasswordByExop(client, dn, password, call.action))
  } catch (failure) {
    if (added) await send(finishing, dn, (client) => client.del(dn)).catch(() => undefined)
    throw failure
  }
}

/**
 * Settles an add that failed with `error`: the entry at `dn` is the one sent (done before its
 * answer was lost: this call added it, or an earlier try did), or the failure is thrown.
 */
async function settleFailedAdd(call: OperationCall, dn: string, add: Add, error: unknown): Promise<Settled> {
  if (!isProvisioError(error)) throw error
  const unknown = OUTCOME_UNKNOWN.has(error.code)
  if (!unknown && !TAKEN.has(error.code)) throw error
  // A fresh request (the session replaces a lost connection); the add is out, so no signal stops it.
  let existing
  try {
    existing = await existingEntry({ ...call, signal: undefined }, dn, add.sent, add.absent)
  } catch (failure) {
    if (isProvisioError(failure)) throw error // still no way to tell: the original failure stands
    throw failure
  }
  if (existing === 'same') {
    return unknown
      ? { added: true, message: 'Already there: the answer to the add was lost, and the entry is there as sent.' }
      : { added: false, message: 'Already there: the entry exists as sent (a create tried again).' }
  }
  if (existing === 'absent' || !unknown) throw error
  throw differentEntry(call, dn, error)
}

function differentEntry(call: OperationCall, dn: string, cause: ProvisioError) {
  return ldapError(
    'CON_LDAP_ALREADY_EXISTS',
    `${call.action} (${dn}): the answer to the add was lost, and the entry now at that DN is not the one sent.`,
    { details: { dn }, cause },
  )
}

/** An add that did take effect: by this call, or by an earlier try of the same create. */
interface Settled {
  readonly added: boolean
  readonly message?: string | undefined
}

/** What the add sends, and the attributes it gives no value (absent from an entry equal to it). */
interface Add {
  readonly sent: readonly Attribute[]
  readonly absent: readonly string[]
}

function addOf(
  call: OperationCall,
  values: OperationValues,
  rdnValue: string,
  password: string | undefined,
  enabled: boolean | undefined,
): Add {
  const { plan, action } = call
  const attributes = new Attributes()
  attributes.set('objectClass', [...plan.objectClasses])
  attributes.set(plan.rdnAttribute, [rdnValue])
  const empty: string[] = []
  for (const { column, value } of values.columns) {
    const encoded = encodeValue(action, plan, column, value)
    if (encoded.length === 0) {
      empty.push(column.attribute)
      continue
    }
    if (isSamAccountName(plan, column.attribute)) checkSamAccountName(action, plan, column.column.name, String(value))
    attributes.set(column.attribute, encoded)
  }
  if (plan.objects === 'users' && plan.flavour === 'ad') {
    setState(call, attributes, enabled ?? password !== undefined)
    if (password !== undefined) attributes.set('unicodePwd', [unicodePwd(password)])
  } else if (plan.objects === 'users' && enabled !== undefined && plan.options.disable !== undefined) {
    setState(call, attributes, enabled)
  }
  if (plan.flavour === 'ad' && plan.objects === 'groups') adGroupAttributes(call, attributes, rdnValue)
  for (const member of membersRequiredOnCreate(plan)) {
    attributes.set(member, memberPlaceholder(plan, member, attributes.get(member) ?? []))
  }
  return { sent: attributes.toList(), absent: empty.filter((a) => attributes.get(a) === undefined) }
}

export async function createEntry(call: OperationCall): Promise<OperationResult> {
  const { plan, action, session } = call
  const values = operationValues(call)
  if (values.rdn === undefined || values.rdn === null || values.rdn === '' || Array.isArray(values.rdn)) {
    throw invalidOperation(call, `the ${plan.rdnAttribute} that names the new entry is missing or empty.`)
  }
  const rdnValue = String(values.rdn)
  const { dn } = placeEntry(call, values.parent, [{ attribute: plan.rdnAttribute, value: rdnValue }])
  const password = values.password === undefined ? undefined : checkPassword(action, values.password)
  if (password !== undefined) requireEncryption(session.config, action)
  const add = addOf(call, values, rdnValue, password, enabledOf(call, values.enabled))

  let settled: Settled = { added: true }
  try {
    await send(call, dn, (client) => client.add(dn, [...add.sent]))
  } catch (error) {
    settled = await settleFailedAdd(call, dn, add, error)
  }
  if (plan.flavour === 'ldap' && password !== undefined) await setInitialPassword(call, dn, password, settled.added)
  return readBack(call, dn, settled.message === undefined ? {} : { message: settled.message })
}
