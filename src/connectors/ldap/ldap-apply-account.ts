/**
 * Enabling and disabling an account. The entry is read first (in the search that finds it), so that
 * an account already in the wanted state is `unchanged` without a write. The state is the one a
 * read sees (ldap-values.ts isDisabled); the change is ldap-encode.ts withDisabled: AD's
 * ACCOUNTDISABLE bit of userAccountControl (other bits kept), or the table's `disable` option.
 */
import { Attribute, Change } from 'ldapts'
import { isProvisioError } from '../../core/index.ts'
import type { OperationResult } from '../contract.ts'
import { type OperationCall, readBack, send, targetEntry } from './ldap-apply-context.ts'
import { withDisabled } from './ldap-encode.ts'
import { ldapError } from './ldap-errors.ts'
import { isDisabled, rowOf, valuesOf } from './ldap-values.ts'

export async function toggleAccount(call: OperationCall, enable: boolean): Promise<OperationResult> {
  const { plan, action } = call
  const attribute = plan.flavour === 'ad' ? 'userAccountControl' : plan.options.disable!.attribute
  const entry = await targetEntry(call, [attribute])
  const disabled = isDisabled(plan, entry)
  if (disabled === undefined) {
    throw ldapError('CON_LDAP_UNREADABLE_VALUE', `${action}: ${entry.dn} has no ${attribute}.`, {
      details: { dn: entry.dn, attribute },
    })
  }
  if (disabled !== enable) {
    const message = `Already ${enable ? 'enabled' : 'disabled'}.`
    try {
      return { row: rowOf(plan, entry), unchanged: true, message }
    } catch (error) {
      if (!isProvisioError(error)) throw error
      return { unchanged: true, message: `${message} Its row does not read back: ${error.message}` }
    }
  }
  const current = valuesOf(entry, attribute).map(String)
  const change = withDisabled(action, plan, current, !enable)
  const modification = new Attribute({ type: change.attribute, values: change.values })
  await send(call, entry.dn, (client) =>
    client.modify(entry.dn, new Change({ operation: change.operation, modification })),
  )
  return readBack(call, entry.dn)
}
