/**
 * Adding a member to a group and removing one: a modify that adds or deletes one value of the
 * group's member attribute (`member`, `uniqueMember`, or `memberUid` with a uid for a value).
 *
 * The group is read first: it must be a row of the table (base, scope, filter), and its DN as the
 * server returns it is the `group` of the returned row. The member's own entry is read too (a base
 * search without attributes) and its DN as the server returns it is what is written: OpenLDAP keeps
 * a member value as it was sent, and a read then collects that spelling. So the row returned for
 * the write-back is exactly the row a read collects (ldap-memberships.ts membershipRow); a memberships
 * table has no key, and a row spelled otherwise would stay in the vault beside the collected one.
 * A member entry that cannot be read (absent, or hidden from the bind account) is written as given.
 *
 * Both are idempotent. The directory refuses a member that already is one (OpenLDAP: 20
 * attributeOrValueExists; AD and Samba: 68 entryAlreadyExists) and the removal of one that is not
 * (OpenLDAP: 16 noSuchAttribute; AD and Samba: 53 unwillingToPerform, "already deleted"). On those
 * codes the group is asked whether the member is (not) there; when it is as wanted the operation is
 * a success with `unchanged`, otherwise the refusal stands. An existing member's row is the one the
 * group holds, in the spelling the group holds it.
 *
 * A groupOfNames must keep a member (RFC 4519): removing the last one from an OpenLDAP group is
 * refused with 65 objectClassViolation, and is then done with the empty DN as a placeholder
 * (ldap-encode.ts memberPlaceholder, as creates and updates do).
 */
import { Attribute, Change, type Client, type Entry, EqualityFilter } from 'ldapts'
import { isProvisioError, qualifiedName, type Row, type Value } from '../../core/index.ts'
import type { OperationResult } from '../contract.ts'
import { noSuchEntry, type OperationCall, operationValues, send } from './ldap-apply-context.ts'
import { normalizeDn } from './ldap-dn.ts'
import { checkDn, invalidValue, memberPlaceholder } from './ldap-encode.ts'
import { readEntry } from './ldap-lookup.ts'
import { membershipRow, membershipRows } from './ldap-memberships.ts'
import { PARAMETER } from './ldap-parameters.ts'
import { rowOf, valuesOf } from './ldap-values.ts'

/** Result codes that may mean "already so", per direction; the group is asked before believing them. */
const ALREADY: Readonly<Record<'add' | 'remove', readonly number[]>> = {
  add: [20, 68],
  remove: [16, 53],
}

const OBJECT_CLASS_VIOLATION = 65

/** Failures of reading the member's entry after which it is written as given. */
const UNREADABLE_MEMBER = new Set(['CON_LDAP_NO_SUCH_OBJECT', 'CON_LDAP_INSUFFICIENT_RIGHTS'])

function isUidAttribute(attribute: string): boolean {
  return attribute.toLowerCase() === 'memberuid'
}

/** The group's DN: the `group` parameter, or the operation's key when it is the group column. */
function groupOf(call: OperationCall, given: Value | undefined): Value {
  if (given !== undefined) return given
  const key = call.operation.key
  const groupColumn = call.plan.columns.find((c) => c.virtual === 'group')?.column.name
  return key !== undefined && key.column === groupColumn ? key.value : null
}

function memberOf(call: OperationCall, given: Value | undefined): string {
  if (!isUidAttribute(call.plan.memberAttribute)) return checkDn(call.action, PARAMETER.member, given ?? null)
  if (typeof given !== 'string' || given.trim() === '') {
    throw invalidValue(call.action, PARAMETER.member, given ?? null, 'is not a uid')
  }
  return given
}

/** The group entry with the table's columns but not its members (which may be many thousands). */
async function groupEntry(call: OperationCall, dn: string): Promise<Entry> {
  const { plan } = call
  const members = new Set(plan.memberAttributes.map((a) => a.toLowerCase()))
  const attributes = plan.attributes.filter((a) => !members.has(a.toLowerCase()))
  const entry = await readEntry(call.session, { ...plan, attributes }, dn, ['objectClass'])
  if (entry === undefined) throw noSuchEntry(call, `${dn} is no group of ${qualifiedName(plan.table)}`)
  return entry
}

