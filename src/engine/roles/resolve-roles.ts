/**
 * Resolving a role model against the vault (DESIGN.md §8 "roles"): which roles exist (written ones,
 * and one per generation row of every enabled generator), which groups each grants in each target
 * system, and who its members are. Set-based: a written role's member filter runs once (roles that
 * share a filter and parameters share the run), and a generator's member filter runs ONCE for all its
 * generated roles, with the bound parameters lifted into the query (compileLiftedFilter), so 2,000
 * department roles cost one statement, not 2,000.
 *
 * Members are kept as the member keys the memberships table holds (`u.dn`, `u.sAMAccountName`); a
 * member row whose key is null (a person without an account) grants nothing.
 */
import type { Row, Value } from '../../core/index.ts'
import { type CompiledFilter, compileLiftedFilter, runFilter } from '../../filters/index.ts'
import { type SqlExecutor, streamCurrentColumns } from '../../vault/index.ts'
import type { GeneratorRuntime, ItemRuntime, RoleModelRuntime } from './role-runtime.ts'

/** A group a role item grants, as the group table holds it. */
export interface ResolvedGroup {
  /** The group key (what the memberships table holds: a DN, a cn, an id). */
  readonly key: string
  /** The group's name (the item's nameColumn). */
  readonly name: string
}

/** One role item, resolved: its groups and its members' keys. */
export interface ResolvedItem {
  readonly runtime: ItemRuntime
  readonly groups: readonly ResolvedGroup[]
  /** Distinct member keys, in filter order. */
  readonly members: readonly string[]
}

export interface ResolvedRole {
  readonly name: string
  /** The generator that made it; absent for a written role. */
  readonly generator?: string | undefined
  readonly items: readonly ResolvedItem[]
}

/** Something worth telling about a resolution that did not stop it (a group name no group has). */
export interface RoleNotice {
  readonly code:
    | 'ROLE_GROUP_NOT_FOUND'
    | 'ROLE_NAME_EMPTY'
    | 'ROLE_DUPLICATE_NAME'
    | 'ROLE_GROUP_AMBIGUOUS'
    | 'ROLE_NO_ITEMS'
    | 'ROLE_GROUP_EMPTIED'
    | 'ROLE_FILTER_CHANGED'
  /** The role (or, for notices about the whole model, the model) it concerns. */
  readonly role: string
  readonly message: string
}

export interface ResolvedRoleModel {
  readonly roles: readonly ResolvedRole[]
  readonly notices: readonly RoleNotice[]
}

export interface ResolveOptions {
  /** Resolve only the items of these systems (a memberships step needs one). @default every system */
  readonly systems?: ReadonlySet<string> | undefined
}

/** How many notices of each code a resolution keeps (all are counted in the figures elsewhere). */
const NOTICES_KEPT = 200

/** The groups of one group table, by folded name; loaded once per (system, table, key, name). */
class GroupDirectory {
  private readonly tables = new Map<string, Promise<GroupTableIndex>>()

  constructor(private readonly db: SqlExecutor) {}

  of(item: ItemRuntime): Promise<GroupTableIndex> {
    const { system, groupTable, item: config } = item
    const id = `${system.name}\u0000${groupTable.name}\u0000${config.groupKey}\u0000${config.nameColumn}`
    let index = this.tables.get(id)
    if (index === undefined) {
      index = GroupTableIndex.load(this.db, item)
      this.tables.set(id, index)
    }
    return index
  }
}

class GroupTableIndex {
  private constructor(
    readonly all: readonly ResolvedGroup[],
    private readonly byName: ReadonlyMap<string, ResolvedGroup[]>,
  ) {}

  static async load(db: SqlExecutor, item: ItemRuntime): Promise<GroupTableIndex> {
    const { groupKey, nameColumn } = item.item
    const all: ResolvedGroup[] = []
    const byName = new Map<string, ResolvedGroup[]>()
    const columns = [...new Set([groupKey, nameColumn])]
    for await (const page of streamCurrentColumns(db, item.system.name, item.groupTable.name, columns)) {
      for (const row of page) {
        const key = textOf(row[groupKey])
        const name = textOf(row[nameColumn])
        if (key === undefined || name === undefined) continue
        const group = { key, name }
        all.push(group)
        const folded = name.toLowerCase()
        const same = byName.get(folded)
        if (same === undefined) byName.set(folded, [group])
        else same.push(group)
      }
    }
    return new GroupTableIndex(all, byName)
  }

  named(name: string): readonly ResolvedGroup[] {
    return this.byName.get(name.toLowerCase()) ?? []
  }

  matching(pattern: string): ResolvedGroup[] {
    const regex = globRegex(pattern)
    return this.all.filter((g) => regex.test(g.name))
  }
}

