/**
 * `provisio roles diff`: what activating the development model would change. Both models are
 * resolved against the same vault, so the diff shows roles, groups and members as they are today,
 * not only the YAML that changed: a role whose filter now selects other people shows here too.
 */
import { ProvisioError } from '../../core/index.ts'
import type { ValidatedProject } from '../../config/index.ts'
import {
  type ActiveRoleModel,
  type RoleModelDiff,
  type RoleNotice,
  developmentModel,
  diffRoleModels,
} from '../../engine/index.ts'
import type { SqlDriver } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { type ChosenModel, activeModel, describeModel, modelJson, resolveModels, shortList } from './roles-model.ts'

export interface DiffReport extends RoleModelDiff {
  readonly development: Record<string, unknown>
  /** Absent (null) when no model is active: every role is added. */
  readonly active: Record<string, unknown> | null
  readonly notices: { readonly development: readonly RoleNotice[]; readonly active: readonly RoleNotice[] }
  /**
   * Why the active model could not be resolved (it no longer fits the project): the diff is then
   * against nothing, which is exactly when seeing the development model's effect helps most.
   */
  readonly activeProblem?: string | undefined
  /** Filters the active model uses that changed since its activation (they already changed its memberships). */
  readonly changedFilters: readonly string[]
}

/** The active model, or why it cannot be used today. */
async function activeOrProblem(
  db: SqlDriver,
  project: ValidatedProject,
): Promise<{ active?: ChosenModel | undefined; problem?: string | undefined }> {
  try {
    return { active: await activeModel(db, project) }
  } catch (error) {
    if (error instanceof ProvisioError && error.code === 'ENG_ROLE_MODEL_INVALID') return { problem: error.message }
    throw error
  }
}

/** Resolves the development and the active model and compares them. */
export async function diffModels(
  ctx: CliContext,
  db: SqlDriver,
  project: ValidatedProject,
): Promise<{ report: DiffReport; development: ChosenModel; active: ChosenModel | undefined }> {
  const development: ChosenModel = { config: developmentModel(project) }
  const { active, problem } = await activeOrProblem(db, project)
  const configs = active === undefined ? [development.config] : [development.config, active.config]
  const [dev, act] = await resolveModels(ctx, db, project, configs)
  const diff = diffRoleModels(dev!, act)
  return {
    development,
    active,
    report: {
      development: modelJson(development),
      active: active === undefined ? null : modelJson(active),
      ...diff,
      notices: { development: dev!.notices, active: act?.notices ?? [] },
      ...(problem === undefined ? {} : { activeProblem: problem }),
      changedFilters:
        active !== undefined && 'changedFilters' in active ? (active as ActiveRoleModel).changedFilters : [],
    },
  }
}

function summaryTable(sign: string, roles: RoleModelDiff['rolesAdded'], limit: number): string {
  const shown = roles.slice(0, limit)
  const table = formatTable(
    ['', 'role', 'members', 'groups'],
    shown.map((r) => [sign, r.role, formatCount(r.members), shortList(r.groups, limit)]),
    ['left', 'left', 'right', 'left'],
    100,
  )
  const indented = table.split('\n').map((l) => `  ${l}`)
  if (roles.length > shown.length) indented.push(`  … and ${formatCount(roles.length - shown.length)} more roles`)
  return indented.join('\n')
}

function changeLines(change: RoleModelDiff['changed'][number], limit: number): string[] {
  const lines = [`  ~ ${change.role}`]
  const part = (label: string, items: readonly string[]) => {
    if (items.length > 0)
      lines.push(`      ${label.padEnd(16)} ${formatCount(items.length)}: ${shortList(items, limit)}`)
  }
  part('groups added', change.groupsAdded)
  part('groups removed', change.groupsRemoved)
  part('members added', change.membersAdded)
  part('members removed', change.membersRemoved)
  return lines
}

/** The diff for people; each list cut at `limit` items with `… and N more`. */
export function renderDiff(
  report: DiffReport,
  development: ChosenModel,
  active: ChosenModel | undefined,
  limit: number,
): string {
  const { rolesAdded, rolesRemoved, changed, unchanged } = report
  const lines = [
    report.activeProblem !== undefined
      ? `warning: ${report.activeProblem}\nComparing against no active model: every role of the ${describeModel(development)} is shown as new.`
      : active === undefined
        ? `No role model is active: every role of the ${describeModel(development)} is new.`
        : `The ${describeModel(development)} against the ${describeModel(active)}:`,
  ]
  if (rolesAdded.length + rolesRemoved.length + changed.length + report.groupsReleased.length === 0) {
    lines.push(
      active === undefined
        ? 'The development model has no roles today.'
        : 'No difference: both give the same roles, groups and members.',
    )
    return lines.join('\n')
  }
  lines.push(
    `${formatCount(rolesAdded.length)} role(s) added, ${formatCount(rolesRemoved.length)} removed, ${formatCount(changed.length)} changed, ${formatCount(unchanged)} unchanged.`,
  )
  if (rolesAdded.length > 0) lines.push('', 'Added:', summaryTable('+', rolesAdded, limit))
  if (rolesRemoved.length > 0) lines.push('', 'Removed:', summaryTable('-', rolesRemoved, limit))
  if (changed.length > 0) {
    lines.push('', 'Changed:')
    for (const change of changed.slice(0, limit)) lines.push(...changeLines(change, limit))
    if (changed.length > limit) lines.push(`  … and ${formatCount(changed.length - limit)} more changed roles`)
  }
  if (report.changedFilters.length > 0) {
    lines.push(
      '',
      `warning: filter(s) ${report.changedFilters.join(', ')} changed since the active model was activated; both models resolve through them as they are now, so this diff does not show that change.`,
    )
  }
  if (report.groupsReleased.length > 0) {
    lines.push(
      '',
      `No longer managed (${formatCount(report.groupsReleased.length)}): ${shortList(report.groupsReleased, limit)}`,
      '  their members are left as they are once the model is activated; nothing removes them.',
    )
  }
  lines.push('', 'Activate it with: provisio roles activate')
  return lines.join('\n')
}
