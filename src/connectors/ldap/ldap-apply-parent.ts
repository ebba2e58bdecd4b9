/**
 * Where a create or a move puts an entry: below the `parent` parameter (a create without one:
 * below the table's createIn), and only where the entry is a row of the table, within its base at
 * the depth its scope allows (ldap-lookup.ts inScope, the same test a lookup makes). An entry
 * placed elsewhere would be written but never read: the next collection would miss it, and the
 * engine would create it again. Checked before anything is sent.
 */
import type { Value } from '../../core/index.ts'
import type { OperationCall } from './ldap-apply-context.ts'
import { formatDn, type Rdn } from './ldap-dn.ts'
import { checkDn, invalidValue } from './ldap-encode.ts'
import { inScope } from './ldap-lookup.ts'
import { PARAMETER } from './ldap-parameters.ts'

interface Placement {
  readonly parent: string
  /** The entry's DN there. */
  readonly dn: string
}

/** The container and DN for an entry named `rdn` below the `parent` value given (a create may give none). */
export function placeEntry(call: OperationCall, given: Value | undefined, rdn: Rdn): Placement {
  const { plan, action } = call
  const byDefault = call.fn.semantics === 'create' && (given === undefined || given === null || given === '')
  const parameter = byDefault ? `${PARAMETER.parent} (defaulting to the table's createIn)` : PARAMETER.parent
  const parent = byDefault ? plan.createIn : checkDn(action, PARAMETER.parent, given ?? null)
  const dn = `${formatDn([rdn])},${parent}`
  if (!inScope(plan, dn)) {
    const where =
      plan.scope === 'base'
        ? `the table's scope is base: its only row is ${plan.base}`
        : plan.scope === 'one'
          ? `the table's scope is one: its rows are the entries directly below ${plan.base}`
          : `its rows are within the table's base ${plan.base}`
    throw invalidValue(
      action,
      parameter,
      parent,
      `would put the entry at ${dn}, which is no row of the table (${where})`,
      "Give a container whose entries the table reads, or widen the table's `base` or `scope`.",
    )
  }
  return { parent, dn }
}
