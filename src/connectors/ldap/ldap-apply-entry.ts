/**
 * Changing an existing entry, found by the operation's key (ldap-apply-context.ts targetEntry):
 *
 * - update: one modify that replaces the given attributes (an empty value removes the attribute;
 *   a replace without values is a no-op when it is absent, so a repeated update does no harm; a
 *   group's required member becomes the empty-DN placeholder instead), the password with it (AD:
 *   unicodePwd in the same modify; ldap: the Password Modify operation first, so that a refused
 *   password leaves the entry unchanged and the next run tries both again);
 * - rename: modifyDN to a new RDN in the same container; move: modifyDN to a new container with the
 *   same RDN, which must leave the entry a row of the table (ldap-apply-parent.ts). Already so
 *   named or placed is `unchanged`;
 * - delete: one delete; an entry with children is refused by the directory (CON_LDAP_NOT_LEAF).
 *
 * Each returns the entry read back at its (new) DN.
 */
import { Attribute, Change } from 'ldapts'
import { isProvisioError } from '../../core/index.ts'
import type { OperationResult } from '../contract.ts'
import {
  invalidOperation,
  type OperationCall,
  operationValues,
  readBack,
  send,
  targetEntry,
} from './ldap-apply-context.ts'
import { placeEntry } from './ldap-apply-parent.ts'
import { formatDn, normalizeDn, parentDn, parseDn, type Rdn } from './ldap-dn.ts'
import { checkSamAccountName, encodeValue, isSamAccountName, memberPlaceholder, rdnForModifyDn } from './ldap-encode.ts'
import { ldapError } from './ldap-errors.ts'
import { checkPassword, requireEncryption, setPasswordByExop, unicodePwd } from './ldap-password.ts'

const UNCHANGED = { unchanged: true } as const

function replace(attribute: string, values: string[] | Buffer[]): Change {
  return new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values }) })
}

export async function updateEntry(call: OperationCall): Promise<OperationResult> {
  const { plan, action, session } = call
  const values = operationValues(call)
  const changes: Change[] = []
  for (const { column, value } of values.columns) {
    const encoded = encodeValue(action, plan, column, value)
    if (encoded.length > 0 && isSamAccountName(plan, column.attribute)) {
      checkSamAccountName(action, plan, column.column.name, String(value))
    }
    changes.push(replace(column.attribute, memberPlaceholder(plan, column.attribute, encoded)))
  }
  const password = values.password === undefined ? undefined : checkPassword(action, values.password)
  if (password !== undefined) requireEncryption(session.config, action)
  const { dn } = await targetEntry(call)
  if (changes.length === 0 && password === undefined) return readBack(call, dn, UNCHANGED)
  if (password !== undefined && plan.flavour === 'ad') changes.push(replace('unicodePwd', [unicodePwd(password)]))
  if (password !== undefined && plan.flavour === 'ldap') {
    await send(call, dn, (client) => setPasswordByExop(client, dn, password, action))
  }
  if (changes.length > 0) await send(call, dn, (client) => client.modify(dn, changes))
  return readBack(call, dn)
}

/** modifyDN to `rdn` below `parent`; returns the new DN as the directory will show it. */
async function modifyDn(call: OperationCall, dn: string, rdn: Rdn, parent: string): Promise<string> {
  // ldapts takes the full new DN and sends what follows the first RDN as newSuperior.
  await send(call, dn, (client) => client.modifyDN(dn, `${rdnForModifyDn(rdn)},${parent}`))
  return `${formatDn([rdn])},${parent}`
}

export async function renameEntry(call: OperationCall): Promise<OperationResult> {
  const { plan } = call
  const { rdn: value } = operationValues(call)
  if (value === undefined || value === null || value === '' || Array.isArray(value)) {
    throw invalidOperation(call, `the new ${plan.rdnAttribute} is missing or empty.`)
  }
  const { dn } = await targetEntry(call)
  const [current] = parseDn(dn)
  const rdn: Rdn = [{ attribute: plan.rdnAttribute, value: String(value) }]
  // Compared exactly, not by normal form: a rename may change only the case of a name.
  const same =
    current?.length === 1 &&
    current[0]!.attribute.toLowerCase() === plan.rdnAttribute.toLowerCase() &&
    current[0]!.value === rdn[0]!.value
  if (same) return readBack(call, dn, UNCHANGED)
  return readBack(call, await modifyDn(call, dn, rdn, parentDn(dn)))
}

export async function moveEntry(call: OperationCall): Promise<OperationResult> {
  const { action } = call
  const { parent: given } = operationValues(call)
  const { dn } = await targetEntry(call)
  const [rdn] = parseDn(dn)
  const { parent } = placeEntry(call, given, rdn!)
  if (normalizeDn(parentDn(dn)) === normalizeDn(parent)) return readBack(call, dn, UNCHANGED)
  try {
    return readBack(call, await modifyDn(call, dn, rdn!, parent))
  } catch (error) {
    // The entry was just found: a missing object now is the new container.
    if (!isProvisioError(error) || error.code !== 'CON_LDAP_NO_SUCH_OBJECT') throw error
    throw ldapError('CON_LDAP_NO_SUCH_OBJECT', `${action} (${dn}): the container ${parent} does not exist.`, {
      hint: 'Create the container first (ou_create), or correct the mapping of parent.',
      details: { ...error.details, parent },
      cause: error,
    })
  }
}

export async function deleteEntry(call: OperationCall): Promise<OperationResult> {
  const { dn } = await targetEntry(call)
  await send(call, dn, (client) => client.del(dn))
  return {}
}
