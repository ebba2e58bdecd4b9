/**
 * A declared table of an LDAP system, resolved against its options and the system's flavour: what
 * to search (base, scope, filter), which attributes to ask for, which columns are virtual, and how
 * entries are created. Pure: read and write code work from this plan, never from raw options.
 *
 * Virtual attributes (a column whose `source` — or name — is one of these):
 *
 * | source    | tables                 | value                                                        |
 * |-----------|------------------------|--------------------------------------------------------------|
 * | `dn`      | all but memberships    | the entry's DN (a reference key)                             |
 * | `parent`  | all but memberships    | the DN of the container the entry is in (user_move sets it)  |
 * | `enabled` | users                  | AD: bit 2 of userAccountControl clear; ldap: `disable` option |
 * | `group`   | memberships            | the group's DN                                               |
 * | `member`  | memberships            | the member's DN                                              |
 */
import type { ColumnSchema, TableSchema } from '../../core/index.ts'
import {
  DEFAULT_PAGE_SIZE,
  type LdapConfig,
  type LdapFlavour,
  type LdapObjectKind,
  type LdapTableOptions,
  ldapTableOptionsSchema,
} from './ldap-schema.ts'

export const VIRTUAL = {
  dn: 'dn',
  parent: 'parent',
  enabled: 'enabled',
  group: 'group',
  member: 'member',
} as const

/** Attributes read as binary whatever the options say; objectGUID and objectSid get string forms. */
export const KNOWN_BINARY = [
  'objectGUID',
  'objectSid',
  'sIDHistory',
  'thumbnailPhoto',
  'jpegPhoto',
  'userCertificate',
  'cACertificate',
  'msExchMailboxGuid',
  'mS-DS-ConsistencyGuid',
  'msDS-GenerationId',
  'logonHours',
  'userPassword',
] as const

/** AD's userAccountControl bits Provisio reads and writes. */
export const UAC = { ACCOUNTDISABLE: 0x2, NORMAL_ACCOUNT: 0x200 } as const

/** One declared column and what it is in the directory. */
export interface LdapColumn {
  readonly column: ColumnSchema
  /** The attribute name in the directory (its `source`, or the column name). */
  readonly attribute: string
  /** Set for virtual attributes (see the table above): computed, not an attribute of the entry. */
  readonly virtual?: keyof typeof VIRTUAL | undefined
  /** Read as a Buffer and shown as a string form (GUID, SID) or base64. */
  readonly binary: boolean
}

export interface LdapTablePlan {
  readonly table: TableSchema
  readonly flavour: LdapFlavour
  readonly objects: LdapObjectKind
  readonly base: string
  readonly scope: 'base' | 'one' | 'sub'
  readonly filter: string
  readonly objectClasses: readonly string[]
  readonly rdnAttribute: string
  readonly createIn: string
  readonly memberAttribute: string
  readonly pageSize: number
  readonly options: LdapTableOptions
  readonly columns: readonly LdapColumn[]
  /** Real attributes to request in searches (virtual ones excluded), plus what virtual ones need. */
  readonly attributes: readonly string[]
  /** Attributes to read as Buffers. */
  readonly binaryAttributes: readonly string[]
}

const DEFAULT_FILTERS: Record<LdapFlavour, Record<LdapObjectKind, string>> = {
  ad: {
    users: '(&(objectCategory=person)(objectClass=user))',
    groups: '(objectClass=group)',
    organizationalUnits: '(objectClass=organizationalUnit)',
    memberships: '(objectClass=group)',
  },
  ldap: {
    users: '(objectClass=inetOrgPerson)',
    groups: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))',
    organizationalUnits: '(objectClass=organizationalUnit)',
    memberships: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))',
  },
}

