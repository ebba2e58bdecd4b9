/**
 * Executing one operation on an LDAP table: checked against the function as this connector
 * declares it (the engine checked too), then handed to the module for its semantics:
 *
 * | semantics                         | module                   | requests                                      |
 * |-----------------------------------|--------------------------|-----------------------------------------------|
 * | create                            | ldap-apply-create.ts     | add (+ Password Modify on ldap), read back    |
 * | update                            | ldap-apply-entry.ts      | find, modify (+ Password Modify), read back   |
 * | move (user_rename, user_move)     | ldap-apply-entry.ts      | find, modifyDN, read back                     |
 * | delete                            | ldap-apply-entry.ts      | find, delete                                  |
 * | enable, disable                   | ldap-apply-account.ts    | find with the state, modify, read back        |
 * | membership-add, membership-remove | ldap-apply-membership.ts | read group and member, modify of the group    |
 *
 * A create or move checks first that the entry lands where it is a row of the table
 * (ldap-apply-parent.ts); a create whose add failed in doubt is settled by looking at its DN
 * (ldap-apply-existing.ts).
 *
 * Every failure is a CON_LDAP_ error whose message starts with `<function> on <system>.<table>` and
 * names the DN; no message carries a password (see ldap-password.ts).
 */
import { type FunctionSchema, qualifiedName } from '../../core/index.ts'
import type { ApplyContext, Operation, OperationResult } from '../contract.ts'
import { changeMembership } from './ldap-apply-membership.ts'
import { toggleAccount } from './ldap-apply-account.ts'
import { invalidOperation, type OperationCall } from './ldap-apply-context.ts'
import { createEntry } from './ldap-apply-create.ts'
import { deleteEntry, moveEntry, renameEntry, updateEntry } from './ldap-apply-entry.ts'
import { functionsOfPlan } from './ldap-functions.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapTablePlan } from './ldap-table.ts'

const declared = new WeakMap<LdapTablePlan, ReadonlyMap<string, FunctionSchema>>()

/** The table's functions as this connector declares them (once per plan). */
function functionsOf(plan: LdapTablePlan): ReadonlyMap<string, FunctionSchema> {
  let functions = declared.get(plan)
  if (functions === undefined) {
    functions = new Map(functionsOfPlan(plan).map((f) => [f.name, f]))
    declared.set(plan, functions)
  }
  return functions
}

/** Checks the operation against the declared function: known parameters, none prohibited, the mandatory ones there. */
function checkOperation(plan: LdapTablePlan, operation: Operation, action: string): FunctionSchema {
  const call = { operation, action }
  const fn = functionsOf(plan).get(operation.function)
  if (fn === undefined) throw invalidOperation(call, `table ${qualifiedName(plan.table)} has no such function.`)
  const parameters = new Map(fn.parameters.map((p) => [p.name, p]))
  for (const name of Object.keys(operation.attributes)) {
    const parameter = parameters.get(name)
    if (parameter === undefined) throw invalidOperation(call, `'${name}' is not a parameter of ${fn.name}.`)
    if (parameter.allowance === 'prohibited')
      throw invalidOperation(call, `'${name}' may not be given: ${parameter.description}`)
  }
  const key = operation.key
  for (const parameter of fn.parameters.filter((p) => p.allowance === 'mandatory')) {
    const byKey = key !== undefined && key.column === (parameter.column ?? parameter.name)
    if (!(parameter.name in operation.attributes) && !byKey) {
      throw invalidOperation(call, `the mandatory parameter '${parameter.name}' is missing.`)
    }
  }
  if (fn.keyColumn !== undefined && (key === undefined || key.value === null)) {
    throw invalidOperation(call, 'it has no key naming the entry to change.')
  }
  return fn
}

/** Executes one operation; every failure is a CON_LDAP_ error. */
export async function applyOperation(
  session: LdapSession,
  plan: LdapTablePlan,
  operation: Operation,
  context: ApplyContext,
): Promise<OperationResult> {
  const action = `${operation.function} on ${qualifiedName(plan.table)}`
  const fn = checkOperation(plan, operation, action)
  context.signal?.throwIfAborted()
  const call: OperationCall = { session, plan, operation, fn, action, signal: context.signal }
  switch (fn.semantics) {
    case 'create':
      return createEntry(call)
    case 'update':
      return updateEntry(call)
    case 'move':
      // A rename and a move share the semantics (the engine plans both only when they differ).
      return fn.name.endsWith('_rename') ? renameEntry(call) : moveEntry(call)
    case 'delete':
      return deleteEntry(call)
    case 'enable':
    case 'disable':
      return toggleAccount(call, fn.semantics === 'enable')
    case 'membership-add':
    case 'membership-remove':
      return changeMembership(call, fn.semantics === 'membership-add')
    default:
      throw invalidOperation(call, `the LDAP connector has no ${fn.semantics} functions.`)
  }
}
