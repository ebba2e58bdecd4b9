/**
 * Planning one system's memberships (DESIGN.md §8 "roles"): the desired (group, member) pairs of the
 * resolved active role model against the memberships the vault collected, as membership-add and
 * membership-remove operations.
 *
 * Managed groups are owned completely: every group any role references (even one whose roles have
 * no members today) loses the members the model does not grant, whoever added them. Groups no role
 * references are never touched. Memberships are direct: a nested group is a member like any other,
 * never flattened into extra writes, and a nested group in a managed group is removed unless a role
 * grants it.
 *
 * Pairs are compared by their folded text when the memberships table's column is caseInsensitive
 * (DNs, sAMAccountNames), exactly otherwise. Memory holds the desired pairs (about 100 bytes each),
 * the ones found present and the planned operations; the collected memberships are streamed.
 */
import { type FunctionSchema, MEMBERSHIP_PARAMETERS, type Row, type TableSchema, type Value } from '../../core/index.ts'
import { type NewOperation, type SqlExecutor, streamCurrentColumns } from '../../vault/index.ts'
import { columnOf } from '../execute/outcomes.ts'
import { operationId } from '../plan/operation-id.ts'
import type { ResolvedRoleModel } from './resolve-roles.ts'

/** The parameters every membership function takes (the convention of connectors' memberships tables). */
export const [GROUP_PARAMETER, MEMBER_PARAMETER] = MEMBERSHIP_PARAMETERS

/** What the operations of a memberships step name as their mapping (plans, audit). */
export function membershipsLabel(system: string): string {
  return `memberships:${system}`
}

/** One memberships table of the system, with what planning found for it. */
export interface MembershipsTablePlan {
  readonly system: string
  readonly table: TableSchema
  readonly add: FunctionSchema
  readonly remove: FunctionSchema
  /** Ordered by group, then member. */
  readonly adds: readonly Omit<NewOperation, 'step'>[]
  readonly removes: readonly Omit<NewOperation, 'step'>[]
  /** Groups the model manages in this table. */
  readonly managedGroups: number
  /** The memberships the vault holds in managed groups: what a percentage threshold of the step counts. */
  readonly managedMemberships: number
  /** Desired pairs the target already has. */
  readonly unchanged: number
  /** Managed groups that have members now and would have none: worth a warning even under the threshold. */
  readonly emptiedGroups: readonly string[]
  /** How the memberships table's group and member columns compare (folded when caseInsensitive). */
  readonly group: Side
  readonly member: Side
}

/** One column of the memberships table (group or member) and how its values compare. */
export interface Side {
  readonly column: string
  readonly fold: (text: string) => string
}

function sideOf(table: TableSchema, column: string): Side {
  const caseInsensitive = table.columns.find((c) => c.name === column)?.caseInsensitive === true
  return { column, fold: caseInsensitive ? (t) => t.toLowerCase() : (t) => t }
}

function text(value: Value | undefined): string | undefined {
  if (value === null || value === undefined || Array.isArray(value)) return undefined
  return typeof value === 'string' ? value : String(value)
}

/** Desired pairs of one memberships table, by folded group key, then folded member key. */
class DesiredPairs {
  readonly byGroup = new Map<string, { key: string; members: Map<string, string> }>()

  constructor(
    private readonly group: Side,
    private readonly member: Side,
  ) {}

  manage(groupKey: string): Map<string, string> {
    const folded = this.group.fold(groupKey)
    let entry = this.byGroup.get(folded)
    if (entry === undefined) {
      entry = { key: groupKey, members: new Map() }
      this.byGroup.set(folded, entry)
    }
    return entry.members
  }

  grant(members: Map<string, string>, memberKey: string): void {
    const folded = this.member.fold(memberKey)
    if (!members.has(folded)) members.set(folded, memberKey)
  }
}

function operation(
  label: string,
  system: string,
  table: TableSchema,
  fn: FunctionSchema,
  group: string,
  member: string,
  before?: Row,
): Omit<NewOperation, 'step'> {
  const attributes = { [GROUP_PARAMETER]: group, [MEMBER_PARAMETER]: member }
  return {
    id: operationId({ mapping: label, function: fn.name, attributes }),
    mapping: label,
    system,
    table: table.name,
    function: fn.name,
    semantics: fn.semantics,
    attributes,
    ...(before === undefined ? {} : { before }),
  }
}

