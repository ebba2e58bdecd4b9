/**
 * `provisio roles inspect` (NIM's "Inspect roles"): one member, group or role, and everything on the
 * other side of it under a resolved model: the roles that grant a member and the groups they give,
 * the roles that reference a group and the members it should have, a role's groups and members,
 * plus what the memberships the vault collected say and the changes a memberships step would plan.
 * Read-only: nothing is stored. A member, group or role asked for is matched regardless of case.
 */
import { type SqlExecutor, streamCurrentColumns } from '../../vault/index.ts'
import { GROUP_PARAMETER, MEMBER_PARAMETER, type MembershipsTablePlan, planMemberships } from './plan-memberships.ts'
import type { ResolvedRole, ResolvedRoleModel } from './resolve-roles.ts'

export type InspectQuery = { readonly member: string } | { readonly group: string } | { readonly role: string }

export interface InspectedRole {
  readonly role: string
  readonly generator?: string | undefined
  readonly groups: readonly { readonly system: string; readonly name: string; readonly key: string }[]
  /** Member keys by system (all of them for `--role`, otherwise only the count matters). */
  readonly members: readonly { readonly system: string; readonly key: string }[]
}

export interface InspectedMembership {
  readonly system: string
  readonly table: string
  readonly group: string
  readonly member: string
  /** A role of the model references the group. */
  readonly managed: boolean
  /** The model grants this very pair. */
  readonly granted: boolean
}

export interface PendingMembershipChange {
  readonly system: string
  readonly table: string
  readonly change: 'add' | 'remove'
  readonly group: string
  readonly member: string
}

export interface RoleInspection {
  readonly query: InspectQuery
  /** The roles involved: granting the member, referencing the group, or the role asked for. */
  readonly roles: readonly InspectedRole[]
  /** Memberships the vault holds for the member or the group (or the role's groups). */
  readonly current: readonly InspectedMembership[]
  /** What a memberships step would add and remove for it now. */
  readonly pending: readonly PendingMembershipChange[]
}

const fold = (text: string) => text.toLowerCase()

function inspected(role: ResolvedRole): InspectedRole {
  return {
    role: role.name,
    generator: role.generator,
    groups: role.items.flatMap((i) =>
      i.groups.map((g) => ({ system: i.runtime.system.name, name: g.name, key: g.key })),
    ),
    members: role.items.flatMap((i) => i.members.map((key) => ({ system: i.runtime.system.name, key }))),
  }
}

/** The key of a memberships table among the plans. */
const tableKey = (system: string, table: string) => `${system}\u0000${table}`

/**
 * The groups the model's roles reference (managed) and the pairs it grants, folded as the plan
 * compares them (the memberships table's caseInsensitive columns), so inspect never disagrees with
 * what a memberships step would do.
 */
function grants(resolved: ResolvedRoleModel, plans: ReadonlyMap<string, MembershipsTablePlan>) {
  const managed = new Set<string>()
  const granted = new Set<string>()
  for (const role of resolved.roles)
    for (const item of role.items) {
      const plan = plans.get(tableKey(item.runtime.system.name, item.runtime.membershipsTable.name))
      if (plan === undefined) continue
      for (const group of item.groups) {
        const g = `${tableKey(plan.system, plan.table.name)}\u0000${plan.group.fold(group.key)}`
        managed.add(g)
        for (const member of item.members) granted.add(`${g}\u0000${plan.member.fold(member)}`)
      }
    }
  return { managed, granted }
}

/** Resolves a query against a resolved model and the vault. */
export async function inspectRoles(
  db: SqlExecutor,
  resolved: ResolvedRoleModel,
  query: InspectQuery,
): Promise<RoleInspection> {
  const systems = [...new Set(resolved.roles.flatMap((r) => r.items.map((i) => i.runtime.system.name)))]
  const plans: MembershipsTablePlan[] = []
  for (const system of systems) plans.push(...(await planMemberships(db, resolved, system)))
  const { managed, granted } = grants(resolved, new Map(plans.map((p) => [tableKey(p.system, p.table.name), p])))

  let roles: ResolvedRole[]
  let matchesPair: (system: string, group: string, member: string) => boolean
  if ('role' in query) {
    roles = resolved.roles.filter((r) => fold(r.name) === fold(query.role))
    const groups = new Set(
      roles.flatMap((r) => r.items.flatMap((i) => i.groups.map((g) => `${i.runtime.system.name}\u0000${fold(g.key)}`))),
    )
    matchesPair = (system, group) => groups.has(`${system}\u0000${fold(group)}`)
  } else if ('group' in query) {
    const wanted = fold(query.group)
    roles = resolved.roles.filter((r) =>
      r.items.some((i) => i.groups.some((g) => fold(g.name) === wanted || fold(g.key) === wanted)),
    )
    // A group asked for by name is known by its keys in the memberships tables.
    const keys = new Set([wanted])
    for (const role of roles)
      for (const item of role.items) for (const g of item.groups) if (fold(g.name) === wanted) keys.add(fold(g.key))
    matchesPair = (_system, group) => keys.has(fold(group))
  } else {
    const wanted = fold(query.member)
    roles = resolved.roles.filter((r) => r.items.some((i) => i.members.some((m) => fold(m) === wanted)))
    matchesPair = (_system, _group, member) => fold(member) === wanted
  }

  const current: InspectedMembership[] = []
  for (const plan of plans) {
    const { group: groupSide, member: memberSide } = plan
    for await (const page of streamCurrentColumns(db, plan.system, plan.table.name, [
      groupSide.column,
      memberSide.column,
    ])) {
      for (const row of page) {
        const group = String(row[groupSide.column] ?? '')
        const member = String(row[memberSide.column] ?? '')
        if (!matchesPair(plan.system, group, member)) continue
        const g = `${tableKey(plan.system, plan.table.name)}\u0000${groupSide.fold(group)}`
        current.push({
          system: plan.system,
          table: plan.table.name,
          group,
          member,
          managed: managed.has(g),
          granted: granted.has(`${g}\u0000${memberSide.fold(member)}`),
        })
      }
    }
  }
  const pending: PendingMembershipChange[] = []
  for (const plan of plans) {
    for (const [change, operations] of [
      ['add', plan.adds],
      ['remove', plan.removes],
    ] as const) {
      for (const operation of operations) {
        const group = String(operation.attributes[GROUP_PARAMETER])
        const member = String(operation.attributes[MEMBER_PARAMETER])
        if (matchesPair(plan.system, group, member))
          pending.push({ system: plan.system, table: plan.table.name, change, group, member })
      }
    }
  }
  return { query, roles: roles.map(inspected), current, pending }
}
