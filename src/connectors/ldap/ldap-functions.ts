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
 * Parameters (ldap-parameters.ts) are the declared columns plus fixed ones that are not attributes
 * of their own (`parent`, `enabled`, `password`, `group`, `member`). A rename and a move have
 * semantics `move`: the engine plans them only when the compared value (the RDN column, the parent
 * column) differs from the row.
 */
import type { FunctionParameter, FunctionSchema, FunctionSemantics, TableSchema } from '../../core/index.ts'
import {
  canDisable,
  columnParameters,
  dnParameters,
  enabledParameter,
  fixedParameter,
  keyColumnOf,
  PARAMETER,
  parentParameter,
  passwordParameter,
  rdnParameter,
  requiredOnCreate,
  virtualColumn,
} from './ldap-parameters.ts'
import type { LdapConfig, LdapObjectKind } from './ldap-schema.ts'
import { type LdapTablePlan, planTable } from './ldap-table.ts'

const PREFIX: Record<LdapObjectKind, string> = {
  users: 'user',
  groups: 'group',
  organizationalUnits: 'ou',
  memberships: 'membership',
}

interface Context {
  readonly plan: LdapTablePlan
  readonly prefix: string
  readonly keyColumn: string | undefined
}

function createFunction(ctx: Context): FunctionSchema {
  const { plan } = ctx
  const required = requiredOnCreate(plan)
  const parameters: FunctionParameter[] = [
    rdnParameter(
      plan,
      'mandatory',
      `The ${plan.rdnAttribute} of the new entry: its DN is ${plan.rdnAttribute}=<value>,<parent>.`,
    ),
    ...columnParameters(plan, (c) => (required.has(c.attribute.toLowerCase()) ? 'mandatory' : 'optional')),
    ...dnParameters(plan, `it is made from ${plan.rdnAttribute} and parent`),
    parentParameter(plan, 'optional', `DN of the container to create the entry in. Default: ${plan.createIn}.`),
  ]
  if (plan.objects === 'users') {
    if (canDisable(plan)) {
      const state =
        plan.flavour === 'ad'
          ? 'userAccountControl 512 (enabled) or 514 (disabled)'
          : `${plan.options.disable!.attribute} per the table's disable option`
      parameters.push(
        enabledParameter(
          plan,
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
      plan,
      'prohibited',
      canMove ? `Renaming changes the DN: use ${prefix}_rename.` : 'Renaming changes the DN: not offered for OUs.',
    ),
    ...columnParameters(plan, (c) => (c.column.name === ctx.keyColumn ? 'prohibited' : 'optional')),
    ...dnParameters(plan, `use ${prefix}_rename or ${prefix}_move`),
    parentParameter(plan, 'prohibited', canMove ? `Moving changes the DN: use ${prefix}_move.` : 'OUs are not moved.'),
  ]
  if (plan.objects === 'users') {
    if (canDisable(plan)) {
      parameters.push(enabledParameter(plan, 'prohibited', `Use ${prefix}_enable and ${prefix}_disable.`))
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
    parameters: [rdnParameter(plan, 'mandatory', `The new ${plan.rdnAttribute}.`)],
  }
}

function moveFunction(ctx: Context): FunctionSchema {
  return {
    ...keyed(ctx, 'move', 'move', 'Moves the entry to another container, keeping its RDN (its DN changes).'),
    parameters: [parentParameter(ctx.plan, 'mandatory', 'DN of the container to move the entry to.')],
  }
}

function membershipFunctions(ctx: Context): FunctionSchema[] {
  const { plan } = ctx
  const member = plan.memberAttribute.toLowerCase() === 'memberuid' ? 'uid' : 'DN'
  const parameters = [
    fixedParameter(PARAMETER.group, 'string', 'mandatory', virtualColumn(plan, 'group'), 'DN of the group.'),
    fixedParameter(PARAMETER.member, 'string', 'mandatory', virtualColumn(plan, 'member'), `${member} of the member.`),
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