/** `*` any characters, `?` one; everything else literal; case-insensitive, whole name. */
export function globRegex(pattern: string): RegExp {
  const body = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`, 'isu')
}

function textOf(value: Value | undefined): string | undefined {
  if (value === null || value === undefined) return undefined
  const text = typeof value === 'string' ? value : Array.isArray(value) ? undefined : String(value)
  return text === undefined || text === '' ? undefined : text
}

/** Collects roles by folded name: a name given twice merges its groups and members (and says so). */
class RoleCollector {
  private readonly roles = new Map<string, { name: string; generator?: string | undefined; items: MutableItem[] }>()
  readonly notices: RoleNotice[] = []
  private readonly kept = new Map<RoleNotice['code'], number>()

  notice(notice: RoleNotice): void {
    const kept = this.kept.get(notice.code) ?? 0
    if (kept >= NOTICES_KEPT) return
    this.kept.set(notice.code, kept + 1)
    this.notices.push(notice)
  }

  add(name: string, generator: string | undefined, items: MutableItem[]): void {
    const folded = name.toLowerCase()
    const existing = this.roles.get(folded)
    if (existing === undefined) {
      this.roles.set(folded, { name, generator, items })
      return
    }
    this.notice({
      code: 'ROLE_DUPLICATE_NAME',
      role: name,
      message: `Role '${name}' is defined more than once${generator === undefined ? '' : ` (generator ${generator})`}; its groups and members are merged.`,
    })
    existing.items.push(...items)
  }

  result(): ResolvedRole[] {
    return [...this.roles.values()].map((r) => ({
      name: r.name,
      generator: r.generator,
      items: r.items.map((i) => ({ runtime: i.runtime, groups: i.groups, members: [...i.members] })),
    }))
  }
}

interface MutableItem {
  readonly runtime: ItemRuntime
  readonly groups: ResolvedGroup[]
  readonly members: Set<string>
}

/** The groups an item grants, for a written role or (with `row`) for one generated role. */
function groupsOf(
  item: ItemRuntime,
  index: GroupTableIndex,
  role: string,
  collector: RoleCollector,
  generationRow?: Parameters<NonNullable<ItemRuntime['groupName']>>[0],
): ResolvedGroup[] {
  const { groups } = item.item
  const where = `${item.system.name}.${item.groupTable.name}`
  const found: ResolvedGroup[] = []
  const lookup = (name: string) => {
    const named = index.named(name)
    if (named.length === 0) {
      collector.notice({
        code: 'ROLE_GROUP_NOT_FOUND',
        role,
        message: `Role '${role}': no group of ${where} has ${item.item.nameColumn} '${name}'; the role grants it once it exists (collect ${item.system.name} after creating it).`,
      })
    } else if (named.length > 1) {
      collector.notice({
        code: 'ROLE_GROUP_AMBIGUOUS',
        role,
        message: `Role '${role}': ${named.length} groups of ${where} have ${item.item.nameColumn} '${name}'; all of them are granted.`,
      })
    }
    found.push(...named)
  }
  switch (groups.kind) {
    case 'names':
      for (const name of groups.names) lookup(name)
      break
    case 'match':
      found.push(...index.matching(groups.pattern))
      break
    case 'expression': {
      const name = generationRow === undefined ? undefined : textOf(item.groupName?.(generationRow))
      if (name !== undefined) lookup(name)
      break
    }
  }
  // One group once, even when two names or a name and a pattern give it.
  const seen = new Set<string>()
  return found.filter((g) => !seen.has(g.key) && seen.add(g.key) !== undefined)
}

/** Adds to `groups` the ones of `more` it lacks. */
function mergeGroups(groups: ResolvedGroup[], more: readonly ResolvedGroup[]): void {
  for (const group of more) if (!groups.some((g) => g.key === group.key)) groups.push(group)
}

/** Adds the member keys of one member-filter row to each item (null keys grant nothing). */
function addMembers(items: readonly MutableItem[], row: Row): void {
  for (const item of items) {
    const key = textOf(row[item.runtime.item.member])
    if (key !== undefined) item.members.add(key)
  }
}

async function runMembers(db: SqlExecutor, filter: CompiledFilter, each: (row: Row) => void): Promise<void> {
  for await (const page of runFilter(db, filter, { pageSize: 5000 })) for (const row of page) each(row)
}

/** Written roles: each member filter (with its parameters) runs once, shared by the roles that use it. */
async function resolveWrittenRoles(
  db: SqlExecutor,
  runtime: RoleModelRuntime,
  directory: GroupDirectory,
  collector: RoleCollector,
  inScope: (item: ItemRuntime) => boolean,
): Promise<void> {
  const byQuery = new Map<string, { filter: CompiledFilter; items: MutableItem[] }>()
  for (const role of runtime.roles) {
    const items: MutableItem[] = []
    for (const item of role.items.filter(inScope)) {
      const groups = groupsOf(item, await directory.of(item), role.role.name, collector)
      items.push({ runtime: item, groups, members: new Set() })
    }
    collector.add(role.role.name, undefined, items)
    const id = `${role.filter.sql}\u0000${JSON.stringify(role.filter.params)}`
    const query = byQuery.get(id)
    if (query === undefined) byQuery.set(id, { filter: role.filter, items: [...items] })
    else query.items.push(...items)
  }
  for (const { filter, items } of byQuery.values()) {
    if (items.length === 0) continue
    await runMembers(db, filter, (row) => addMembers(items, row))
  }
}

/** One generator: its generation rows become roles; its member filter runs once for all of them. */
async function resolveGenerator(
  db: SqlExecutor,
  runtime: RoleModelRuntime,
  generator: GeneratorRuntime,
  directory: GroupDirectory,
  collector: RoleCollector,
  inScope: (item: ItemRuntime) => boolean,
): Promise<void> {
  const items = generator.items.filter(inScope)
  if (items.length === 0) return
  const indexes = await Promise.all(items.map((i) => directory.of(i)))
  const bindingOf = new Map<string, number>()
  const bindings: Value[][] = []
  // The items of every role by binding: roles with the same bound values share one binding's rows.
  const itemsByBinding: MutableItem[][] = []
  const generated = new Map<string, MutableItem[]>()
  const fixedGroups = new Map<number, ResolvedGroup[]>()
  const fixed = (i: number, role: string): ResolvedGroup[] => {
    let groups = fixedGroups.get(i)
    if (groups === undefined) fixedGroups.set(i, (groups = groupsOf(items[i]!, indexes[i]!, role, collector)))
    return groups
  }
  for await (const page of runFilter(db, generator.generation, { pageSize: 5000 })) {
    for (const row of page) {
      const evalRow = generator.shape.toEvalRow(row)
      const name = textOf(generator.roleName(evalRow))
      if (name === undefined) {
        collector.notice({
          code: 'ROLE_NAME_EMPTY',
          role: generator.generator.name,
          message: `Role generator '${generator.generator.name}': a generation row gives no role name; the row is left out.`,
        })
        continue
      }
      const values = generator.bind.map((b) => b.evaluate(evalRow))
      const id = JSON.stringify(values)
      let binding = bindingOf.get(id)
      if (binding === undefined) {
        binding = bindings.length
        bindingOf.set(id, binding)
        bindings.push(values)
        itemsByBinding.push([])
      }
      // A generation filter may give one row per contract: the same role (name and binding) again
      // adds only the groups its expression gives anew, never a second copy of the role's items.
      const key = `${name.toLowerCase()}\u0000${binding}`
      const same = generated.get(key)
      if (same !== undefined) {
        items.forEach((item, i) => {
          if (item.groupName !== undefined)
            mergeGroups(same[i]!.groups, groupsOf(item, indexes[i]!, name, collector, evalRow))
        })
        continue
      }
      const roleItems = items.map((item, i) => ({
        runtime: item,
        // Fixed names and patterns give every generated role the same groups: resolved once.
        groups:
          item.groupName === undefined ? [...fixed(i, name)] : groupsOf(item, indexes[i]!, name, collector, evalRow),
        members: new Set<string>(),
      }))
      generated.set(key, roleItems)
      itemsByBinding[binding]!.push(...roleItems)
      collector.add(name, generator.generator.name, roleItems)
    }
  }
  if (bindings.length === 0) return
  const lifted = compileLiftedFilter(
    generator.memberFilter,
    runtime.context,
    runtime.dialect,
    generator.generator.members.parameters,
    // Members are collected into sets: the database need not sort them.
    { parameters: generator.bind.map((b) => b.parameter), bindings, ordered: false },
  )
  await runMembers(db, lifted, (row) => {
    const binding = row['#binding']
    if (typeof binding === 'number') addMembers(itemsByBinding[binding] ?? [], row)
  })
}

/** Resolves the roles of a prepared model against the vault's current rows. */
export async function resolveRoleModel(
  db: SqlExecutor,
  runtime: RoleModelRuntime,
  options: ResolveOptions = {},
): Promise<ResolvedRoleModel> {
  const inScope = (item: ItemRuntime) => options.systems === undefined || options.systems.has(item.system.name)
  const directory = new GroupDirectory(db)
  const collector = new RoleCollector()
  await resolveWrittenRoles(db, runtime, directory, collector, inScope)
  for (const generator of runtime.generators)
    await resolveGenerator(db, runtime, generator, directory, collector, inScope)
  return { roles: collector.result(), notices: collector.notices }
}