const byGroupThenMember = (a: Omit<NewOperation, 'step'>, b: Omit<NewOperation, 'step'>) => {
  const ga = String(a.attributes[GROUP_PARAMETER])
  const gb = String(b.attributes[GROUP_PARAMETER])
  if (ga !== gb) return ga < gb ? -1 : 1
  const ma = String(a.attributes[MEMBER_PARAMETER])
  const mb = String(b.attributes[MEMBER_PARAMETER])
  return ma < mb ? -1 : ma > mb ? 1 : 0
}

/**
 * Plans the memberships of `system` from a model resolved for it. One result per memberships table
 * the model's items of that system write to (usually one).
 */
export async function planMemberships(
  db: SqlExecutor,
  resolved: ResolvedRoleModel,
  system: string,
): Promise<MembershipsTablePlan[]> {
  const label = membershipsLabel(system)
  const tables = new Map<
    string,
    { table: TableSchema; add: FunctionSchema; remove: FunctionSchema; pairs: DesiredPairs; group: Side; member: Side }
  >()
  for (const role of resolved.roles) {
    for (const item of role.items) {
      const { runtime } = item
      if (runtime.system.name !== system) continue
      let entry = tables.get(runtime.membershipsTable.name)
      if (entry === undefined) {
        const group = sideOf(runtime.membershipsTable, columnOf(runtime.add, GROUP_PARAMETER))
        const member = sideOf(runtime.membershipsTable, columnOf(runtime.add, MEMBER_PARAMETER))
        entry = {
          table: runtime.membershipsTable,
          add: runtime.add,
          remove: runtime.remove,
          pairs: new DesiredPairs(group, member),
          group,
          member,
        }
        tables.set(runtime.membershipsTable.name, entry)
      }
      for (const group of item.groups) {
        const members = entry.pairs.manage(group.key)
        for (const member of item.members) entry.pairs.grant(members, member)
      }
    }
  }
  const plans: MembershipsTablePlan[] = []
  for (const { table, add, remove, pairs, group, member } of tables.values()) {
    const removes: Omit<NewOperation, 'step'>[] = []
    const present = new Map<string, Set<string>>()
    let unchanged = 0
    let managedMemberships = 0
    for await (const page of streamCurrentColumns(db, system, table.name, [group.column, member.column])) {
      for (const row of page) {
        const groupKey = text(row[group.column])
        const memberKey = text(row[member.column])
        if (groupKey === undefined || memberKey === undefined) continue
        const foldedGroup = group.fold(groupKey)
        const desired = pairs.byGroup.get(foldedGroup)
        if (desired === undefined) continue // not a managed group: never touched
        managedMemberships++
        const foldedMember = member.fold(memberKey)
        if (desired.members.has(foldedMember)) {
          let seen = present.get(foldedGroup)
          if (seen === undefined) present.set(foldedGroup, (seen = new Set()))
          if (!seen.has(foldedMember)) unchanged++
          seen.add(foldedMember)
          continue
        }
        const before = { [group.column]: groupKey, [member.column]: memberKey }
        removes.push(operation(label, system, table, remove, groupKey, memberKey, before))
      }
    }
    const adds: Omit<NewOperation, 'step'>[] = []
    for (const [foldedGroup, desired] of pairs.byGroup) {
      const seen = present.get(foldedGroup)
      for (const [foldedMember, memberKey] of desired.members) {
        if (seen?.has(foldedMember) !== true) adds.push(operation(label, system, table, add, desired.key, memberKey))
      }
    }
    adds.sort(byGroupThenMember)
    removes.sort(byGroupThenMember)
    const losing = new Set(removes.map((r) => group.fold(String(r.attributes[GROUP_PARAMETER]))))
    const emptiedGroups = [...pairs.byGroup]
      .filter(([folded, g]) => g.members.size === 0 && losing.has(folded))
      .map(([, g]) => g.key)
    plans.push({
      system,
      table,
      add,
      remove,
      adds,
      removes,
      managedGroups: pairs.byGroup.size,
      managedMemberships,
      unchanged,
      emptiedGroups,
      group,
      member,
    })
  }
  return plans
}
