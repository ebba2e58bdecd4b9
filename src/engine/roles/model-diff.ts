/**
 * `provisio roles diff`: what activating the development model would change, compared with the
 * active one, resolved against the same vault: roles added and removed, and for every role both
 * have, the groups and members it gains and loses. Groups are named `system:name`, members
 * `system:key`, so the same account in two systems is two members.
 */
import type { ResolvedRole, ResolvedRoleModel } from './resolve-roles.ts'

export interface RoleChange {
  readonly role: string
  readonly groupsAdded: readonly string[]
  readonly groupsRemoved: readonly string[]
  readonly membersAdded: readonly string[]
  readonly membersRemoved: readonly string[]
}

export interface RoleModelDiff {
  /** Roles only the development model has, with their groups and member counts. */
  readonly rolesAdded: readonly {
    readonly role: string
    readonly groups: readonly string[]
    readonly members: number
  }[]
  /** Roles only the active model has. */
  readonly rolesRemoved: readonly {
    readonly role: string
    readonly groups: readonly string[]
    readonly members: number
  }[]
  /** Roles both have whose groups or members differ. */
  readonly changed: readonly RoleChange[]
  /** Roles both have, unchanged. */
  readonly unchanged: number
  /**
   * Groups the active model manages and the development model no longer references: once it is
   * activated, their members are left as they are (nobody owns them any more), not removed.
   */
  readonly groupsReleased: readonly string[]
}

function groupsOf(role: ResolvedRole): Set<string> {
  return new Set(role.items.flatMap((i) => i.groups.map((g) => `${i.runtime.system.name}:${g.name}`)))
}

function membersOf(role: ResolvedRole): Set<string> {
  return new Set(role.items.flatMap((i) => i.members.map((m) => `${i.runtime.system.name}:${m}`)))
}

const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].filter((x) => !b.has(x)).sort()

function summary(role: ResolvedRole) {
  return { role: role.name, groups: [...groupsOf(role)].sort(), members: membersOf(role).size }
}

/** Compares two resolved models role by role (role names compared case-insensitively). */
export function diffRoleModels(development: ResolvedRoleModel, active: ResolvedRoleModel | undefined): RoleModelDiff {
  const byName = (model: ResolvedRoleModel | undefined) =>
    new Map((model?.roles ?? []).map((r) => [r.name.toLowerCase(), r]))
  const dev = byName(development)
  const act = byName(active)
  const rolesAdded = [...dev.entries()].filter(([k]) => !act.has(k)).map(([, r]) => summary(r))
  const rolesRemoved = [...act.entries()].filter(([k]) => !dev.has(k)).map(([, r]) => summary(r))
  const changed: RoleChange[] = []
  let unchanged = 0
  for (const [key, role] of dev) {
    const before = act.get(key)
    if (before === undefined) continue
    const [g1, g0, m1, m0] = [groupsOf(role), groupsOf(before), membersOf(role), membersOf(before)]
    const change = {
      role: role.name,
      groupsAdded: minus(g1, g0),
      groupsRemoved: minus(g0, g1),
      membersAdded: minus(m1, m0),
      membersRemoved: minus(m0, m1),
    }
    if (Object.values(change).some((v) => Array.isArray(v) && v.length > 0)) changed.push(change)
    else unchanged++
  }
  const managed = (model: ResolvedRoleModel | undefined) =>
    new Set((model?.roles ?? []).flatMap((r) => [...groupsOf(r)]))
  const groupsReleased = minus(managed(active), managed(development))
  const byRole = (a: { role: string }, b: { role: string }) => a.role.localeCompare(b.role)
  return {
    rolesAdded: rolesAdded.sort(byRole),
    rolesRemoved: rolesRemoved.sort(byRole),
    changed: changed.sort(byRole),
    unchanged,
    groupsReleased,
  }
}
