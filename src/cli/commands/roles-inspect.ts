/**
 * `provisio roles inspect`: one member, group or role under a role model, and everything on the
 * other side of it (NIM's "Inspect roles"): the roles involved with their groups and members, the
 * memberships the vault holds, whether the model grants them, and the changes the next memberships
 * step would make. Read-only.
 */
import type { Command } from 'commander'
import type { ValidatedProject } from '../../config/index.ts'
import {
  type InspectQuery,
  type Inspected,
  type InspectedMembership,
  type InspectedRole,
  type RoleInspection,
  inspectModel as inspectModelIn,
} from '../../engine/index.ts'
import type { SqlDriver } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { type ModelChoice, describeModel, resolveModels, shortList } from './roles-model.ts'

export interface InspectOptions {
  readonly member?: string
  readonly group?: string
  readonly role?: string
  readonly model?: ModelChoice
}

/** The query the options give; exactly one of --member, --group, --role (else a usage error, exit 2). */
export function inspectQuery(options: InspectOptions, command: Command): InspectQuery {
  const given = [
    options.member === undefined ? undefined : { member: options.member },
    options.group === undefined ? undefined : { group: options.group },
    options.role === undefined ? undefined : { role: options.role },
  ].filter((q) => q !== undefined)
  if (given.length !== 1) {
    command.error(
      `error: give exactly one of --member KEY, --group NAME or --role NAME${given.length === 0 ? '' : ` (got ${given.length})`}.`,
      { exitCode: 2, code: 'provisio.usage' },
    )
  }
  return given[0]!
}

export type { Inspected }

/** Chooses and resolves the model (with progress), then inspects `query` under it. */
export function inspectModel(
  ctx: CliContext,
  db: SqlDriver,
  project: ValidatedProject,
  query: InspectQuery,
  choice: ModelChoice | undefined,
): Promise<Inspected> {
  return inspectModelIn(db, project, query, choice, {
    resolve: (configs) => resolveModels(ctx, db, project, configs),
    onNote: (note) => ctx.out.note(note),
  })
}

function subject(query: InspectQuery): string {
  if ('member' in query) return `Member '${query.member}'`
  if ('group' in query) return `Group '${query.group}'`
  return `Role '${query.role}'`
}

/** What the model does with a membership the vault holds. */
export function membershipState(m: Pick<InspectedMembership, 'managed' | 'granted'>): string {
  if (!m.managed) return 'not managed: left as it is'
  return m.granted ? 'granted' : 'not granted: removed on the next run'
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')

function more(total: number, shown: number, what: string): string[] {
  return total > shown ? [`  … and ${formatCount(total - shown)} more ${what} (--all shows them)`] : []
}

function rolesSection(roles: readonly InspectedRole[], limit: number): string[] {
  if (roles.length === 0) return []
  const shown = roles.slice(0, limit)
  const table = formatTable(
    ['role', 'generator', 'members', 'groups'],
    shown.map((r) => [
      r.role,
      r.generator ?? '',
      formatCount(r.members.length),
      shortList(
        r.groups.map((g) => `${g.system}:${g.name}`),
        limit,
      ),
    ]),
    ['left', 'left', 'right', 'left'],
    100,
  )
  return ['', `Roles (${formatCount(roles.length)}):`, indent(table), ...more(roles.length, shown.length, 'roles')]
}

/** The members on the other side: a role's, or those the roles grant a group (in the group's systems). */
function membersOf(inspection: RoleInspection): string[] | undefined {
  const { query, roles } = inspection
  if ('member' in query) return undefined
  let systems: Set<string> | undefined
  if ('group' in query) {
    const wanted = query.group.toLowerCase()
    systems = new Set(
      roles.flatMap((r) =>
        r.groups.filter((g) => g.name.toLowerCase() === wanted || g.key.toLowerCase() === wanted).map((g) => g.system),
      ),
    )
  }
  const members = roles.flatMap((r) =>
    r.members.filter((m) => systems === undefined || systems.has(m.system)).map((m) => `${m.system}:${m.key}`),
  )
  return [...new Set(members)].sort()
}

const byGroupThenMember = (a: InspectedMembership, b: InspectedMembership) =>
  a.system.localeCompare(b.system) || a.group.localeCompare(b.group) || a.member.localeCompare(b.member)

function currentSection(current: readonly InspectedMembership[], limit: number): string[] {
  if (current.length === 0) return ['', 'Memberships the vault holds: none.']
  const shown = [...current].sort(byGroupThenMember).slice(0, limit)
  const table = formatTable(
    ['system', 'table', 'group', 'member', 'state'],
    shown.map((m) => [m.system, m.table, m.group, m.member, membershipState(m)]),
    [],
    80,
  )
  return [
    '',
    `Memberships the vault holds (${formatCount(current.length)}):`,
    indent(table),
    ...more(current.length, shown.length, 'memberships'),
  ]
}

function pendingSection(inspection: RoleInspection, limit: number): string[] {
  const { pending } = inspection
  if (pending.length === 0) return ['', 'Pending changes: none, the target matches the model.']
  const shown = pending.slice(0, limit)
  return [
    '',
    `Pending changes (${formatCount(pending.length)}):`,
    ...shown.map(
      (p) =>
        `  ${p.change === 'add' ? `add ${p.member} to` : `remove ${p.member} from`} ${p.group} (${p.system}.${p.table})`,
    ),
    ...more(pending.length, shown.length, 'changes'),
  ]
}

/** The inspection for people; lists cut at `limit` items. */
export function renderInspection(inspected: Inspected, limit: number): string {
  const { model, inspection } = inspected
  const { roles } = inspection
  const lines = [`${subject(inspection.query)} under the ${describeModel(model)}:`]
  if (roles.length === 0)
    lines.push(
      '',
      'member' in inspection.query
        ? 'No role of the model grants it.'
        : 'No role of the model references it: its memberships are left as they are.',
    )
  lines.push(...rolesSection(roles, limit))
  const members = membersOf(inspection)
  if (members !== undefined && roles.length > 0)
    lines.push('', `Members the roles grant (${formatCount(members.length)}): ${shortList(members, limit)}`)
  lines.push(...currentSection(inspection.current, limit), ...pendingSection(inspection, limit))
  return lines.join('\n')
}
