/**
 * The YAML surface of the LDAP connector: the system's `config:` block and each table's `options:`
 * block. Both are strict (unknown keys are errors) and are the single source of truth for the
 * defaults, the TypeScript types and docs/connectors/ldap.md.
 *
 * @example
 * ```yaml
 * connector: ldap
 * config:
 *   flavour: ad
 *   url: ldaps://dc1.example.test
 *   bindDN: svc-provisio@EXAMPLE.TEST
 *   password: ${env:AD_PASSWORD}
 *   baseDN: DC=example,DC=test
 *   tls: { ca: certs/ad-ca.pem }
 * tables:
 *   users:
 *     primaryKey: objectGUID
 *     referenceKeys: [dn, sAMAccountName]
 *     columns:
 *       objectGUID: string
 *       dn: string
 *       sAMAccountName: { type: string, caseInsensitive: true }
 *       enabled: boolean
 *     options:
 *       base: OU=Staff,DC=example,DC=test
 *       createIn: OU=New,OU=Staff,DC=example,DC=test
 * ```
 */
import { z } from 'zod'
import { durationSchema, secretRef } from '../../core/index.ts'

/** `ad`: Active Directory (and Samba AD); `ldap`: OpenLDAP and other standard directories. */
const FLAVOURS = ['ad', 'ldap'] as const
export type LdapFlavour = (typeof FLAVOURS)[number]

/** What a table holds; the default comes from the table's name (users, groups, ous, memberships). */
const OBJECT_KINDS = ['users', 'groups', 'organizationalUnits', 'memberships'] as const
export type LdapObjectKind = (typeof OBJECT_KINDS)[number]

/** Entries per page of a paged search (RFC 2696). AD's MaxPageSize is 1000 by default. */
export const DEFAULT_PAGE_SIZE = 500