/** The member's DN as the server returns it; the DN as given when its entry cannot be read. A uid as given. */
async function memberDn(call: OperationCall, given: string): Promise<string> {
  if (isUidAttribute(call.plan.memberAttribute)) return given
  try {
    const { searchEntries } = await send(call, given, (client) =>
      client.search(given, { scope: 'base', attributes: ['1.1'] }),
    )
    return searchEntries[0]?.dn ?? given
  } catch (error) {
    if (isProvisioError(error) && UNREADABLE_MEMBER.has(error.code)) return given
    throw error
  }
}

async function isMember(client: Client, group: string, attribute: string, member: string): Promise<boolean> {
  const { searchEntries } = await client.search(group, {
    scope: 'base',
    filter: new EqualityFilter({ attribute, value: member }),
    attributes: ['1.1'],
  })
  return searchEntries.length > 0
}

function modification(operation: 'add' | 'delete', attribute: string, values: string[]): Change {
  return new Change({ operation, modification: new Attribute({ type: attribute, values }) })
}

/**
 * The attribute to write the member to: the table's `memberAttribute` when the option is given;
 * otherwise `uniqueMember` for a groupOfUniqueNames (which has no `member`), else `member`.
 */
function writtenAttribute(call: OperationCall, group: Entry): string {
  const { plan } = call
  if (plan.options.memberAttribute !== undefined || plan.flavour !== 'ldap') return plan.memberAttribute
  const classes = new Set(valuesOf(group, 'objectClass').map((c) => String(c).toLowerCase()))
  return classes.has('groupofuniquenames') && !classes.has('groupofnames') ? 'uniqueMember' : plan.memberAttribute
}

/** Adds or removes the member; true when it already was (not) one. */
function modifyGroup(
  call: OperationCall,
  group: string,
  member: string,
  add: boolean,
  attribute: string,
): Promise<boolean> {
  const { plan } = call
  return send(call, group, async (client) => {
    const change = modification(add ? 'add' : 'delete', attribute, [member])
    try {
      await client.modify(group, change)
      return false
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (typeof code !== 'number') throw error
      if (
        ALREADY[add ? 'add' : 'remove'].includes(code) &&
        (await isMember(client, group, attribute, member)) === add
      ) {
        return true
      }
      const placeholder = memberPlaceholder(plan, attribute, [])
      if (!add && code === OBJECT_CLASS_VIOLATION && placeholder.length > 0) {
        await client.modify(group, [change, modification('add', attribute, placeholder as string[])])
        return false
      }
      throw error
    }
  })
}

/** Whether two member values name the same member (DNs by their normal form, uids exactly). */
function sameMember(call: OperationCall, a: string, b: string): boolean {
  if (isUidAttribute(call.plan.memberAttribute)) return a === b
  try {
    return normalizeDn(a) === normalizeDn(b)
  } catch {
    return false // a value that is no DN names no member
  }
}

/** The row a read collects for a member the group already holds, in the group's spelling. */
async function heldRow(call: OperationCall, group: string, member: string): Promise<Row | undefined> {
  const entry = await readEntry(call.session, call.plan, group)
  if (entry === undefined) return undefined
  const memberColumn = call.plan.columns.find((c) => c.virtual === 'member')!.column.name
  return membershipRows(call.plan, entry).find((row) => sameMember(call, String(row[memberColumn]), member))
}

export async function changeMembership(call: OperationCall, add: boolean): Promise<OperationResult> {
  const { plan, action } = call
  const values = operationValues(call)
  const groupGiven = checkDn(action, PARAMETER.group, groupOf(call, values.group))
  const memberGiven = memberOf(call, values.member)
  call.signal?.throwIfAborted()
  const [group, member] = await Promise.all([groupEntry(call, groupGiven), memberDn(call, memberGiven)])
  const unchanged = await modifyGroup(call, group.dn, member, add, writtenAttribute(call, group))
  const outcome = unchanged ? { unchanged: true, message: add ? 'Already a member.' : 'Not a member.' } : {}
  try {
    const held = unchanged && add ? await heldRow(call, group.dn, member) : undefined
    return { ...outcome, row: held ?? membershipRow(plan, rowOf(plan, group), member) }
  } catch (error) {
    // Done, but the row does not read: the engine writes back the pair it sent.
    if (!isProvisioError(error)) throw error
    return {
      ...outcome,
      message: `${'message' in outcome ? `${outcome.message} ` : ''}Its row does not read back: ${error.message}`,
    }
  }
}
