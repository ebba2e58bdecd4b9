/**
 * Adding a member to a group and removing one: a modify that adds or deletes one value of the
 * group's member attribute (`member`, `uniqueMember`, or `memberUid` with a uid for a value).
 *
 * Both are idempotent. The directory refuses a member that already is one (OpenLDAP: 20
 * attributeOrValueExists; AD and Samba: 68 entryAlreadyExists) and the removal of one that is not
 * (OpenLDAP: 16 noSuchAttribute; AD and Samba: 53 unwillingToPerform, "already deleted"). On those
 * codes the group is asked whether the member is (not) there; when it is as wanted the operation is
 * a success with `unchanged`, otherwise the refusal stands.
 *
 * A groupOfNames must keep a member (RFC 4519): removing the last one from an OpenLDAP group is
 * refused with 65 objectClassViolation, and is then done with the empty DN as a placeholder, as a
 * create without members does (ldap-apply-create.ts).
 */
import { Attribute, Change, type Client, EqualityFilter } from 'ldapts'
import type { Row, Value } from '../../core/index.ts'
import type { OperationResult } from '../contract.ts'
import { type ApplyRun, operationValues, send } from './ldap-apply-context.ts'
import { checkDn, invalidValue } from './ldap-encode.ts'
import { PARAMETER } from './ldap-functions.ts'
import { readEntryByDn } from './ldap-lookup.ts'

/** Result codes that may mean "already so", per direction; the group is asked before believing them. */
const ALREADY: Readonly<Record<'add' | 'remove', readonly number[]>> = {
  add: [20, 68],
  remove: [16, 53],
}

const OBJECT_CLASS_VIOLATION = 65

function isUidAttribute(attribute: string): boolean {
  return attribute.toLowerCase() === 'memberuid'
}

/** The group's DN: the `group` parameter, or the operation's key when it is the group column. */
function groupOf(run: ApplyRun, given: Value | undefined): Value {
  if (given !== undefined) return given
  const key = run.operation.key
  const groupColumn = run.plan.columns.find((c) => c.virtual === 'group')?.column.name
  return key !== undefined && key.column === groupColumn ? key.value : null
}

function memberOf(run: ApplyRun, given: Value | undefined): string {
  if (!isUidAttribute(run.plan.memberAttribute)) return checkDn(run.action, PARAMETER.member, given ?? null)
  if (typeof given !== 'string' || given.trim() === '') {
    throw invalidValue(run.action, PARAMETER.member, given ?? null, 'is not a uid')
  }
  return given
}

async function isMember(client: Client, group: string, attribute: string, member: string): Promise<boolean> {
  const { searchEntries } = await client.search(group, {
    scope: 'base',
    filter: new EqualityFilter({ attribute, value: member }),
    attributes: ['1.1'],
  })
  return searchEntries.length > 0
}

function modification(operation: 'add' | 'delete', attribute: string, value: string): Change {
  return new Change({ operation, modification: new Attribute({ type: attribute, values: [value] }) })
}

/**
 * The row the memberships table now has for the pair: built directly when the table has no other
 * columns, else the group read back with the member set. Undefined when it cannot be read.
 */
async function membershipRow(run: ApplyRun, group: string, member: string): Promise<Row | undefined> {
  const { plan } = run
  const memberColumns = plan.columns.filter((c) => c.virtual === 'member').map((c) => c.column.name)
  let row: Row | undefined
  if (plan.columns.every((c) => c.virtual === 'group' || c.virtual === 'member')) {
    row = Object.fromEntries(plan.columns.map((c) => [c.column.name, group]))
  } else {
    row = await readEntryByDn(run.session, plan, group).catch(() => undefined)
  }
  if (row === undefined) return undefined
  for (const name of memberColumns) row[name] = member
  return row
}

export async function changeMembership(run: ApplyRun, add: boolean): Promise<OperationResult> {
  const { plan, action } = run
  const values = operationValues(run)
  const group = checkDn(action, PARAMETER.group, groupOf(run, values.group))
  const member = memberOf(run, values.member)
  const attribute = plan.memberAttribute
  const unchanged = await send(run, group, async (client) => {
    const change = modification(add ? 'add' : 'delete', attribute, member)
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
      if (!add && code === OBJECT_CLASS_VIOLATION && plan.flavour === 'ldap' && !isUidAttribute(attribute)) {
        await client.modify(group, [change, modification('add', attribute, '')])
        return false
      }
      throw error
    }
  })
  const flag = unchanged ? { unchanged: true, message: add ? 'Already a member.' : 'Not a member.' } : {}
  if (!add) return flag
  const row = await membershipRow(run, group, member)
  return row === undefined ? flag : { ...flag, row }
}
