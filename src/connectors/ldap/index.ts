/**
 * The LDAP connector (`connector: ldap`), flavours `ad` (Active Directory, Samba AD) and `ldap`
 * (OpenLDAP and other standard directories), sharing all code but defaults and AD's specifics:
 *
 *   declared table ──ldap-table (options, flavour defaults, virtual attributes)──▶ table plan
 *   table plan ──ldap-read (paged search, ranged member retrieval, ldap-values)──▶ rows
 *   operation ──ldap-apply (add, modify, modifyDN, delete; ldap-dn escaping)──▶ outcome
 *
 * Every failure becomes a CON_LDAP_ error at this boundary (translate-error.ts), keeping the LDAP
 * result code and AD's Windows error.
 */
export { ldapConnector } from './ldap-connector.ts'
export { type LdapConfig, ldapConfigSchema, type LdapTableOptions, ldapTableOptionsSchema } from './ldap-schema.ts'
export { ldapError, type LdapErrorCode } from './ldap-errors.ts'
export { ldapFunctions } from './ldap-functions.ts'
export { escapeDnValue, escapeFilterValue, parseDn, normalizeDn } from './ldap-dn.ts'
