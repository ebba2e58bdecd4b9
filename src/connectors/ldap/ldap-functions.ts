/**
 * The functions an LDAP table offers (DESIGN.md §1 "function"), derived from its declaration alone
 * (planTable, no connection) so that `provisio validate` checks mappings offline. Names follow the
 * kind of objects the table holds, not the table's name:
 *
 * | objects             | functions                                                                           |
 * |---------------------|-------------------------------------------------------------------------------------|
 * | users               | user_create, user_update, user_rename, user_move, user_enable¹, user_disable¹, user_delete |
 * | groups              | group_create, group_update, group_rename, group_move, group_delete                  |
 * | organizationalUnits | ou_create, ou_update, ou_delete                                                     |
 * | memberships         | membership_add, membership_remove                                                   |
 *
 * ¹ always on AD (bit 2 of userAccountControl); on `ldap` only with the table's `disable` option.
 *
 * Parameters are the declared columns (by column name) plus fixed ones that are not attributes of
 * their own: `parent` (the container's DN), `enabled`, `password` (secret), and on memberships
 * `group` and `member` (DNs); each names the declared column it writes when there is one. A rename
 * and a move have semantics `move`: the engine plans them only when the compared value (the RDN
 * column, the parent column) differs from the row.
 */
import type { FunctionParameter, FunctionSchema, FunctionSemantics, TableSchema } from '../../core/index.ts'
import type { LdapConfig, LdapObjectKind } from './ldap-schema.ts'
import { type LdapColumn, type LdapTablePlan, planTable } from './ldap-table.ts'

/** Names of the parameters that are not attributes of the entry. */
export const PARAMETER = {
  parent: 'parent',
  enabled: 'enabled',
  password: 'password',
  group: 'group',
  member: 'member',
} as const

/**
 * Attributes the directory maintains itself (identifiers, timestamps, back-links, AD's logon
 * statistics): a function never writes them. `name` is AD's copy of the RDN value (a rename sets it).
 */
const READ_ONLY_ATTRIBUTES = new Set(
  [
    'objectGUID',
    'objectSid',
    'entryUUID',
    'entryDN',
    'dn',
    'distinguishedName',
    'name',
    'whenCreated',
    'whenChanged',
    'uSNChanged',
    'uSNCreated',
    'createTimestamp',
    'modifyTimestamp',
    'creatorsName',
    'modifiersName',
    'entryCSN',
    'structuralObjectClass',
    'subschemaSubentry',
    'hasSubordinates',
    'numSubordinates',
    'memberOf',
    'isMemberOf',
    'objectCategory',
    'primaryGroupToken',
    'tokenGroups',
    'lastLogon',
    'lastLogonTimestamp',
    'lastLogoff',
    'logonCount',
    'badPwdCount',
    'badPasswordTime',
    'pwdChangedTime',
    'msDS-UserPasswordExpiryTimeComputed',
    'msDS-User-Account-Control-Computed',
  ].map((a) => a.toLowerCase()),
)

/** Attributes a function writes in its own way; the message says which way. */
const MANAGED_ATTRIBUTES: Readonly<Record<string, string>> = {
  objectclass: "the table's `objectClasses` option decides the object classes of created entries",
  unicodepwd: 'set passwords with the secret parameter `password`',
  userpassword: 'set passwords with the secret parameter `password`',
}

/**
 * Attributes the object classes of the `ldap` defaults require (RFC 4519, RFC 2798, RFC 2307): a
 * create must give them when they are declared, or the directory refuses it (LDAP result 65). AD
 * requires nothing a create does not add itself.
 */
const REQUIRED_BY_CLASS: Readonly<Record<string, readonly string[]>> = {
  person: ['cn', 'sn'],
  groupofnames: ['cn'],
  groupofuniquenames: ['cn'],
  organizationalunit: ['ou'],
  posixaccount: ['cn', 'uid', 'uidNumber', 'gidNumber', 'homeDirectory'],
  posixgroup: ['cn', 'gidNumber'],
}

const PREFIX: Record<LdapObjectKind, string> = {
  users: 'user',
  groups: 'group',
  organizationalUnits: 'ou',
  memberships: 'membership',
}

