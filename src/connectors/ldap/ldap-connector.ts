/**
 * The LDAP connector: a system is a directory, Active Directory (`flavour: ad`, Samba AD too) or a
 * standard LDAP server such as OpenLDAP (`flavour: ldap`), reached with ldapts over LDAPS or
 * StartTLS. Tables are searches (users, groups, organizational units, memberships); functions
 * create, change, move, rename, enable, disable and delete entries and add and remove members.
 */
import type { ConnectorDefinition } from '../contract.ts'
import { createLdapConnection } from './ldap-connection.ts'
import { ldapFunctions } from './ldap-functions.ts'
import { planTable } from './ldap-table.ts'
import { type LdapConfig, ldapConfigSchema, type LdapTableOptions, ldapTableOptionsSchema } from './ldap-schema.ts'

/**
 * Reads and writes an Active Directory or LDAP directory.
 *
 * @example
 * const connection = await ldapConnector.open(ldapConfigSchema.parse({ flavour: 'ad', url: 'ldaps://dc1', … }), context)
 * for await (const page of connection.read({ table })) console.log(page.rows.length)
 */
export const ldapConnector: ConnectorDefinition<LdapConfig, LdapTableOptions> = {
  type: 'ldap',
  displayName: 'LDAP directory (Active Directory, Samba AD, OpenLDAP)',
  configSchema: ldapConfigSchema,
  tableOptionsSchema: ldapTableOptionsSchema,
  capabilities: {
    supportsIncrementalRead: true,
    supportsApply: true,
    requiresDeclaredTables: true,
  },
  functions: (table, config) => ldapFunctions(table, config),
  checkTable: (table, config) => planTable(table, config).problems,
  async open(config, context) {
    return createLdapConnection(config, context)
  },
}
