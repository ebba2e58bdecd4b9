/**
 * The demo's roles: making sure a role model is active (only the active model is ever executed, so
 * a first `npm start` activates the project's development model), and the memberships figures of a
 * job run.
 */
import type { ValidatedProject } from '../../config/index.ts'
import { type RoleNotice, activateDevelopmentModel, roleModelHash } from '../../engine/index.ts'
import type { JobEvaluation } from '../../jobs/index.ts'
import { type SqlDriver, getActiveRoleModel } from '../../vault/index.ts'
import { formatCount } from '../output.ts'

export interface DemoRoleModel {
  readonly id: number
  readonly name: string
  readonly file: string
  /** The demo activated it just now: no model was active. */
  readonly activated: boolean
  /** The development model (the project's RoleModel document) differs from the active one. */
  readonly differs: boolean
}

/**
 * The active role model; when none is active and the project has a RoleModel document, activates
 * it. Undefined when the project has no role model and none is active.
 */
export async function ensureActiveRoleModel(
  driver: SqlDriver,
  project: ValidatedProject,
): Promise<DemoRoleModel | undefined> {
  const development = project.roleModels[0]
  const active = await getActiveRoleModel(driver)
  if (active !== undefined) {
    const differs = development !== undefined && roleModelHash(development.document.value) !== active.hash
    return { id: active.id, name: active.name, file: active.file, activated: false, differs }
  }
  if (development === undefined) return undefined
  const { active: activated } = await activateDevelopmentModel(driver, project, { actor: 'demo' })
  return { id: activated.id, name: activated.name, file: activated.file, activated: true, differs: false }
}

/** What the demo says about the active role model, one line each. */
export function describeRoleModel(model: DemoRoleModel | undefined, dir: string): string[] {
  if (model === undefined) return ['No role model: the project has no RoleModel document, and none is active.']
  if (model.activated) {
    return [
      `No role model was active: activated ${model.file} ('${model.name}') as role model ${model.id}.`,
      'Only the active model is executed; after changing the file, review with',
      `\`npx provisio roles diff -p ${dir}\` and make it active with \`npx provisio roles activate -p ${dir}\`.`,
    ]
  }
  const lines = [`Role model ${model.id} ('${model.name}', from ${model.file}) is active.`]
  if (model.differs) {
    lines.push(
      `${model.file} differs from it: see \`npx provisio roles diff -p ${dir}\`; \`npx provisio roles activate -p ${dir}\` makes it active.`,
    )
  }
  return lines
}

/** The memberships a job's evaluation planned, summed over its memberships steps. */
export interface MembershipFigures {
  readonly add: number
  readonly remove: number
  /** Members the model grants that already are members. */
  readonly unchanged: number
}

export function membershipFigures(evaluation: Pick<JobEvaluation, 'steps'>): MembershipFigures | undefined {
  const steps = evaluation.steps.filter((s) => s.semantics === 'membership-add' || s.semantics === 'membership-remove')
  if (steps.length === 0) return undefined
  const sum = (semantics: string, pick: (s: (typeof steps)[number]) => number) =>
    steps.filter((s) => s.semantics === semantics).reduce((n, s) => n + pick(s), 0)
  return {
    add: sum('membership-add', (s) => s.operations),
    remove: sum('membership-remove', (s) => s.operations),
    unchanged: sum('membership-add', (s) => s.unchanged),
  }
}

export function describeMemberships(figures: MembershipFigures): string {
  return `Memberships planned: ${formatCount(figures.add)} adds, ${formatCount(figures.remove)} removes; ${formatCount(figures.unchanged)} members the role model grants are in their groups already.`
}

/** How many role names the demo lists in a line. */
const ROLES_LISTED = 3

/**
 * What the role model's resolution noticed, in a line or two: roles whose group does not exist yet
 * (the job creates department groups before it plans memberships again), and how many other notices.
 */
export function describeNotices(notices: readonly RoleNotice[]): string[] {
  const missing = notices.filter((n) => n.code === 'ROLE_GROUP_NOT_FOUND')
  const lines: string[] = []
  if (missing.length > 0) {
    const roles = missing.slice(0, ROLES_LISTED).map((n) => n.role)
    const more = missing.length > ROLES_LISTED ? `, … ${formatCount(missing.length - ROLES_LISTED)} more` : ''
    lines.push(
      `${formatCount(missing.length)} role(s) grant a group that does not exist yet (${roles.join(', ')}${more}): nothing is written for them until it does.`,
    )
  }
  const others = notices.length - missing.length
  if (others > 0) lines.push(`${formatCount(others)} other role model notice(s): \`provisio job evaluate\` lists them.`)
  return lines
}
