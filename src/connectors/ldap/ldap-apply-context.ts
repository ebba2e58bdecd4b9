/**
 * What every function's apply shares: the operation's values sorted by what they are (the RDN, an
 * attribute column, or a fixed parameter such as `parent`), the target entry's DN, one request on a
 * pooled client with its errors translated (naming the function, table and DN), and reading the
 * entry back for the write-back to the vault.
 */
import type { Client } from 'ldapts'
import { type FunctionSchema, isProvisioError, qualifiedName, type Value } from '../../core/index.ts'
import type { Operation, OperationResult } from '../contract.ts'
import { ldapError } from './ldap-errors.ts'
import { PARAMETER, rdnParameterOf } from './ldap-functions.ts'
import { findEntryDn, readEntryByDn } from './ldap-lookup.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapColumn, LdapTablePlan } from './ldap-table.ts'
import { translateLdapError } from './translate-error.ts'

/** One operation being applied. */
export interface ApplyRun {
  readonly session: LdapSession
  readonly plan: LdapTablePlan
  readonly operation: Operation
  readonly fn: FunctionSchema
  /** `user_create on dir.users`: the start of every message. */
  readonly action: string
  readonly signal?: AbortSignal | undefined
}

/** The operation's values by role. `password` is present only in memory and never shown. */
export interface OperationValues {
  /** The RDN value (create, rename). */
  readonly rdn?: Value | undefined
  readonly parent?: Value | undefined
  readonly enabled?: Value | undefined
  readonly password?: Value | undefined
  readonly group?: Value | undefined
  readonly member?: Value | undefined
  /** Attribute columns and their values, in the operation's order. */
  readonly columns: readonly { readonly column: LdapColumn; readonly value: Value }[]
}

type FixedName = Exclude<keyof OperationValues, 'columns' | 'rdn'>

const FIXED = new Set<string>(Object.values(PARAMETER))

/** Sorts the operation's attributes (already checked against the function) by role. */
export function operationValues(run: ApplyRun): OperationValues {
  const { plan, fn, operation } = run
  const rdn = rdnParameterOf(plan)
  const fixed: Partial<Record<FixedName | 'rdn', Value>> = {}
  const columns: { column: LdapColumn; value: Value }[] = []
  const given: [string, Value][] = Object.entries(operation.attributes)
  // A create whose key the mapping gives as the operation's key writes it like an attribute.
  const key = operation.key
  if (fn.semantics === 'create' && key !== undefined && !(key.column in operation.attributes)) {
    const parameter = fn.parameters.find((p) => (p.column ?? p.name) === key.column && p.allowance !== 'prohibited')
    if (parameter !== undefined) given.push([parameter.name, key.value])
  }
  for (const [name, value] of given) {
    // Column parameters name their column; fixed ones (parent, enabled…) a virtual column or none.
    const parameter = fn.parameters.find((p) => p.name === name)
    const column = plan.columns.find((c) => c.column.name === parameter?.column)
    if (name === rdn) fixed.rdn = value
    else if (column !== undefined && column.virtual === undefined) columns.push({ column, value })
    else if (FIXED.has(name)) fixed[name as FixedName] = value
    else throw invalidOperation(run, `'${name}' is not a declared column.`)
  }
  return { ...fixed, columns }
}

export function invalidOperation(run: Pick<ApplyRun, 'operation' | 'action'>, message: string) {
  return ldapError('CON_LDAP_INVALID_OPERATION', `${run.action} (operation ${run.operation.id}): ${message}`)
}

/**
 * Runs one request on a pooled client; any failure becomes a CON_LDAP_ error naming the function,
 * table and `dn`. Nothing is sent once the signal has aborted.
 */
export function send<T>(run: ApplyRun, dn: string, work: (client: Client) => Promise<T>): Promise<T> {
  run.signal?.throwIfAborted()
  const { session } = run
  return session.use(run.action, async (client) => {
    try {
      return await work(client)
    } catch (error) {
      throw translateLdapError(error, {
        action: run.action,
        location: session.location,
        flavour: session.config.flavour,
        dn,
      })
    }
  })
}

/** CON_LDAP_NO_SUCH_OBJECT for an operation whose target is not (or no longer) a row of the table. */
export function noSuchEntry(run: ApplyRun, what: string) {
  return ldapError('CON_LDAP_NO_SUCH_OBJECT', `${run.action}: ${what}.`, {
    hint: 'It was removed, renamed or moved out of the table since the last collection: collect the system again and evaluate anew.',
  })
}

/** The DN of the operation's target entry (operation.key); CON_LDAP_NO_SUCH_OBJECT when the table has none. */
export async function targetDn(run: ApplyRun): Promise<string> {
  const key = run.operation.key!
  run.signal?.throwIfAborted()
  const dn = await findEntryDn(run.session, run.plan, key)
  if (dn === undefined) {
    throw noSuchEntry(
      run,
      `${qualifiedName(run.plan.table)} has no entry with ${key.column} ${JSON.stringify(key.value)}`,
    )
  }
  return dn
}

/**
 * The outcome with the entry as the directory now holds it. A written entry that cannot be read
 * back (out of the table's filter, a value that does not fit its column, the connection lost) does
 * not fail the write: the engine then writes back what it sent.
 */
export async function readBack(run: ApplyRun, dn: string, unchanged = false): Promise<OperationResult> {
  const flag = unchanged ? { unchanged: true } : {}
  try {
    const row = await readEntryByDn(run.session, run.plan, dn)
    if (row !== undefined) return { ...flag, row }
    return {
      ...flag,
      message: `Written, but ${dn} is not a row of ${qualifiedName(run.plan.table)} (base, scope or filter).`,
    }
  } catch (error) {
    if (!isProvisioError(error)) throw error
    return { ...flag, message: `Written, but reading ${dn} back failed: ${error.message}` }
  }
}