const URL = /^ldaps?:\/\/[^/?#\s]+\/?$/i

const tlsSchema = z.strictObject({
  /** A PEM file with the certificate authority (or authorities) to trust, relative to the project folder. @default the system's trust store */
  ca: z.string().min(1).optional().describe('PEM file of the CA to trust, relative to the project folder.'),
  /** The name the server's certificate must carry, when it differs from the URL's host. @default the URL's host */
  servername: z.string().min(1).optional().describe("Name the server certificate must carry; default: the URL's host."),
  /**
   * Refuse a certificate that is not trusted or not issued to the server's name. Turn off only to
   * try a connection: the password then goes to whoever answers. @default true
   */
  rejectUnauthorized: z.boolean().default(true).describe('Refuse untrusted certificates (default true).'),
})

/** The `config:` block of an LDAP system. */
export const ldapConfigSchema = z
  .strictObject({
    /** @default 'ldap' */
    flavour: z
      .enum(FLAVOURS)
      .default('ldap')
      .describe('ad (Active Directory, Samba AD) or ldap (OpenLDAP and others).'),
    /** `ldap://host[:port]` or `ldaps://host[:port]`; several are tried in order (failover). */
    url: z
      .union([z.string().regex(URL), z.array(z.string().regex(URL)).min(1)])
      .transform((value) => (typeof value === 'string' ? [value] : value))
      .describe('ldap://host[:port] or ldaps://host[:port], or a list of them tried in order.'),
    /** Upgrade an `ldap://` connection with StartTLS before binding. @default false */
    startTLS: z.boolean().default(false).describe('Upgrade ldap:// connections with StartTLS before binding.'),
    /**
     * Allow `ldap://` URLs without StartTLS: the bind password then crosses the network readable.
     * Only for a directory on the same machine or a test. @default false (such a URL is refused)
     */
    allowPlainText: z
      .boolean()
      .default(false)
      .describe('Allow ldap:// without startTLS (the bind password travels unencrypted); default false.'),
    /** The account to bind as: a DN, or on AD also `user@REALM`. */
    bindDN: z.string().min(1).describe('DN to bind as (on AD also user@REALM).'),
    /** Its password, as a `${env:NAME}` reference. */
    password: secretRef().describe('Password of bindDN, as ${env:NAME}.'),
    /** Where the directory's entries are; each table's `base` defaults to it. */
    baseDN: z.string().min(1).describe('Base DN of the directory; tables default to it.'),
    tls: tlsSchema.prefault({}),
    /** Connections kept open and used side by side. @default 4 */
    connections: z.number().int().min(1).max(64).default(4).describe('Connections kept open (default 4).'),
    /** How long to wait for a connection. @default 10s */
    connectTimeout: durationSchema.default(10_000).describe('How long to wait for a connection (default 10s).'),
    /** How long to wait for the answer to one request. @default 60s */
    timeout: durationSchema.default(60_000).describe('How long to wait for one answer (default 60s).'),
    /** Entries per page of a search. @default 500 */
    pageSize: z
      .number()
      .int()
      .min(1)
      .max(5000)
      .default(DEFAULT_PAGE_SIZE)
      .describe('Entries per search page (default 500).'),
  })
  .superRefine((config, context) => {
    if (config.startTLS && config.url.some((u) => u.toLowerCase().startsWith('ldaps:'))) {
      context.addIssue({
        code: 'custom',
        path: ['startTLS'],
        message:
          'startTLS applies to ldap:// URLs; an ldaps:// URL is encrypted from the start. Remove one of the two.',
      })
    }
  })

const scalar = z.union([z.string(), z.number(), z.boolean()])

/** `disable:` of an OpenLDAP users table: the attribute that says an account is disabled. */
const disableSchema = z.strictObject({
  /** The attribute to set (`pwdAccountLockedTime` with the ppolicy overlay, `employeeType`, `loginShell`…). */
  attribute: z.string().min(1),
  /** Its value on a disabled account. */
  disabledValue: scalar,
  /** Its value on an enabled account; null removes the attribute. @default null */
  enabledValue: scalar.nullable().default(null),
})

/** The `options:` block of each table of an LDAP system. */
export const ldapTableOptionsSchema = z
  .strictObject({
    /** @default from the table name: users, groups, ous (organizationalUnits) or memberships */
    objects: z
      .enum(OBJECT_KINDS)
      .optional()
      .describe('users, groups, organizationalUnits or memberships; default: from the table name.'),
    /** Where the search starts. @default the system's baseDN */
    base: z.string().min(1).optional().describe("Search base; default: the system's baseDN."),
    /** @default 'sub' */
    scope: z.enum(['base', 'one', 'sub']).default('sub').describe('base, one or sub (default sub).'),
    /** Which entries are rows (RFC 4515). @default per flavour and objects, see docs/connectors/ldap.md */
    filter: z
      .string()
      .min(1)
      .optional()
      .describe('LDAP filter selecting the entries; default: per flavour and objects.'),
    /** Object classes of created entries. @default per flavour and objects */
    objectClasses: z.array(z.string().min(1)).min(1).optional(),
    /** The attribute that names an entry in its DN (`cn`, `uid`, `ou`). @default cn (ou for organizationalUnits; uid for OpenLDAP users) */
    rdnAttribute: z.string().min(1).optional(),
    /** Where creates put entries without a `parent` parameter. @default `base` */
    createIn: z.string().min(1).optional(),
    /**
     * The attribute of a group that lists its members, read and written. @default member; on flavour
     * ldap reads also take uniqueMember (groupOfUniqueNames), writes go to member
     */
    memberAttribute: z.string().min(1).optional(),
    /** More attributes to read as binary (base64), beyond objectGUID, objectSid and the known photo and certificate attributes. @default [] */
    binaryAttributes: z.array(z.string().min(1)).default([]),
    /** How an OpenLDAP account is disabled (AD uses userAccountControl). @default none: no disable/enable functions on ldap */
    disable: disableSchema.optional(),
    /** Entries per page for this table. @default the system's pageSize */
    pageSize: z.number().int().min(1).max(5000).optional(),
  })
  .prefault({})

export type LdapConfig = z.output<typeof ldapConfigSchema>
export type LdapTableOptions = z.output<typeof ldapTableOptionsSchema>
