/**
 * Role models in the vault (DESIGN.md §1 "role model"). A role model has three states: development
 * (the RoleModel document in the project's files, never stored here), active (exactly one, the only
 * one jobs execute) and history (the models that were active before). Activating stores the
 * document's YAML text as it was, so that `provisio roles restore` can give it back to the files.
 *
 * At most one model is active: a partial unique index (migration 005) makes the database refuse a
 * second one, so two activations racing each other can never both leave theirs active. The one that
 * loses gets VLT_ROLE_MODEL_CONFLICT.
 */
import { type Clock, systemClock } from '../core/index.ts'
import type { SqlDriver, SqlExecutor } from './driver/sql-driver.ts'
import { vaultError } from './errors.ts'
import { optionalText } from './plans/stored-json.ts'

export type RoleModelState = 'active' | 'history'

/** A role model as the vault holds it. */
export interface StoredRoleModel {
  readonly id: number
  readonly name: string
  readonly state: RoleModelState
  /** The RoleModel document's YAML text, exactly as it was activated. */
  readonly source: string
  /** sha256 of the source's canonical parsed value: equal models have equal hashes, however they are spelled. */
  readonly hash: string
  /** The project file the document came from (relative to the project folder). */
  readonly file: string
  /** ISO 8601 time of the activation. */
  readonly activatedAt: string
  /** Who or what activated it: `cli`, a user name. */
  readonly activatedBy: string
  /** When a later activation made it history; undefined while it is active. */
  readonly retiredAt?: string | undefined
  /** How many roles and role generators the model has (for listings). */
  readonly roles: number
  readonly generators: number
  /** The hashes of the filters the model used when activated, by filter name. */
  readonly filters: Readonly<Record<string, string>>
}

export interface ActivateRoleModel {
  readonly name: string
  readonly source: string
  readonly hash: string
  readonly file: string
  readonly actor: string
  readonly roles: number
  readonly generators: number
  /** The hashes of the filters the model uses, by filter name. @default {} */
  readonly filters?: Readonly<Record<string, string>> | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
}

/** The name of the partial unique index that allows one active row (migration 005). */
const ONE_ACTIVE = 'role_models_one_active'

function toStoredRoleModel(r: Record<string, unknown>): StoredRoleModel {
  return {
    id: Number(r['id']),
    name: String(r['name']),
    state: r['state'] as RoleModelState,
    source: String(r['source']),
    hash: String(r['hash']),
    file: String(r['file']),
    activatedAt: String(r['activated_at']),
    activatedBy: String(r['activated_by']),
    retiredAt: optionalText(r['retired_at']),
    roles: Number(r['roles']),
    generators: Number(r['generators']),
    filters: JSON.parse(typeof r['filters'] === 'string' ? r['filters'] : '{}') as Record<string, string>,
  }
}

/** Whether the database refused a second active row (PostgreSQL 23505, SQLite's unique constraint). */
function isSecondActive(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown }
  if (code === '23505') return constraint === ONE_ACTIVE
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes(ONE_ACTIVE)
}

/** In one transaction: the active model (if any) becomes history (retired_at = now), the new one is stored active. */
export async function activateRoleModel(db: SqlDriver, model: ActivateRoleModel): Promise<StoredRoleModel> {
  const now = (model.clock ?? systemClock).now().toISOString()
  try {
    return await db.transaction(async (tx) => {
      await tx.run(`UPDATE role_models SET state = 'history', retired_at = ? WHERE state = 'active'`, [now])
      const [row] = await tx.query<Record<string, unknown>>(
        `INSERT INTO role_models (name, state, source, hash, file, activated_at, activated_by, roles, generators, filters)
         VALUES (?, 'active', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [
          model.name,
          model.source,
          model.hash,
          model.file,
          now,
          model.actor,
          model.roles,
          model.generators,
          JSON.stringify(model.filters ?? {}),
        ],
      )
      return toStoredRoleModel(row!)
    })
  } catch (error) {
    // PostgreSQL: another activation committed its model after this one's UPDATE looked for the active one.
    if (!isSecondActive(error)) throw error
    throw vaultError(
      'VLT_ROLE_MODEL_CONFLICT',
      `Role model '${model.name}' was not activated: another activation stored its model at the same moment.`,
      { details: { name: model.name, hash: model.hash }, cause: error },
    )
  }
}

/** The active role model, or undefined when none was ever activated. */
export async function getActiveRoleModel(db: SqlExecutor): Promise<StoredRoleModel | undefined> {
  const [row] = await db.query<Record<string, unknown>>(`SELECT * FROM role_models WHERE state = 'active'`)
  return row === undefined ? undefined : toStoredRoleModel(row)
}

/** One stored role model (active or history); throws VLT_UNKNOWN_ROLE_MODEL when there is none. */
export async function getRoleModel(db: SqlExecutor, id: number): Promise<StoredRoleModel> {
  const [row] = await db.query<Record<string, unknown>>('SELECT * FROM role_models WHERE id = ?', [id])
  if (row === undefined) {
    throw vaultError('VLT_UNKNOWN_ROLE_MODEL', `There is no stored role model ${id}.`, { details: { id } })
  }
  return toStoredRoleModel(row)
}

export interface ListRoleModelsOptions {
  /** @default all */
  readonly limit?: number | undefined
}

/** The stored role models, newest first: the active one, then history. */
export async function listRoleModels(db: SqlExecutor, options: ListRoleModelsOptions = {}): Promise<StoredRoleModel[]> {
  const limit = options.limit === undefined ? '' : ' LIMIT ?'
  const rows = await db.query<Record<string, unknown>>(
    `SELECT * FROM role_models ORDER BY id DESC${limit}`,
    options.limit === undefined ? [] : [options.limit],
  )
  return rows.map(toStoredRoleModel)
}