/** Why an attribute may not be written, or undefined when it may. */
export function notWritable(attribute: string): string | undefined {
  const name = attribute.toLowerCase()
  if (READ_ONLY_ATTRIBUTES.has(name)) return 'the directory maintains it'
  return MANAGED_ATTRIBUTES[name]
}

/** The column that holds the RDN value (`cn`, `uid`, `ou`), if declared. */
export function rdnColumnOf(plan: LdapTablePlan): LdapColumn | undefined {
  const rdn = plan.rdnAttribute.toLowerCase()
  return plan.columns.find((c) => c.virtual === undefined && c.attribute.toLowerCase() === rdn)
}

/** The name of the RDN parameter: the RDN column's name, or the RDN attribute when none is declared. */
export function rdnParameterOf(plan: LdapTablePlan): string {
  return rdnColumnOf(plan)?.column.name ?? plan.rdnAttribute
}

/** The column that identifies a row for keyed functions: the primary key, else the dn column. */
export function keyColumnOf(plan: LdapTablePlan): string | undefined {
  return plan.table.primaryKey ?? plan.columns.find((c) => c.virtual === 'dn')?.column.name
}

function virtualColumn(plan: LdapTablePlan, virtual: LdapColumn['virtual']): string | undefined {
  return plan.columns.find((c) => c.virtual === virtual)?.column.name
}

/** Whether enable and disable exist: always for AD users, for `ldap` users with the `disable` option. */
export function canDisable(plan: LdapTablePlan): boolean {
  return plan.objects === 'users' && (plan.flavour === 'ad' || plan.options.disable !== undefined)
}

interface Context {
  readonly plan: LdapTablePlan
  readonly prefix: string
  readonly keyColumn: string | undefined
}

function fixed(
  name: string,
  type: FunctionParameter['type'],
  allowance: FunctionParameter['allowance'],
  column: string | undefined,
  description: string,
  secret = false,
): FunctionParameter {
  return {
    name,
    type,
    allowance,
    ...(column === undefined ? {} : { column }),
    ...(secret ? { secret: true } : {}),
    description,
  }
}

function parentParameter(ctx: Context, allowance: FunctionParameter['allowance'], description: string) {
  return fixed(PARAMETER.parent, 'string', allowance, virtualColumn(ctx.plan, 'parent'), description)
}

function enabledParameter(ctx: Context, allowance: FunctionParameter['allowance'], description: string) {
  return fixed(PARAMETER.enabled, 'boolean', allowance, virtualColumn(ctx.plan, 'enabled'), description)
}

function passwordParameter(plan: LdapTablePlan): FunctionParameter {
  const how =
    plan.flavour === 'ad'
      ? 'Written to unicodePwd; needs an encrypted connection (ldaps:// or startTLS).'
      : 'Set with the Password Modify operation (RFC 3062): the server hashes it by its own policy; needs an encrypted connection.'
  return fixed(PARAMETER.password, 'string', 'optional', undefined, `The new password. ${how}`, true)
}

function rdnParameter(ctx: Context, allowance: FunctionParameter['allowance'], description: string) {
  const column = rdnColumnOf(ctx.plan)
  return {
    name: rdnParameterOf(ctx.plan),
    type: column?.column.type ?? 'string',
    allowance,
    ...(column === undefined ? {} : { column: column.column.name }),
    description,
  } satisfies FunctionParameter
}

/** The fixed parameters of entry functions: a real column of the same name gives way to them. */
const FIXED_NAMES = new Set<string>([PARAMETER.parent, PARAMETER.enabled, PARAMETER.password])

/**
 * The parameters of the table's real (not virtual) columns other than the RDN column, with the
 * allowance `allowanceOf` gives a writable column.
 */