const DEFAULT_OBJECT_CLASSES: Record<LdapFlavour, Record<LdapObjectKind, readonly string[]>> = {
  ad: {
    users: ['top', 'person', 'organizationalPerson', 'user'],
    groups: ['top', 'group'],
    organizationalUnits: ['top', 'organizationalUnit'],
    memberships: ['top', 'group'],
  },
  ldap: {
    users: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    groups: ['top', 'groupOfNames'],
    organizationalUnits: ['top', 'organizationalUnit'],
    memberships: ['top', 'groupOfNames'],
  },
}

const OBJECTS_BY_TABLE_NAME: Readonly<Record<string, LdapObjectKind>> = {
  users: 'users',
  accounts: 'users',
  groups: 'groups',
  ous: 'organizationalUnits',
  organizationalunits: 'organizationalUnits',
  organizational_units: 'organizationalUnits',
  memberships: 'memberships',
  members: 'memberships',
}

/** The kind of objects a table holds: its `objects` option, else guessed from its name, else users. */
export function objectsOf(table: TableSchema, options: LdapTableOptions): LdapObjectKind {
  return options.objects ?? OBJECTS_BY_TABLE_NAME[table.name.toLowerCase()] ?? 'users'
}

function defaultRdnAttribute(flavour: LdapFlavour, objects: LdapObjectKind): string {
  if (objects === 'organizationalUnits') return 'ou'
  if (objects === 'users' && flavour === 'ldap') return 'uid'
  return 'cn'
}

function virtualOf(attribute: string, objects: LdapObjectKind): LdapColumn['virtual'] {
  const name = attribute.toLowerCase()
  if (objects === 'memberships') return name === 'group' || name === 'member' ? name : undefined
  if (name === 'dn' || name === 'parent') return name
  if (name === 'enabled' && objects === 'users') return 'enabled'
  return undefined
}

/** The options of a declared table, validated; invalid options count as absent (validate reports them). */
export function tableOptionsOf(table: TableSchema): LdapTableOptions {
  const parsed = ldapTableOptionsSchema.safeParse(table.options ?? {})
  return parsed.success ? parsed.data : ldapTableOptionsSchema.parse({})
}

/**
 * Resolves a declared table. `config` gives the flavour, the base DN and the page size; a plan made
 * without a connection (for `functions`) is the same as the one the connection uses.
 */
export function planTable(
  table: TableSchema,
  config: Pick<LdapConfig, 'flavour' | 'baseDN' | 'pageSize'>,
  options: LdapTableOptions = tableOptionsOf(table),
): LdapTablePlan {
  const flavour = config.flavour
  const objects = objectsOf(table, options)
  const base = options.base ?? config.baseDN
  const binary = new Set([...KNOWN_BINARY, ...options.binaryAttributes].map((a) => a.toLowerCase()))
  const columns = table.columns.map((column): LdapColumn => {
    const attribute = column.source ?? column.name
    const virtual = virtualOf(attribute, objects)
    return { column, attribute, virtual, binary: virtual === undefined && binary.has(attribute.toLowerCase()) }
  })
  const attributes = new Set<string>()
  for (const c of columns) if (c.virtual === undefined) attributes.add(c.attribute)
  if (columns.some((c) => c.virtual === 'enabled')) {
    if (flavour === 'ad') attributes.add('userAccountControl')
    else if (options.disable !== undefined) attributes.add(options.disable.attribute)
  }
  return {
    table,
    flavour,
    objects,
    base,
    scope: options.scope,
    filter: options.filter ?? DEFAULT_FILTERS[flavour][objects],
    objectClasses: options.objectClasses ?? DEFAULT_OBJECT_CLASSES[flavour][objects],
    rdnAttribute: options.rdnAttribute ?? defaultRdnAttribute(flavour, objects),
    createIn: options.createIn ?? base,
    memberAttribute: options.memberAttribute,
    pageSize: options.pageSize ?? config.pageSize ?? DEFAULT_PAGE_SIZE,
    options,
    columns,
    attributes: [...attributes],
    binaryAttributes: columns.filter((c) => c.binary).map((c) => c.attribute),
  }
}
