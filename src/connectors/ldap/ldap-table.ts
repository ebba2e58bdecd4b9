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
 *
 * {@link planTable} never throws, so that `functions` (run by `provisio validate`, which reports
 * invalid options itself) always gets a plan; a connection uses {@link checkedPlan}, which refuses
 * a table whose options do not parse or do not fit its columns (CON_LDAP_INVALID_OPTIONS) before
 * anything is read or written: a write must never land under the system's baseDN because a `base`
 * option was mistyped.
 */
import { qualifiedName, type ColumnSchema, type TableSchema } from '../../core/index.ts'
import { KNOWN_BINARY } from './ldap-attributes.ts'
import { ldapError } from './ldap-errors.ts'
import {
  DEFAULT_PAGE_SIZE,
  type LdapConfig,
  type LdapFlavour,
  type LdapObjectKind,
  type LdapTableOptions,
  ldapTableOptionsSchema,
} from './ldap-schema.ts'

/** The virtual attributes (see the table above). */
type Virtual = 'dn' | 'parent' | 'enabled' | 'group' | 'member'

/**
 * Attributes that hold secrets (password hashes, LAPS passwords, gMSA passwords, Kerberos keys):
 * never a column, so never read into a row, the vault or a message. Passwords are written through
 * the secret `password` parameter of the functions instead.
 */
const SECRET_ATTRIBUTES: ReadonlySet<string> = new Set(
  [
    'userPassword',
    'unicodePwd',
    'dBCSPwd',
    'ntPwdHistory',
    'lmPwdHistory',
    'supplementalCredentials',
    'ms-Mcs-AdmPwd',
    'msLAPS-Password',
    'msLAPS-EncryptedPassword',
    'msLAPS-EncryptedPasswordHistory',
    'msLAPS-EncryptedDSRMPassword',
    'msLAPS-EncryptedDSRMPasswordHistory',
    'msDS-ManagedPassword',
    'sambaNTPassword',
    'sambaLMPassword',
    'unixUserPassword',
  ].map((a) => a.toLowerCase()),
)

/** Whether `attribute` holds a secret that Provisio refuses to read. */
export function isSecretAttribute(attribute: string): boolean {
  return SECRET_ATTRIBUTES.has(attribute.toLowerCase())
}

/** AD's userAccountControl bits Provisio reads and writes. */
export const UAC = { ACCOUNTDISABLE: 0x2, NORMAL_ACCOUNT: 0x200 } as const

