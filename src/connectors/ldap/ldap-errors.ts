/**
 * Error codes of the LDAP connector. Every failure of the directory, of TLS or of the network is
 * translated into one of these at the connector's boundary (translate-error.ts), with a hint and a
 * retry meaning. The LDAP result code (49, 68, 19…) and, on AD, the Windows error in the diagnostic
 * message (`data 52e`, `0000052D`) are kept in the error's details as `ldapCode` and `adError`.
 */
import { defineErrors } from '../../core/index.ts'

/** Factory for the LDAP connector's errors; accepts only the codes below. */
export const ldapError = defineErrors('connectors.ldap', {
  CON_LDAP_INVALID_OPTIONS: {
    audience: 'user',
    title:
      'An LDAP table cannot be used as declared: its options do not parse or do not fit its columns, or a column reads a secret attribute.',
    hint: 'The message names the table and each problem. See docs/connectors/ldap.md for the options, the virtual attributes (dn, parent, enabled, group, member) and the attributes never read.',
  },
  CON_LDAP_CA_FILE: {
    audience: 'user',
    title: 'The CA file of an LDAP system cannot be read.',
    hint: 'Set `config.tls.ca` to a PEM file relative to the project folder (the CA that issued the server certificate).',
  },
  CON_LDAP_UNREACHABLE: {
    audience: 'operational',
    retry: 'safe',
    title: 'The directory server cannot be reached.',
    hint: 'Check the host and port of `config.url` (636 for ldaps://, 389 for ldap://), that the server runs and that no firewall blocks the way.',
  },
  CON_LDAP_TLS_UNTRUSTED: {
    audience: 'user',
    title: "The directory server's certificate is not trusted.",
    hint: 'Give the CA that issued it as `config.tls.ca` (a PEM file). Only to try a connection: `config.tls.rejectUnauthorized: false`.',
  },
  CON_LDAP_TLS_NAME_MISMATCH: {
    audience: 'user',
    title: "The directory server's certificate is issued to another name than the one connected to.",
    hint: 'Connect by the name in the certificate (`config.url`), or set `config.tls.servername` to it.',
  },
  CON_LDAP_TLS_FAILED: {
    audience: 'operational',
    title: 'The TLS handshake with the directory server failed.',
    hint: 'Use ldaps:// with port 636, or ldap:// with `startTLS: true` on port 389; an ldaps:// URL on a plain LDAP port fails like this.',
  },
  CON_LDAP_AUTH_FAILED: {
    audience: 'user',
    title: 'The directory refused the bind DN or password (LDAP result 49).',
    hint: 'Check `config.bindDN` and the password in the environment variable `config.password` names; on AD the account may also be disabled, locked or expired.',
  },
  CON_LDAP_ENCRYPTION_REQUIRED: {
    audience: 'user',
    title: 'The directory requires an encrypted connection for this (LDAP result 8 or 13).',
    hint: 'Use an ldaps:// URL, or `startTLS: true`. Active Directory refuses simple binds and password changes over plain LDAP.',
  },
  CON_LDAP_BASE_NOT_FOUND: {
    audience: 'user',
    title: 'A base DN of an LDAP system does not exist in the directory (LDAP result 32).',
    hint: "Correct `config.baseDN` or the table's `options.base` / `options.createIn`; `provisio system discover` shows the directory's naming contexts.",
  },
  CON_LDAP_NO_SUCH_OBJECT: {
    audience: 'operational',
    title: 'The entry an operation targets is not in the directory (LDAP result 32).',
    hint: 'It was removed or moved out of the base since the last collection: collect the system again and evaluate anew.',
  },
  CON_LDAP_ALREADY_EXISTS: {
    audience: 'user',
    title: 'An entry with this DN already exists (LDAP result 68).',
    hint: 'Choose another name (a name generator with `uniqueIn` on the name column) or collect the system again: the entry may be there already.',
  },
  CON_LDAP_AMBIGUOUS_KEY: {
    audience: 'user',
    title: 'More than one entry of an LDAP table has the value of a column declared as a key.',
    hint: "Declare as `primaryKey` or `referenceKeys` only attributes the directory keeps unique (objectGUID, entryUUID, dn, sAMAccountName), or narrow the table's base or filter.",
  },
  CON_LDAP_NAME_TAKEN: {
    audience: 'user',
    title: 'Another account already has this sAMAccountName or userPrincipalName.',
    hint: 'Make the name unique across the domain: a name generator with `uniqueIn` on sAMAccountName and userPrincipalName, after a fresh collection.',
  },
  CON_LDAP_PASSWORD_POLICY: {
    audience: 'user',
    title: "The password does not meet the domain's password policy (length, complexity or history).",
    hint: "Make the password generator's rules at least as strict as the domain policy (`Get-ADDefaultDomainPasswordPolicy`, or a fine-grained policy of the OU).",
  },
  CON_LDAP_CONSTRAINT: {
    audience: 'user',
    title: 'The directory refused a value by a constraint (LDAP result 19).',
    hint: "Read the directory's message: a value too long, out of range, or not allowed for this attribute.",
  },
  CON_LDAP_SCHEMA_VIOLATION: {
    audience: 'user',
    title:
      "A write does not fit the directory's schema: an unknown attribute, a missing required one or a wrong object class (LDAP result 17, 65, 67 or 69).",
    hint: "Check the column's `source:` (the attribute name), the table's `objectClasses` option and the attributes a create must give.",
  },
  CON_LDAP_INVALID_VALUE: {
    audience: 'user',
    title: "A value does not fit its attribute's syntax (LDAP result 21), or a DN given as a value is not a DN.",
    hint: "Correct the mapped value, or the column's declared type.",
  },
  CON_LDAP_UNREADABLE_VALUE: {
    audience: 'user',
    title:
      "A value read from the directory does not fit its column's declared type, or a single-valued column got several values.",
    hint: "Declare the column with the type the attribute holds (string[] for several values, datetime for GeneralizedTime and AD's FILETIME integers), or point its `source:` at another attribute.",
  },
  CON_LDAP_NOT_LEAF: {
    audience: 'user',
    title: 'An entry with children cannot be deleted or renamed (LDAP result 66).',
    hint: 'Delete or move the entries below it first; Provisio never deletes subtrees.',
  },
  CON_LDAP_INSUFFICIENT_RIGHTS: {
    audience: 'operational',
    title: 'The bind account may not do what was asked (LDAP result 50).',
    hint: 'Delegate the right to the bind account on the OU (create/delete objects, write the attributes, reset passwords).',
  },
  CON_LDAP_UNWILLING: {
    audience: 'user',
    title: 'The directory is unwilling to perform the operation (LDAP result 53).',
    hint: "Read the directory's message. On AD: a password change over an unencrypted connection, or a change to a system-protected object.",
  },
  CON_LDAP_BUSY: {
    audience: 'operational',
    retry: 'safe',
    title: 'The directory server is busy or unavailable (LDAP result 51 or 52).',
    hint: 'Tried again automatically; if it persists, check the server.',
  },
  CON_LDAP_TIMEOUT: {
    audience: 'operational',
    retry: 'safe',
    title: 'The directory server did not answer in time.',
    hint: 'Tried again automatically; raise `config.timeout` for slow searches, or check the server.',
  },
  CON_LDAP_CONNECTION_LOST: {
    audience: 'operational',
    retry: 'safe',
    title: 'The connection to the directory server broke off.',
    hint: 'Tried again automatically on a new connection; if it persists, check the server and the network.',
  },
  CON_LDAP_SIZE_LIMIT: {
    audience: 'operational',
    title: 'The directory stopped a search at its size limit (LDAP result 4) although it was paged.',
    hint: 'Let the bind account read without size limit, or make sure the server supports paged results (RFC 2696).',
  },
  CON_LDAP_INVALID_FILTER: {
    audience: 'user',
    title: "A table's LDAP filter is not valid (RFC 4515).",
    hint: "Correct the table's `options.filter`: parentheses balanced, values with *, (, ) or \\ escaped as \\2a, \\28, \\29, \\5c.",
  },
  CON_LDAP_CLOSED: {
    audience: 'bug',
    title: 'An LDAP connection was used after it was closed.',
    hint: 'Open the system again; please report this with what you ran.',
  },
  CON_LDAP_INVALID_OPERATION: {
    audience: 'bug',
    title: "An operation handed to the LDAP connector does not fit the function's parameters.",
    hint: 'The engine validates operations before executing them; please report this with the mapping.',
  },
  CON_LDAP_FAILED: {
    audience: 'operational',
    title: 'The directory reported an error the LDAP connector has no more specific code for.',
    hint: "Read the directory's message and its LDAP result code.",
  },
})

/** The codes {@link ldapError} accepts. */
export type LdapErrorCode = Parameters<typeof ldapError>[0]