function columnParameters(
  ctx: Context,
  allowanceOf: (column: LdapColumn) => FunctionParameter['allowance'],
): FunctionParameter[] {
  const rdn = rdnColumnOf(ctx.plan)
  const result: FunctionParameter[] = []
  for (const c of ctx.plan.columns) {
    if (c.virtual !== undefined || c === rdn) continue
    if (FIXED_NAMES.has(c.column.name)) continue
    const why = notWritable(c.attribute)
    result.push({
      name: c.column.name,
      type: c.column.type,
      allowance: why === undefined ? allowanceOf(c) : 'prohibited',
      column: c.column.name,
      description: why === undefined ? `Attribute ${c.attribute}.` : `Attribute ${c.attribute}: not written (${why}).`,
    })
  }
  return result
}

/** The virtual dn column, shown as prohibited so that a mapping that gives it learns why. */
function dnParameters(ctx: Context, how: string): FunctionParameter[] {
  const dn = virtualColumn(ctx.plan, 'dn')
  if (dn === undefined || FIXED_NAMES.has(dn)) return []
  return [fixed(dn, 'string', 'prohibited', dn, `The DN is not written: ${how}.`)]
}

function requiredOnCreate(plan: LdapTablePlan): Set<string> {
  const required = new Set<string>()
  if (plan.flavour === 'ad') {
    // A user's logon name is what people sign in with: AD would invent `$XXXX-…` without it.
    if (plan.objects === 'users') required.add('samaccountname')
    return required
  }
  for (const objectClass of plan.objectClasses) {
    for (const a of REQUIRED_BY_CLASS[objectClass.toLowerCase()] ?? []) required.add(a.toLowerCase())
  }
  return required
}

function createFunction(ctx: Context): FunctionSchema {
  const { plan } = ctx
  const required = requiredOnCreate(plan)
  const parameters: FunctionParameter[] = [
    rdnParameter(
      ctx,
      'mandatory',
      `The ${plan.rdnAttribute} of the new entry: its DN is ${plan.rdnAttribute}=<value>,<parent>.`,
    ),
    ...columnParameters(ctx, (c) => (required.has(c.attribute.toLowerCase()) ? 'mandatory' : 'optional')),
    ...dnParameters(ctx, `it is made from ${plan.rdnAttribute} and parent`),
    parentParameter(ctx, 'optional', `DN of the container to create the entry in. Default: ${plan.createIn}.`),
  ]
  if (plan.objects === 'users') {
    if (canDisable(plan)) {
      const state =
        plan.flavour === 'ad'
          ? 'userAccountControl 512 (enabled) or 514 (disabled)'
          : `${plan.options.disable!.attribute} per the table's disable option`
      parameters.push(
        enabledParameter(
          ctx,
          'optional',
          `Whether the account can log on: ${state}. Default: true when a password is given.`,
        ),
      )
    }
    parameters.push(passwordParameter(plan))
  }
  const extras =
    plan.flavour === 'ad' && plan.objects === 'groups'
      ? ' sAMAccountName defaults to the cn, groupType to a global security group (-2147483646).'
      : ''
  return {
    name: `${ctx.prefix}_create`,
    table: plan.table.name,
    semantics: 'create',
    parameters,
    description: `Adds an entry (object classes ${plan.objectClasses.join(', ')}) below ${plan.createIn} or the given parent.${extras}`,
  }
}

function keyed(ctx: Context, suffix: string, semantics: FunctionSemantics, description: string): FunctionSchema {
  return {
    name: `${ctx.prefix}_${suffix}`,
    table: ctx.plan.table.name,
    semantics,
    parameters: [],
    keyColumn: ctx.keyColumn,
    description,
  }
}

function updateFunction(ctx: Context): FunctionSchema {
  const { plan, prefix } = ctx
  const canMove = plan.objects !== 'organizationalUnits'
  const parameters: FunctionParameter[] = [
    rdnParameter(
      ctx,
      'prohibited',
      canMove ? `Renaming changes the DN: use ${prefix}_rename.` : 'Renaming changes the DN: not offered for OUs.',
    ),
    ...columnParameters(ctx, (c) => (c.column.name === ctx.keyColumn ? 'prohibited' : 'optional')),
    ...dnParameters(ctx, `use ${prefix}_rename or ${prefix}_move`),
    parentParameter(ctx, 'prohibited', canMove ? `Moving changes the DN: use ${prefix}_move.` : 'OUs are not moved.'),
  ]
  if (plan.objects === 'users') {
    if (canDisable(plan)) {
      parameters.push(enabledParameter(ctx, 'prohibited', `Use ${prefix}_enable and ${prefix}_disable.`))
    }
    parameters.push(passwordParameter(plan))
  }
  return {
    ...keyed(ctx, 'update', 'update', 'Replaces the given attributes (an empty value removes the attribute).'),
    parameters,
  }
}

