/**
 * Enabling and disabling an account. The entry is read first (in the search that finds it), so that
 * an account already in the wanted state is `unchanged` without a write:
 *
 * - AD: bit 2 (ACCOUNTDISABLE) of userAccountControl set or cleared, every other bit kept
 *   (DONT_EXPIRE_PASSWORD, SMARTCARD_REQUIRED… are the administrator's);
 * - ldap: the table's `disable` option: its attribute replaced by disabledValue or enabledValue, or
 *   the disabledValue removed when enabledValue is null.
 */
import { Attribute, Change, type Entry } from 'ldapts'
import { isProvisioError, qualifiedName } from '../../core/index.ts'
import type { OperationResult } from '../contract.ts'
import { type ApplyRun, noSuchEntry, readBack, send } from './ldap-apply-context.ts'
import { optionText } from './ldap-encode.ts'
import { ldapError } from './ldap-errors.ts'
import { findEntry } from './ldap-lookup.ts'
import { UAC } from './ldap-table.ts'
import { rowOf, valuesOf } from './ldap-values.ts'

/** The change that puts the account in the wanted state, or undefined when it is in it already. */
type Toggle = Change | undefined

function replace(attribute: string, values: string[]): Change {
  return new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values }) })
}

function adToggle(run: ApplyRun, entry: Entry, enable: boolean): Toggle {
  const [raw] = valuesOf(entry, 'userAccountControl')
  const flags = raw === undefined ? NaN : Number(String(raw))
  if (!Number.isSafeInteger(flags)) {
    throw ldapError(
      'CON_LDAP_UNREADABLE_VALUE',
      `${run.action}: userAccountControl of ${entry.dn} is not an integer.`,
      {
        details: { dn: entry.dn, attribute: 'userAccountControl' },
      },
    )
  }
  const wanted = enable ? flags & ~UAC.ACCOUNTDISABLE : flags | UAC.ACCOUNTDISABLE
  return wanted === flags ? undefined : replace('userAccountControl', [String(wanted)])
}

/**
 * The `disable` option's state as the read side sees it: disabled when the attribute holds
 * disabledValue. Enabling with a null enabledValue removes only that value, keeping others.
 */
function ldapToggle(run: ApplyRun, entry: Entry, enable: boolean): Toggle {
  const disable = run.plan.options.disable!
  const disabled = optionText(disable.disabledValue)
  const isDisabled = valuesOf(entry, disable.attribute).some((v) => String(v) === disabled)
  if (!enable) return isDisabled ? undefined : replace(disable.attribute, [disabled])
  if (!isDisabled) return undefined
  if (disable.enabledValue !== null) return replace(disable.attribute, [optionText(disable.enabledValue)])
  return new Change({
    operation: 'delete',
    modification: new Attribute({ type: disable.attribute, values: [disabled] }),
  })
}

/** The outcome for an account already in the wanted state, with its row when it reads cleanly. */
function already(run: ApplyRun, entry: Entry, enable: boolean): OperationResult {
  const message = `Already ${enable ? 'enabled' : 'disabled'}.`
  try {
    return { row: rowOf(run.plan, entry), unchanged: true, message }
  } catch (error) {
    if (!isProvisioError(error)) throw error
    return { unchanged: true, message: `${message} Its row does not read back: ${error.message}` }
  }
}

export async function toggleAccount(run: ApplyRun, enable: boolean): Promise<OperationResult> {
  const { plan, operation } = run
  const key = operation.key!
  const attribute = plan.flavour === 'ad' ? 'userAccountControl' : plan.options.disable!.attribute
  run.signal?.throwIfAborted()
  const entry = await findEntry(run.session, plan, key, [attribute])
  if (entry === undefined) {
    throw noSuchEntry(run, `${qualifiedName(plan.table)} has no entry with ${key.column} ${JSON.stringify(key.value)}`)
  }
  const change = plan.flavour === 'ad' ? adToggle(run, entry, enable) : ldapToggle(run, entry, enable)
  if (change === undefined) return already(run, entry, enable)
  await send(run, entry.dn, (client) => client.modify(entry.dn, change))
  return readBack(run, entry.dn)
}
