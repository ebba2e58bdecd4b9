/**
 * `discover` for a directory: proposes the tables users, groups, ous and memberships with the
 * columns usually wanted for the configured flavour, keeping only attributes the server's schema
 * has, typed from it (ldap-subschema.ts). The proposal is a starting point to correct, as with
 * every connector.
 *
 * Types: the schema's syntax gives integer, boolean or datetime (AD's FILETIME integers too) and
 * otherwise string; an attribute that is not SINGLE-VALUE becomes string[], except naming
 * attributes that OpenLDAP's schema allows several values of but that hold one in practice (cn,
 * sn, mail…): they are proposed as string, and their `nativeType` says "multi-valued" (a second
 * value then fails the read, naming the entry, rather than being dropped).
 */
import type { ColumnType } from '../../core/index.ts'
import type { DiscoveredColumn, DiscoveredTable } from '../contract.ts'
import type { LdapFlavour, LdapObjectKind } from './ldap-schema.ts'
import type { LdapSession } from './ldap-session.ts'
import { type AttributeType, readAttributeTypes } from './ldap-subschema.ts'
import { isFiletimeAttribute } from './ldap-attributes.ts'

const SYNTAX = '1.3.6.1.4.1.1466.115.121.1.'

/** Syntax OIDs to a type and the name shown as `nativeType`. */
const SYNTAXES: Readonly<Record<string, { type: ColumnType; name: string }>> = {
  [`${SYNTAX}7`]: { type: 'boolean', name: 'Boolean' },
  [`${SYNTAX}12`]: { type: 'string', name: 'DN' },
  [`${SYNTAX}15`]: { type: 'string', name: 'Directory String' },
  [`${SYNTAX}24`]: { type: 'datetime', name: 'Generalized Time' },
  [`${SYNTAX}26`]: { type: 'string', name: 'IA5 String' },
  [`${SYNTAX}27`]: { type: 'integer', name: 'Integer' },
  [`${SYNTAX}36`]: { type: 'string', name: 'Numeric String' },
  [`${SYNTAX}40`]: { type: 'string', name: 'Octet String' },
  [`${SYNTAX}44`]: { type: 'string', name: 'Printable String' },
  [`${SYNTAX}50`]: { type: 'string', name: 'Telephone Number' },
  [`${SYNTAX}53`]: { type: 'datetime', name: 'UTC Time' },
  '1.3.6.1.1.16.1': { type: 'string', name: 'UUID' },
  '1.2.840.113556.1.4.906': { type: 'integer', name: 'Large Integer' },
}

/** Multi-valued in OpenLDAP's schema, one value in practice: proposed as string. */
const USUALLY_SINGLE = new Set(
  [
    'cn',
    'sn',
    'givenName',
    'displayName',
    'uid',
    'mail',
    'title',
    'employeeNumber',
    'departmentNumber',
    'ou',
    'description',
    'o',
  ].map((a) => a.toLowerCase()),
)

/** The virtual columns and their types (see ldap-table.ts). */
// DNs compare without case in every directory.
const VIRTUAL_TYPES: Readonly<Record<string, Omit<DiscoveredColumn, 'name'>>> = {
  dn: { type: 'string', nativeType: "virtual: the entry's DN", caseInsensitive: true },
  parent: { type: 'string', nativeType: "virtual: the DN of the entry's container", caseInsensitive: true },
  enabled: { type: 'boolean', nativeType: 'virtual: bit 2 of userAccountControl clear' },
  group: { type: 'string', nativeType: "virtual: the group's DN", caseInsensitive: true },
  member: { type: 'string', nativeType: "virtual: the member's DN", caseInsensitive: true },
}

interface Proposal {
  readonly name: string
  readonly objects: LdapObjectKind
  readonly key: string | undefined
  readonly referenceKeys: readonly string[]
  /** Attributes and virtual columns; `memberOf[]` marks one to propose as string[] whatever the schema says. */
  readonly columns: readonly string[]
}

const AD_TABLES: readonly Proposal[] = [
  {
    name: 'users',
    objects: 'users',
    key: 'objectGUID',
    referenceKeys: ['dn', 'sAMAccountName'],
    columns: [
      'objectGUID',
      'dn',
      'parent',
      'sAMAccountName',
      'userPrincipalName',
      'givenName',
      'sn',
      'displayName',
      'cn',
      'mail',
      'department',
      'title',
      'employeeID',
      'enabled',
      'whenChanged',
    ],
  },
  {
    name: 'groups',
    objects: 'groups',
    key: 'objectGUID',
    referenceKeys: ['dn', 'sAMAccountName'],
    columns: ['objectGUID', 'dn', 'parent', 'sAMAccountName', 'cn', 'description', 'mail', 'groupType', 'whenChanged'],
  },
  {
    name: 'ous',
    objects: 'organizationalUnits',
    key: 'objectGUID',
    referenceKeys: ['dn'],
    columns: ['objectGUID', 'dn', 'parent', 'ou', 'description', 'whenChanged'],
  },
  { name: 'memberships', objects: 'memberships', key: undefined, referenceKeys: [], columns: ['group', 'member'] },
]

