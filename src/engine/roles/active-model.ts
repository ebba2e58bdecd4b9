/**
 * The active role model (DESIGN.md §8 "roles"): the only model a job ever executes. It lives in the
 * vault as the YAML text that was activated, and is validated again against today's project each
 * time it is used: a filter, system or column it names may have changed since activation, and a
 * model that no longer fits must stop the evaluation with its problems, not plan half of its roles.
 */
import { type Issue, renderIssue } from '../../core/index.ts'
import { type RoleModelConfig, type ValidatedProject, validateStoredRoleModel } from '../../config/index.ts'
import { type SqlExecutor, type StoredRoleModel, getActiveRoleModel, getRoleModel } from '../../vault/index.ts'
import { checkRoleModels } from '../check-roles.ts'
import { modelFilterHashes } from './activate-model.ts'
import { engineError } from '../errors.ts'

/** A stored model, resolved against the project. */
export interface ActiveRoleModel {
  readonly stored: StoredRoleModel
  readonly config: RoleModelConfig
  /**
   * Filters the model uses that changed since it was activated: they change memberships without any
   * activation, so evaluations and `roles diff` point them out.
   */
  readonly changedFilters: readonly string[]
}

/** How a stored model is named in messages and in its issues' `file`. */
export function storedModelLabel(stored: Pick<StoredRoleModel, 'id' | 'state'>): string {
  return `role model ${stored.id} (${stored.state})`
}

/**
 * Validates a stored model against the project (the configuration checks and the engine's checks of
 * its functions, columns and expressions); throws ENG_ROLE_MODEL_INVALID with every error.
 */
export function resolveStoredRoleModel(project: ValidatedProject, stored: StoredRoleModel): ActiveRoleModel {
  const label = storedModelLabel(stored)
  const { value, issues } = validateStoredRoleModel(stored.source, label, project)
  const errors: Issue[] = issues.filter((i) => i.severity !== 'warning')
  if (value !== undefined && errors.length === 0)
    errors.push(...checkRoleModels(project, [value]).filter((i) => i.severity !== 'warning'))
  if (value === undefined || errors.length > 0) {
    throw engineError(
      'ENG_ROLE_MODEL_INVALID',
      `The ${label} no longer fits the project: ${errors.map((i) => renderIssue(i)).join('; ') || 'it does not validate'}`,
      {
        hint: 'Fix the project (a filter, system or column the model names), or correct the development model and `provisio roles activate` it.',
        details: { roleModel: stored.id, issues: errors.length },
      },
    )
  }
  const now = modelFilterHashes(project, value)
  const changedFilters = Object.keys(stored.filters).filter((name) => now[name] !== stored.filters[name])
  return { stored, config: value, changedFilters }
}

/** The active model, validated against the project; throws ENG_NO_ACTIVE_ROLE_MODEL when none was activated. */
export async function loadActiveRoleModel(db: SqlExecutor, project: ValidatedProject): Promise<ActiveRoleModel> {
  const stored = await getActiveRoleModel(db)
  if (stored === undefined) {
    throw engineError(
      'ENG_NO_ACTIVE_ROLE_MODEL',
      'No role model is active: a memberships step has nothing to execute.',
      {
        hint:
          project.roleModels.length > 0
            ? `Review the development model with \`provisio roles diff\`, then \`provisio roles activate\`.`
            : 'Write a RoleModel document (docs/roles.md), then `provisio roles activate`.',
      },
    )
  }
  return resolveStoredRoleModel(project, stored)
}

/** A model of the history (or the active one) by id, validated against the project. */
export async function loadStoredRoleModel(
  db: SqlExecutor,
  project: ValidatedProject,
  id: number,
): Promise<ActiveRoleModel> {
  return resolveStoredRoleModel(project, await getRoleModel(db, id))
}
