/**
 * Changing an existing entry, found by the operation's key (ldap-apply-context.ts targetDn):
 *
 * - update: one modify that replaces the given attributes (an empty value removes the attribute;
 *   a replace without values is a no-op when it is absent, so a repeated update does no harm), the
 *   password with it (AD: unicodePwd in the same modify; ldap: the Password Modify operation first,
 *   so that a refused password leaves the entry unchanged and the next run tries both again);
 * - rename: modifyDN to a new RDN in the same container; move: modifyDN to a new container with the
 *   same RDN. Already so named or placed is `unchanged`;
 * - delete: one delete; an entry with children is refused by the directory (CON_LDAP_NOT_LEAF).
 *
 * Each returns the entry read back at its (new) DN.
 */
import { Attribute, Change } from 'ldapts'
import { isProvisioError } from '../../core/index.ts'
import type { OperationResult } from '../contract.ts'
import { type ApplyRun, invalidOperation, operationValues, readBack, send, targetDn } from './ldap-apply-context.ts'
import { formatDn, normalizeDn, parentDn, parseDn, type Rdn } from './ldap-dn.ts'
import { ldapError } from './ldap-errors.ts'
import { checkParent, checkSamAccountName, encodeValue, isSamAccountName, rdnForModifyDn } from './ldap-encode.ts'
import { PARAMETER } from './ldap-functions.ts'
import { checkPassword, requireEncryption, setPasswordByExop, unicodePwd } from './ldap-password.ts'

export async function updateEntry(run: ApplyRun): Promise<OperationResult> {
  const { plan, action, session } = run
  const values = operationValues(run)
  const changes: Change[] = []
  for (const { column, value } of values.columns) {
    const encoded = encodeValue(action, plan, column, value)
    if (encoded.length > 0 && isSamAccountName(plan, column.attribute)) {
      checkSamAccountName(action, plan, column.column.name, String(value))
    }
    changes.push(
      new Change({ operation: 'replace', modification: new Attribute({ type: column.attribute, values: encoded }) }),
    )
  }
  const password = values.password === undefined ? undefined : checkPassword(action, values.password)
  if (password !== undefined) requireEncryption(session.config, action)
  const dn = await targetDn(run)
  if (changes.length === 0 && password === undefined) return readBack(run, dn, true)
  if (password !== undefined && plan.flavour === 'ad') {
    changes.push(
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
      }),
    )
  }
  if (password !== undefined && plan.flavour === 'ldap') {
    await send(run, dn, (client) => setPasswordByExop(client, dn, password, action))
  }
  if (changes.length > 0) await send(run, dn, (client) => client.modify(dn, changes))
  return readBack(run, dn)
}

/** modifyDN to `rdn` below `parent`; returns the new DN as the directory will show it. */
async function modifyDn(run: ApplyRun, dn: string, rdn: Rdn, parent: string): Promise<string> {
  // ldapts takes the full new DN and sends what follows the first RDN as newSuperior.
  await send(run, dn, (client) => client.modifyDN(dn, `${rdnForModifyDn(rdn)},${parent}`))
  return `${formatDn([rdn])},${parent}`
}

export async function renameEntry(run: ApplyRun): Promise<OperationResult> {
  const { plan } = run
  const { rdn: value } = operationValues(run)
  if (value === undefined || value === null || value === '' || Array.isArray(value)) {
    throw invalidOperation(run, `the new ${plan.rdnAttribute} is missing or empty.`)
  }
  const dn = await targetDn(run)
  const [current] = parseDn(dn)
  const rdn: Rdn = [{ attribute: plan.rdnAttribute, value: String(value) }]
  // Compared exactly, not by normal form: a rename may change only the case of a name.
  const same =
    current?.length === 1 &&
    current[0]!.attribute.toLowerCase() === plan.rdnAttribute.toLowerCase() &&
    current[0]!.value === rdn[0]!.value
  if (same) return readBack(run, dn, true)
  return readBack(run, await modifyDn(run, dn, rdn, parentDn(dn)))
}

export async function moveEntry(run: ApplyRun): Promise<OperationResult> {
  const { plan, action } = run
  const { parent: given } = operationValues(run)
  const parent = checkParent(action, plan, PARAMETER.parent, given ?? null)
  const dn = await targetDn(run)
  if (normalizeDn(parentDn(dn)) === normalizeDn(parent)) return readBack(run, dn, true)
  const [rdn] = parseDn(dn)
  try {
    return readBack(run, await modifyDn(run, dn, rdn!, parent))
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

export async function deleteEntry(run: ApplyRun): Promise<OperationResult> {
  const dn = await targetDn(run)
  await send(run, dn, (client) => client.del(dn))
  return {}
}
