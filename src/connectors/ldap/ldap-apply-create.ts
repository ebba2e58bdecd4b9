/**
 * A create: one add request with the object classes of the table plan, the RDN attribute and the
 * given attributes, then the entry read back (with the objectGUID or entryUUID the directory gave it,
 * for the write-back). What AD and OpenLDAP need beyond that:
 *
 * - AD users: userAccountControl 512 (NORMAL_ACCOUNT) when enabled, 514 when disabled (enabled
 *   defaults to "a password is given"), the password as unicodePwd in the same add;
 * - AD groups: groupType -2147483646 (global security group) and sAMAccountName = cn unless given
 *   (AD would otherwise invent `$XXXX-…`);
 * - ldap users: the password set after the add with the Password Modify operation; when that fails
 *   the entry is deleted again, so that a create either happens whole or not at all;
 * - ldap groups of groupOfNames/groupOfUniqueNames, which must have a member: the empty DN as a
 *   placeholder when no member is given (read as no member).
 */
import { Attribute } from 'ldapts'
import type { Value } from '../../core/index.ts'
import type { OperationResult } from '../contract.ts'
import { type ApplyRun, invalidOperation, operationValues, readBack, send } from './ldap-apply-context.ts'
import {
  type AttributeValues,
  checkParent,
  checkSamAccountName,
  encodeValue,
  invalidValue,
  isSamAccountName,
  newEntryDn,
  optionText,
} from './ldap-encode.ts'
import { PARAMETER } from './ldap-functions.ts'
import { checkPassword, requireEncryption, setPasswordByExop, unicodePwd } from './ldap-password.ts'
import { UAC } from './ldap-table.ts'

/** AD's groupType of a global security group (ADS_GROUP_TYPE_GLOBAL_GROUP | ADS_GROUP_TYPE_SECURITY_ENABLED). */
export const GLOBAL_SECURITY_GROUP = '-2147483646'

/** Object classes that require a member, and the attribute that holds it. */
const MEMBER_REQUIRED: Readonly<Record<string, string>> = {
  groupofnames: 'member',
  groupofuniquenames: 'uniqueMember',
}

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

function enabledOf(run: ApplyRun, value: Value | undefined): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw invalidValue(run.action, PARAMETER.enabled, value, 'is not true or false')
  return value
}

function adUserAttributes(run: ApplyRun, attributes: Attributes, enabled: boolean, password: string | undefined): void {
  const given = attributes.get('userAccountControl')?.[0]
  const flags = given === undefined ? UAC.NORMAL_ACCOUNT : Number(given)
  if (!Number.isSafeInteger(flags)) {
    throw invalidValue(run.action, 'userAccountControl', String(given), 'is not an integer')
  }
  const uac = enabled ? flags & ~UAC.ACCOUNTDISABLE : flags | UAC.ACCOUNTDISABLE
  attributes.set('userAccountControl', [String(uac)])
  if (password !== undefined) attributes.set('unicodePwd', [unicodePwd(password)])
}

function adGroupAttributes(run: ApplyRun, attributes: Attributes, rdnValue: string): void {
  if (attributes.get('groupType') === undefined) attributes.set('groupType', [GLOBAL_SECURITY_GROUP])
  if (attributes.get('sAMAccountName') === undefined) {
    checkSamAccountName(run.action, run.plan, `sAMAccountName (defaulting to the ${run.plan.rdnAttribute})`, rdnValue)
    attributes.set('sAMAccountName', [rdnValue])
  }
}

function ldapAttributes(run: ApplyRun, attributes: Attributes, enabled: boolean | undefined): void {
  const { plan } = run
  const disable = plan.options.disable
  if (plan.objects === 'users' && disable !== undefined && enabled !== undefined) {
    const value = enabled ? disable.enabledValue : disable.disabledValue
    if (value !== null) attributes.set(disable.attribute, [optionText(value)])
  }
  for (const objectClass of plan.objectClasses) {
    const member = MEMBER_REQUIRED[objectClass.toLowerCase()]
    if (member !== undefined && attributes.get(member) === undefined) attributes.set(member, [''])
  }
}

/**
 * Sets the password of a just-added ldap entry; when that fails, deletes the entry again. Once the
 * add is done the create is finished whatever the signal says: stopping here would leave an entry
 * without its password, which a retried create would then find in its way.
 */
async function setInitialPassword(run: ApplyRun, dn: string, password: string): Promise<void> {
  const finishing = { ...run, signal: undefined }
  try {
    await send(finishing, dn, (client) => setPasswordByExop(client, dn, password, run.action))
  } catch (failure) {
    await send(finishing, dn, (client) => client.del(dn)).catch(() => undefined)
    throw failure
  }
}

export async function createEntry(run: ApplyRun): Promise<OperationResult> {
  const { plan, action, session } = run
  const values = operationValues(run)
  if (values.rdn === undefined || values.rdn === null || values.rdn === '' || Array.isArray(values.rdn)) {
    throw invalidOperation(run, `the ${plan.rdnAttribute} that names the new entry is missing or empty.`)
  }
  const rdnValue = String(values.rdn)
  const parent =
    values.parent === undefined || values.parent === null || values.parent === ''
      ? plan.createIn
      : checkParent(action, plan, PARAMETER.parent, values.parent)
  const dn = newEntryDn(plan, rdnValue, parent)
  const password = values.password === undefined ? undefined : checkPassword(action, values.password)
  if (password !== undefined) requireEncryption(session.config, action)
  const enabled = enabledOf(run, values.enabled)

  const attributes = new Attributes()
  attributes.set('objectClass', [...plan.objectClasses])
  attributes.set(plan.rdnAttribute, [rdnValue])
  for (const { column, value } of values.columns) {
    const encoded = encodeValue(action, plan, column, value)
    if (encoded.length === 0) continue
    if (isSamAccountName(plan, column.attribute)) checkSamAccountName(action, plan, column.column.name, String(value))
    attributes.set(column.attribute, encoded)
  }
  if (plan.flavour === 'ad') {
    if (plan.objects === 'users') adUserAttributes(run, attributes, enabled ?? password !== undefined, password)
    if (plan.objects === 'groups') adGroupAttributes(run, attributes, rdnValue)
  } else {
    ldapAttributes(run, attributes, enabled)
  }

  await send(run, dn, (client) => client.add(dn, attributes.toList()))
  if (plan.flavour === 'ldap' && password !== undefined) await setInitialPassword(run, dn, password)
  return readBack(run, dn)
}
