/**
 * What every function's apply shares: the operation's values sorted by what they are (the RDN, an
 * attribute column, or a fixed parameter such as `parent`), the target entry, one request on a
 * pooled client (its errors translated by the session, naming the function, table and DN), and
 * reading the entry back for the write-back to the vault.
 */
import type { Client, Entry } from 'ldapts'
import { type FunctionSchema, isProvisioError, qualifiedName, type Value } from '../../core/index.ts'
import type { Operation, OperationResult } from '../contract.ts'
import { ldapError } from './ldap-errors.ts'
import { findEntry, readEntryByDn } from './ldap-lookup.ts'
import { PARAMETER, rdnParameterOf } from './ldap-parameters.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapColumn, LdapTablePlan } from './ldap-table.ts'

/** One call of a function for one operation. */
export interface OperationCall {
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
export function operationValues(call: OperationCall): OperationValues {
  const { plan, fn, operation } = call
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
    else throw invalidOperation(call, `'${name}' is not a declared column.`)
  }
  return { ...fixed, columns }
}

export function invalidOperation(call: Pick<OperationCall, 'operation' | 'action'>, message: string) {
  return ldapError('CON_LDAP_INVALID_OPERATION', `${call.action} (operation ${call.operation.id}): ${message}`)
}

/**
 * Runs one request on a pooled client; the session translates any failure into a CON_LDAP_ error
 * naming the function, table and `dn`. Nothing is sent once the signal has aborted.
 */
export function send<T>(call: OperationCall, dn: string, work: (client: Client) => Promise<T>): Promise<T> {
  call.signal?.throwIfAborted()
  return call.session.use(call.action, work, { dn })
}

/** CON_LDAP_NO_SUCH_OBJECT for an operation whose target is not (or no longer) a row of the table. */
export function noSuchEntry(call: OperationCall, what: string) {
  return ldapError('CON_LDAP_NO_SUCH_OBJECT', `${call.action}: ${what}.`, {
    hint: 'It was removed, renamed or moved out of the table since the last collection: collect the system again and evaluate anew.',
  })
}

/**
 * The operation's target entry (operation.key), with the table's attributes and `extra` ones;
 * CON_LDAP_NO_SUCH_OBJECT when the table has none.
 */
export async function targetEntry(call: OperationCall, extra: readonly string[] = []): Promise<Entry> {
  const key = call.operation.key!
  call.signal?.throwIfAborted()
  const entry = await findEntry(call.session, call.plan, key, extra)
  if (entry === undefined) {
    throw noSuchEntry(
      call,
      `${qualifiedName(call.plan.table)} has no entry with ${key.column} ${JSON.stringify(key.value)}`,
    )
  }
  return entry
}

/**
 * The outcome with the entry as the directory now holds it. A written entry that cannot be read
 * back (out of the table's filter, a value that does not fit its column, the connection lost) does
 * not fail the write: the engine then writes back what it sent.
 */
export async function readBack(
  call: OperationCall,
  dn: string,
  outcome: Pick<OperationResult, 'unchanged' | 'message'> = {},
): Promise<OperationResult> {
  const prefix = outcome.message === undefined ? '' : `${outcome.message} `
  try {
    const row = await readEntryByDn(call.session, call.plan, dn)
    if (row !== undefined) return { ...outcome, row }
    return {
      ...outcome,
      message: `${prefix}Written, but ${dn} is not a row of ${qualifiedName(call.plan.table)} (base, scope or filter).`,
    }
  } catch (error) {
    if (!isProvisioError(error)) throw error
    return { ...outcome, message: `${prefix}Written, but reading ${dn} back failed: ${error.message}` }
  }
}
