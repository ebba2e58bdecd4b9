// PLACEHOLDER (being written): the functions of a declared table.
import type { FunctionSchema, TableSchema } from '../../core/index.ts'
import type { LdapConfig } from './ldap-schema.ts'

export function ldapFunctions(
  _table: TableSchema,
  _config: Pick<LdapConfig, 'flavour' | 'baseDN' | 'pageSize'>,
): FunctionSchema[] {
  return []
}
