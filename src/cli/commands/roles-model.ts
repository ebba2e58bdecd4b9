/**
 * What the `provisio roles` commands share: choosing a role model (the development model in the
 * project, the active one, or one of the history), resolving it against the vault with progress, the
 * resolution's notices as warnings, and long lists cut short for people.
 */
import { type Command, InvalidArgumentError } from 'commander'
import type { RoleModelConfig, ValidatedProject } from '../../config/index.ts'
import {
  type ChosenModel,
  type ModelChoice,
  type ResolvedRoleModel,
  type RoleNotice,
  activeModel,
  chooseModel as chooseModelIn,
  describeModel,
  modelJson,
  resolveModel,
  withoutSource,
} from '../../engine/index.ts'
import type { SqlDriver } from '../../vault/index.ts'
import type { CliContext } from '../context.ts'
import { formatCount } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'
import { endProgress } from '../progress.ts'

// Moved to the engine (the API chooses and shows models the same way); re-exported for the commands.
export { type ChosenModel, type ModelChoice, activeModel, describeModel, modelJson, withoutSource }

/** How many items of a list (groups, members) text output shows unless asked for all. */
export const LIST_SHOWN = 10

/** How many notices text output shows; --json gives them all. */
const NOTICES_SHOWN = 10

export interface ListOptions {
  readonly all?: boolean
  readonly limit?: number
}

export function listLimit(options: ListOptions, fallback = LIST_SHOWN): number {
  return options.all === true ? Number.POSITIVE_INFINITY : (options.limit ?? fallback)
}

/** `a, b, c … and 12 more` (or `(none)`). */
export function shortList(items: readonly string[], limit: number): string {
  if (items.length === 0) return '(none)'
  const shown = items.slice(0, limit).join(', ')
  return items.length > limit ? `${shown} … and ${formatCount(items.length - limit)} more` : shown
}

/** `--model`: `active`, `development` or a stored model's id. */
export function modelChoice(value: string): ModelChoice {
  if (value === 'active' || value === 'development') return value
  if (/^\d+$/.test(value)) return positiveInteger(value)
  throw new InvalidArgumentError(`expected active, development or a model id (provisio roles history), got '${value}'.`)
}

/**
 * The model `choice` names. Without a choice, the active model, or the development model (with a
 * note) when none is active yet.
 */
export function chooseModel(
  ctx: CliContext,
  db: SqlDriver,
  project: ValidatedProject,
  choice: ModelChoice | undefined,
): Promise<ChosenModel> {
  return chooseModelIn(db, project, choice, (note) => ctx.out.note(note))
}

/** Resolves models one after the other, with a progress line on a terminal. */
export async function resolveModels(
  ctx: CliContext,
  db: SqlDriver,
  project: ValidatedProject,
  models: readonly RoleModelConfig[],
): Promise<ResolvedRoleModel[]> {
  const progress = ctx.progress()
  const resolved: ResolvedRoleModel[] = []
  for (const model of models) {
    progress({ task: 'resolve role models', done: resolved.length, total: models.length, unit: 'models' })
    resolved.push(await resolveModel(db, project, model))
  }
  progress({ task: 'resolve role models', done: resolved.length, total: models.length, unit: 'models' })
  endProgress(process.stderr)
  return resolved
}

/** The resolution's notices as warnings on stderr (the first few; --json has them all). */
export function printNotices(ctx: CliContext, notices: readonly RoleNotice[], label = ''): void {
  for (const notice of notices.slice(0, NOTICES_SHOWN)) ctx.out.note(`warning: ${label}${notice.message}`)
  if (notices.length > NOTICES_SHOWN) {
    ctx.out.note(
      `warning: … and ${formatCount(notices.length - NOTICES_SHOWN)} more notice(s)${ctx.options.json ? ' (in the JSON output)' : ' (--json lists them all)'}.`,
    )
  }
}

/** --limit and --all: how much of each list text output shows. */
export const listOptions = (command: Command, what: string) =>
  command
    .option('--limit <n>', `${what} to show per list (default ${LIST_SHOWN})`, positiveInteger)
    .option('--all', `show every one of the ${what}`)
