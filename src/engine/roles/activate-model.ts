/**
 * `provisio roles activate`: the development model (the project's RoleModel document) becomes the
 * active one. What is stored is the document's YAML text exactly as written (comments included), so
 * that a model restored from history reads as it was; its hash is taken over the parsed value, so
 * re-indenting a file is no change. The model must pass every check first: an active model that does
 * not validate would stop every memberships step.
 */
import { createHash } from 'node:crypto'
import type { Clock } from '../../core/index.ts'
import type { RoleModelConfig, ValidatedProject } from '../../config/index.ts'
import { type SqlDriver, type StoredRoleModel, activateRoleModel, getActiveRoleModel } from '../../vault/index.ts'
import { checkRoleModels } from '../check-roles.ts'
import { engineError } from '../errors.ts'
import { canonicalJson } from '../plan/operation-id.ts'

export interface ActivationResult {
  /** The model now active (the one that already was, when nothing changed). */
  readonly active: StoredRoleModel
  /** The model it replaced, now in history. */
  readonly previous?: StoredRoleModel | undefined
  /** The development model equals the active one: nothing was stored. */
  readonly unchanged: boolean
}

/** The hash a model is compared by: its parsed document, not its formatting. */
export function roleModelHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}

/** The filters a model uses (member, generation and generators' member filters), by name. */
export function modelFilterNames(model: RoleModelConfig): string[] {
  const names = [...model.roles.map((r) => r.filter), ...model.generators.flatMap((g) => [g.filter, g.members.filter])]
  return [...new Set(names)].sort()
}

/**
 * The hashes of the filters a model uses, as the project has them now: stored at activation, so
 * that a filter edited later (which changes memberships without any activation) can be pointed out.
 */
export function modelFilterHashes(project: ValidatedProject, model: RoleModelConfig): Record<string, string> {
  const hashes: Record<string, string> = {}
  for (const name of modelFilterNames(model)) {
    const filter = project.filters.find((f) => f.name === name)
    if (filter !== undefined) hashes[name] = roleModelHash(filter.document.value)
  }
  return hashes
}

/** The project's development model; throws ENG_NO_DEVELOPMENT_MODEL when it has none (or only an invalid one). */
export function developmentModel(project: ValidatedProject): RoleModelConfig {
  const model = project.roleModels[0]
  if (model !== undefined) return model
  const invalid = project.documents.find((d) => d.kind === 'RoleModel')
  throw engineError(
    'ENG_NO_DEVELOPMENT_MODEL',
    invalid === undefined
      ? 'The project has no RoleModel document.'
      : `The RoleModel '${invalid.name}' in ${invalid.file} has errors.`,
    {
      hint:
        invalid === undefined
          ? 'Write one (docs/roles.md), or restore one from history: `provisio roles history`, `provisio roles restore ID`.'
          : 'Run `provisio validate` for its problems.',
    },
  )
}

export interface ActivateOptions {
  /** Who activates, for the model's record. @default 'cli' */
  readonly actor?: string | undefined
  readonly clock?: Clock | undefined
}

/** Activates the development model; the active one (if any) moves to history. */
export async function activateDevelopmentModel(
  db: SqlDriver,
  project: ValidatedProject,
  options: ActivateOptions = {},
): Promise<ActivationResult> {
  const model = developmentModel(project)
  const errors = checkRoleModels(project, [model]).filter((i) => i.severity !== 'warning')
  if (errors.length > 0) {
    throw engineError('ENG_ROLE_MODEL_INVALID', `The development model '${model.name}' does not pass its checks.`, {
      hint: 'Run `provisio validate` for its problems; fix them before activating.',
      details: { roleModel: model.name, issues: errors.length },
    })
  }
  const hash = roleModelHash(model.document.value)
  const current = await getActiveRoleModel(db)
  if (current !== undefined && current.hash === hash) return { active: current, unchanged: true }
  const active = await activateRoleModel(db, {
    name: model.name,
    source: model.document.source,
    hash,
    file: model.file,
    actor: options.actor ?? 'cli',
    roles: model.roles.length,
    generators: model.generators.length,
    filters: modelFilterHashes(project, model),
    clock: options.clock,
  })
  return { active, previous: current, unchanged: false }
}
