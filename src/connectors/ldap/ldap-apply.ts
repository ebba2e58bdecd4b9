// PLACEHOLDER (being written): executes one operation.
import type { ApplyContext, Operation, OperationResult } from '../contract.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapTablePlan } from './ldap-table.ts'

export async function applyOperation(
  _session: LdapSession,
  _plan: LdapTablePlan,
  _operation: Operation,
  _context: ApplyContext,
): Promise<OperationResult> {
  throw new Error('not built yet')
}
