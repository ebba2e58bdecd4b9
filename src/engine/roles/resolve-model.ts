/**
 * One call from a role model to its resolution against the vault, for the commands that show a
 * model (`roles diff`, `roles inspect`) rather than plan it.
 */
import type { RoleModelConfig, ValidatedProject } from '../../config/index.ts'
import type { SqlExecutor } from '../../vault/index.ts'
import { type ResolveOptions, type ResolvedRoleModel, resolveRoleModel } from './resolve-roles.ts'
import { prepareRoleModel } from './role-runtime.ts'

/** Prepares `model` for the vault's dialect and resolves it against the vault's current rows. */
export function resolveModel(
  db: SqlExecutor,
  project: ValidatedProject,
  model: RoleModelConfig,
  options: ResolveOptions = {},
): Promise<ResolvedRoleModel> {
  return resolveRoleModel(db, prepareRoleModel(project, model, db.dialect.name), options)
}