/** One declared column and what it is in the directory. */
export interface LdapColumn {
  readonly column: ColumnSchema
  /** The attribute name in the directory (its `source`, or the column name). */
  readonly attribute: string
  /** Set for virtual attributes (see the table above): computed, not an attribute of the entry. */
  readonly virtual?: Virtual | undefined
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
  /** The attribute a group's members are written to (`memberAttribute`, default member). */
  readonly memberAttribute: string
  /**
   * The attributes a group's members are read from: `memberAttribute` when the option is given;
   * else member, and on flavour ldap also uniqueMember, so that groupOfNames and
   * groupOfUniqueNames groups both give their members.
   */
  readonly memberAttributes: readonly string[]
  readonly pageSize: number
  readonly options: LdapTableOptions
  readonly columns: readonly LdapColumn[]
  /** Real attributes to request in searches (virtual ones excluded), plus what virtual ones need. */
  readonly attributes: readonly string[]
  /** Attributes to read as Buffers. */
  readonly binaryAttributes: readonly string[]
  /** Why the table cannot be used (options that do not parse or do not fit the columns); [] when it can. */
  readonly problems: readonly string[]
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
function objectsOf(table: TableSchema, options: LdapTableOptions): LdapObjectKind {
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

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** The table's options, or the defaults and why they do not parse (validate reports such options, positioned). */
function optionsOf(table: TableSchema): { options: LdapTableOptions; problems: string[] } {
  const parsed = ldapTableOptionsSchema.safeParse(table.options ?? {})
  if (parsed.success) return { options: parsed.data, problems: [] }
  const problems = parsed.error.issues.map(
    (issue) =>
      `\`options${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}\`: ${issue.message}`,
  )
  return { options: ldapTableOptionsSchema.parse({}), problems }
}

/** The options and columns that do not fit together, each said with what to change. */
function fitProblems(
  flavour: LdapFlavour,
  objects: LdapObjectKind,
  options: LdapTableOptions,
  columns: readonly LdapColumn[],
): string[] {
  const problems: string[] = []
  for (const c of columns) {
    if (c.virtual === undefined && isSecretAttribute(c.attribute)) {
      problems.push(
        `column ${c.column.name} reads ${c.attribute}, which holds a secret (a password or its hash) that Provisio never reads: remove the column (passwords are written with the functions' \`password\` parameter)`,
      )
    }
  }
  const has = (virtual: LdapColumn['virtual']) => columns.some((c) => c.virtual === virtual)
  if (objects === 'memberships') {
    const missing = (['group', 'member'] as const).filter((v) => !has(v))
    if (missing.length > 0) {
      problems.push(
        `a memberships table has one row per (group, member) pair: declare the column${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} (the group's and the member's DN)`,
      )
    }
  }
  if (options.disable !== undefined) {
    if (flavour === 'ad') {
      problems.push('`disable` is for flavour ldap: AD disables accounts with userAccountControl; remove the option')
    } else if (objects !== 'users') {
      problems.push('`disable` applies to users tables only; remove the option')
    } else if (isSecretAttribute(options.disable.attribute)) {
      problems.push(`\`disable.attribute\` ${options.disable.attribute} holds a secret that Provisio never reads`)
    }
  }
  if (flavour === 'ldap' && objects === 'users' && options.disable === undefined && has('enabled')) {
    problems.push(
      'the column enabled needs the option `disable: { attribute, disabledValue }` on flavour ldap (which attribute says an account is disabled); declare it or remove the column',
    )
  }
  return problems
}

/**
 * Resolves a declared table. `config` gives the flavour, the base DN and the page size; a plan made
 * without a connection (for `functions`) is the same as the one the connection uses. Never throws:
 * options that do not parse count as absent, and what does not fit is listed in `problems`.
 */
export function planTable(
  table: TableSchema,
  config: Pick<LdapConfig, 'flavour' | 'baseDN' | 'pageSize'>,
): LdapTablePlan {
  const { options, problems } = optionsOf(table)
  const flavour = config.flavour
  const objects = objectsOf(table, options)
  const base = options.base ?? config.baseDN
  const binary = new Set([...KNOWN_BINARY, ...options.binaryAttributes].map((a) => a.toLowerCase()))
  const columns = table.columns.map((column): LdapColumn => {
    const attribute = column.source ?? column.name
    const virtual = virtualOf(attribute, objects)
    return { column, attribute, virtual, binary: virtual === undefined && binary.has(attribute.toLowerCase()) }
  })
  const memberAttribute = options.memberAttribute ?? 'member'
  const memberAttributes =
    options.memberAttribute !== undefined
      ? [memberAttribute]
      : flavour === 'ldap'
        ? ['member', 'uniqueMember']
        : ['member']
  // Each attribute once, in the spelling first met (servers answer in the spelling asked for).
  const attributes = new Map<string, string>()
  const request = (attribute: string) => {
    if (!attributes.has(attribute.toLowerCase())) attributes.set(attribute.toLowerCase(), attribute)
  }
  for (const c of columns) {
    if (c.virtual !== undefined) continue
    request(c.attribute)
    if (sameName(c.attribute, memberAttribute)) memberAttributes.forEach(request)
  }
  if (objects === 'memberships') memberAttributes.forEach(request)
  if (columns.some((c) => c.virtual === 'enabled')) {
    if (flavour === 'ad') request('userAccountControl')
    else if (options.disable !== undefined) request(options.disable.attribute)
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
    memberAttribute,
    memberAttributes,
    pageSize: options.pageSize ?? config.pageSize ?? DEFAULT_PAGE_SIZE,
    options,
    columns,
    attributes: [...attributes.values()],
    binaryAttributes: columns.filter((c) => c.binary).map((c) => c.attribute),
    // Options that do not parse are defaults here: how they fit the columns would mislead.
    problems: problems.length > 0 ? problems : fitProblems(flavour, objects, options, columns),
  }
}

/**
 * The plan of a table a connection reads, writes or looks up in: {@link planTable}, refused with
 * CON_LDAP_INVALID_OPTIONS (naming the table and every problem) when it has problems.
 */
export function checkedPlan(
  table: TableSchema,
  config: Pick<LdapConfig, 'flavour' | 'baseDN' | 'pageSize'>,
): LdapTablePlan {
  const plan = planTable(table, config)
  if (plan.problems.length === 0) return plan
  throw ldapError(
    'CON_LDAP_INVALID_OPTIONS',
    `Table ${qualifiedName(table)} cannot be used: ${plan.problems.join('; ')}.`,
    {
      hint: `Correct the declaration of table ${table.name} in the system's YAML (\`provisio validate\` positions option errors); see docs/connectors/ldap.md.`,
      details: { table: table.name, problems: [...plan.problems] },
    },
  )
}
