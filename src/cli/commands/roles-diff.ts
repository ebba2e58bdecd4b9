/**
 * `provisio roles diff`: what activating the development model would change. Both models are
 * resolved against the same vault, so the diff shows roles, groups and members as they are today,
 * not only the YAML that changed: a role whose filter now selects other people shows here too.
 */
import type { ValidatedProject } from '../../config/index.ts'
import { type DiffReport, type RoleModelDiff, diffModels as diffModelsIn } from '../../engine/index.ts'
import type { SqlDriver } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'
import { formatCount, formatTable } from '../output.ts'
import { type ChosenModel, describeModel, resolveModels, shortList } from './roles-model.ts'

export type { DiffReport }

/** Resolves the development and the active model (with progress) and compares them. */
export function diffModels(
  ctx: CliContext,
  db: SqlDriver,
  project: ValidatedProject,
): Promise<{ report: DiffReport; development: ChosenModel; active: ChosenModel | undefined }> {
  return diffModelsIn(db, project, (configs) => resolveModels(ctx, db, project, configs))
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
