/**
 * Role models as the CLI and the API show them: choosing one (the development model in the project,
 * the active one, or one of the history), comparing the development model with the active one, and
 * inspecting a member, group or role under a model. Both resolve models against the vault today; how
 * progress shows is the caller's (`resolve`).
 */
import type { RoleModelConfig, ValidatedProject } from '../../config/index.ts'
import { ProvisioError, closestMatch } from '../../core/index.ts'
import { type SqlDriver, type StoredRoleModel, getActiveRoleModel } from '../../vault/index.ts'
import { engineError } from '../errors.ts'
import {
  type ActiveRoleModel,
  loadActiveRoleModel,
  loadStoredRoleModel,
  resolveStoredRoleModel,
} from './active-model.ts'
import { developmentModel } from './activate-model.ts'
import { type InspectQuery, type RoleInspection, inspectRoles } from './inspect-roles.ts'
import { type RoleModelDiff, diffRoleModels } from './model-diff.ts'
import { resolveModel } from './resolve-model.ts'
import type { ResolvedRoleModel, RoleNotice } from './resolve-roles.ts'

/** One role model as the commands and routes name it. */
export interface ChosenModel {
  readonly config: RoleModelConfig
  /** Absent for the development model. */
  readonly stored?: StoredRoleModel | undefined
}

/** `active`, `development` or a stored model's id. */
export type ModelChoice = 'active' | 'development' | number

/** Resolves models against the vault; the CLI passes one that shows progress. */
export type ResolveModels = (models: readonly RoleModelConfig[]) => Promise<ResolvedRoleModel[]>

/** Resolves the models one after the other, silently. */
export function plainResolver(db: SqlDriver, project: ValidatedProject): ResolveModels {
  return async (models) => {
    const resolved: ResolvedRoleModel[] = []
    for (const model of models) resolved.push(await resolveModel(db, project, model))
    return resolved
  }
}

/** For people: `development model 'access' (roles/role-model.yaml)`, `active model 3 'access'`. */
export function describeModel(model: ChosenModel): string {
  if (model.stored === undefined) return `development model '${model.config.name}' (${model.config.file})`
  const { id, state, name } = model.stored
  return `${state === 'active' ? 'active' : 'history'} model ${id} '${name}'`
}

/** A stored model for listings and JSON: everything but its YAML source. */
export function withoutSource(model: StoredRoleModel): Omit<StoredRoleModel, 'source'> {
  const { source: _source, ...rest } = model
  return rest
}

/** The model as JSON: which one it is, without its YAML source. */
export function modelJson(model: ChosenModel): Record<string, unknown> {
  if (model.stored === undefined) return { state: 'development', name: model.config.name, file: model.config.file }
  return withoutSource(model.stored)
}

/** The active model, validated against the project; undefined when none was ever activated. */
export async function activeModel(db: SqlDriver, project: ValidatedProject): Promise<ChosenModel | undefined> {
  const stored = await getActiveRoleModel(db)
  return stored === undefined ? undefined : resolveStoredRoleModel(project, stored)
}

/**
 * The model `choice` names. Without a choice, the active model, or the development model (`onNote`
 * says so) when none is active yet.
 */
export async function chooseModel(
  db: SqlDriver,
  project: ValidatedProject,
  choice: ModelChoice | undefined,
  onNote: (note: string) => void = () => {},
): Promise<ChosenModel> {
  if (choice === 'development') return { config: developmentModel(project) }
  if (typeof choice === 'number') return loadStoredRoleModel(db, project, choice)
  const active = await activeModel(db, project)
  if (active !== undefined) return active
  // Asked for explicitly: the engine's error, with its hint (diff, then activate).
  if (choice === 'active') return loadActiveRoleModel(db, project)
  const development = { config: developmentModel(project) }
  onNote(`No role model is active yet: showing the ${describeModel(development)}.`)
  return development
}

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
  db: SqlDriver,
  project: ValidatedProject,
  resolve: ResolveModels = plainResolver(db, project),
): Promise<{ report: DiffReport; development: ChosenModel; active: ChosenModel | undefined }> {
  const development: ChosenModel = { config: developmentModel(project) }
  const { active, problem } = await activeOrProblem(db, project)
  const configs = active === undefined ? [development.config] : [development.config, active.config]
  const [dev, act] = await resolve(configs)
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

/** ENG_UNKNOWN_ROLE, with a did-you-mean, when the model has no role of that name. */
function requireRole(resolved: ResolvedRoleModel, model: ChosenModel, name: string): void {
  const names = resolved.roles.map((r) => r.name)
  if (names.some((n) => n.toLowerCase() === name.toLowerCase())) return
  const suggestion = closestMatch(name, names)
  const some = names.slice(0, 10).join(', ')
  throw engineError('ENG_UNKNOWN_ROLE', `The ${describeModel(model)} has no role '${name}'.`, {
    hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Roles: ${some || '(none)'}${names.length > 10 ? ` … and ${(names.length - 10).toLocaleString('en-US')} more` : ''}.`,
    details: { role: name, roles: names.length },
  })
}

export interface Inspected {
  readonly model: ChosenModel
  readonly resolved: ResolvedRoleModel
  readonly inspection: RoleInspection
}

/** Chooses and resolves the model, then inspects `query` under it. */
export async function inspectModel(
  db: SqlDriver,
  project: ValidatedProject,
  query: InspectQuery,
  choice: ModelChoice | undefined,
  options: { readonly resolve?: ResolveModels | undefined; readonly onNote?: (note: string) => void } = {},
): Promise<Inspected> {
  const model = await chooseModel(db, project, choice, options.onNote)
  const [resolved] = await (options.resolve ?? plainResolver(db, project))([model.config])
  if ('role' in query) requireRole(resolved!, model, query.role)
  return { model, resolved: resolved!, inspection: await inspectRoles(db, resolved!, query) }
}