const LDAP_TABLES: readonly Proposal[] = [
  {
    name: 'users',
    objects: 'users',
    key: 'entryUUID',
    referenceKeys: ['dn'],
    columns: [
      'entryUUID',
      'dn',
      'parent',
      'uid',
      'cn',
      'givenName',
      'sn',
      'displayName',
      'mail',
      'employeeNumber',
      'departmentNumber',
      'title',
      'modifyTimestamp',
    ],
  },
  {
    name: 'groups',
    objects: 'groups',
    key: 'entryUUID',
    referenceKeys: ['dn'],
    columns: ['entryUUID', 'dn', 'parent', 'cn', 'description', 'modifyTimestamp'],
  },
  {
    name: 'ous',
    objects: 'organizationalUnits',
    key: 'entryUUID',
    referenceKeys: ['dn'],
    columns: ['entryUUID', 'dn', 'parent', 'ou', 'description', 'modifyTimestamp'],
  },
  { name: 'memberships', objects: 'memberships', key: undefined, referenceKeys: [], columns: ['group', 'member'] },
]

const PROPOSALS: Readonly<Record<LdapFlavour, readonly Proposal[]>> = { ad: AD_TABLES, ldap: LDAP_TABLES }

/** The column for `attribute` as the schema has it; undefined when the schema does not have it. */
export function columnOf(
  attribute: string,
  schema: ReadonlyMap<string, AttributeType>,
  flavour: LdapFlavour = 'ldap',
): DiscoveredColumn | undefined {
  const virtual = VIRTUAL_TYPES[attribute]
  if (virtual !== undefined) return { name: attribute, ...virtual }
  const type = schema.get(attribute.toLowerCase())
  if (type === undefined) return undefined
  const syntax = SYNTAXES[type.syntax] ?? { type: 'string' as const, name: type.syntax || 'unknown syntax' }
  const single = type.singleValue || USUALLY_SINGLE.has(attribute.toLowerCase())
  let columnType: ColumnType = single ? syntax.type : 'string[]'
  if (single && type.syntax === '1.2.840.113556.1.4.906' && isFiletimeAttribute(attribute)) columnType = 'datetime'
  return {
    name: attribute,
    type: columnType,
    nativeType: `${syntax.name}${type.singleValue ? '' : ', multi-valued'}`,
    ...(IDENTIFIERS.has(attribute.toLowerCase()) && comparesWithoutCase(type, flavour)
      ? { caseInsensitive: true }
      : {}),
  }
}

// Names that identify an entry: compared without case, as the directory does, so that a lookup or
// a uniqueness check finds `JSmith` for `jsmith`. Other text (sn, displayName) keeps case: a surname
// whose capitals HR corrected is a change to write.
const IDENTIFIERS = new Set(['samaccountname', 'userprincipalname', 'mail', 'uid'])

// AD's subschema names no matching rules; it compares Unicode strings and DNs without case.
const AD_CASELESS_SYNTAXES = new Set(['1.3.6.1.4.1.1466.115.121.1.15', '1.3.6.1.4.1.1466.115.121.1.12'])

/** Whether the directory compares the attribute's values without case, so the vault should too. */
function comparesWithoutCase(type: AttributeType, flavour: LdapFlavour): boolean {
  if (/^(caseIgnore|distinguishedNameMatch|uniqueMemberMatch)/i.test(type.equality)) return true
  return flavour === 'ad' && type.equality === '' && AD_CASELESS_SYNTAXES.has(type.syntax)
}

function tableOf(
  proposal: Proposal,
  schema: ReadonlyMap<string, AttributeType>,
  flavour: LdapFlavour,
): DiscoveredTable {
  const columns = proposal.columns.flatMap((a) => columnOf(a, schema, flavour) ?? [])
  const has = (name: string | undefined) => name !== undefined && columns.some((c) => c.name === name)
  return {
    name: proposal.name,
    columns,
    ...(has(proposal.key) ? { primaryKey: proposal.key } : {}),
    referenceKeys: proposal.referenceKeys.filter(has),
    // Explicit, so that the table keeps what it holds when it is renamed.
    options: { objects: proposal.objects },
  }
}

/** The proposed tables of the directory, for the configured flavour. */
export async function discoverDirectory(session: LdapSession): Promise<readonly DiscoveredTable[]> {
  const schema = await session.use('Cannot read the schema', (client) => readAttributeTypes(client))
  return PROPOSALS[session.config.flavour].map((proposal) => tableOf(proposal, schema, session.config.flavour))
}