function renameFunction(ctx: Context): FunctionSchema {
  const { plan } = ctx
  return {
    ...keyed(
      ctx,
      'rename',
      'move',
      `Gives the entry a new ${plan.rdnAttribute} in the same container (its DN changes).`,
    ),
    parameters: [rdnParameter(ctx, 'mandatory', `The new ${plan.rdnAttribute}.`)],
  }
}

function moveFunction(ctx: Context): FunctionSchema {
  return {
    ...keyed(ctx, 'move', 'move', 'Moves the entry to another container, keeping its RDN (its DN changes).'),
    parameters: [parentParameter(ctx, 'mandatory', 'DN of the container to move the entry to.')],
  }
}

function membershipFunctions(ctx: Context): FunctionSchema[] {
  const { plan } = ctx
  const member = plan.memberAttribute.toLowerCase() === 'memberuid' ? 'uid' : 'DN'
  const parameters = [
    fixed(PARAMETER.group, 'string', 'mandatory', virtualColumn(plan, 'group'), 'DN of the group.'),
    fixed(PARAMETER.member, 'string', 'mandatory', virtualColumn(plan, 'member'), `${member} of the member.`),
  ]
  const fn = (suffix: string, semantics: FunctionSemantics, description: string): FunctionSchema => ({
    name: `${ctx.prefix}_${suffix}`,
    table: plan.table.name,
    semantics,
    parameters,
    description,
  })
  return [
    fn(
      'add',
      'membership-add',
      `Adds the member to the group's ${plan.memberAttribute}; already a member is a success.`,
    ),
    fn(
      'remove',
      'membership-remove',
      `Removes the member from the group's ${plan.memberAttribute}; not a member is a success.`,
    ),
  ]
}

/**
 * The functions of one declared table. Pure: no connection, no I/O. Options that do not validate
 * count as absent here; `provisio validate` reports them on their own.
 *
 * @example
 * ldapFunctions(usersTable, { flavour: 'ad', baseDN: 'DC=example,DC=test', pageSize: 500 }).map((f) => f.name)
 * // ['user_create', 'user_update', 'user_rename', 'user_move', 'user_enable', 'user_disable', 'user_delete']
 */
export function ldapFunctions(
  table: TableSchema,
  config: Pick<LdapConfig, 'flavour' | 'baseDN' | 'pageSize'>,
): FunctionSchema[] {
  return functionsOfPlan(planTable(table, config))
}

/** The functions of a resolved table plan (what {@link ldapFunctions} returns). */
export function functionsOfPlan(plan: LdapTablePlan): FunctionSchema[] {
  const ctx: Context = { plan, prefix: PREFIX[plan.objects], keyColumn: keyColumnOf(plan) }
  if (plan.objects === 'memberships') return membershipFunctions(ctx)
  const functions = [createFunction(ctx)]
  // Without a key nothing names the entry to change: such a table only takes creates.
  if (ctx.keyColumn === undefined) return functions
  functions.push(updateFunction(ctx))
  if (plan.objects !== 'organizationalUnits') functions.push(renameFunction(ctx), moveFunction(ctx))
  if (canDisable(plan)) {
    const how =
      plan.flavour === 'ad'
        ? 'bit 2 (ACCOUNTDISABLE) of userAccountControl, keeping the other bits'
        : `${plan.options.disable!.attribute} per the table's disable option`
    functions.push(
      keyed(ctx, 'enable', 'enable', `Lets the account log on again: clears ${how}. Already enabled is a success.`),
      keyed(
        ctx,
        'disable',
        'disable',
        `Stops the account from logging on: sets ${how}. Already disabled is a success.`,
      ),
    )
  }
  functions.push(keyed(ctx, 'delete', 'delete', 'Deletes the entry (an entry with children is refused).'))
  return functions
}
