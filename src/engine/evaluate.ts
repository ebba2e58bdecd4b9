/**
 * Evaluation (DESIGN.md §2: "evaluate (plan, persisted, reviewable)"): every step's mapping is
 * planned against the vault and its operations stored as one plan, before anything is written to a
 * target. Names handed out by one step are taken for the next (one registry per evaluation), and the
 * names already in the vault are loaded once per evaluation, so 100,000 creates need no query each.
 *
 * The filter is streamed through a reader connection of its own while the operations are written
 * through the main one (a SQLite connection cannot write while it streams).
 */
import type { Clock } from '../core/index.ts'
import { systemClock } from '../core/index.ts'
import type { NameGeneratorConfig, ValidatedProject } from '../config/index.ts'
import type { ParameterValues } from '../filters/index.ts'
import {
  type NewOperation,
  type PlanSource,
  type PlanStepSummary,
  type SqlDriver,
  type SqlExecutor,
  createPlan,
  insertOperations,
  lookupCurrentRows,
  openReader,
  updatePlan,
} from '../vault/index.ts'
import { createNameGenerator, type NameGenerator } from './generators/name-generator.ts'
import { HandedOutNames } from './generators/name-uniqueness.ts'
import { preloadUniqueness, uniqueInColumns } from './generators/preload-uniqueness.ts'
import { type MappingRuntime, prepareMapping } from './plan/mapping-runtime.ts'
import { type PlanServices, type RowFailure, planMapping } from './plan/plan-mapping.ts'
import { rowIdentity } from './plan/row-identity.ts'
import { type ActiveRoleModel, loadActiveRoleModel } from './roles/active-model.ts'
import { membershipsLabel, planMemberships } from './roles/plan-memberships.ts'
import { type RoleNotice, resolveRoleModel } from './roles/resolve-roles.ts'
import { prepareRoleModel } from './roles/role-runtime.ts'

/** How many failed rows per step an evaluation keeps with their messages (all are counted). */
export const FAILURES_KEPT = 50

/** A step that plans one mapping. */
export interface MappingEvaluateStep {
  readonly mapping: string
  /** Values for the filter's parameters, over the mapping's own. */
  readonly parameters?: ParameterValues | undefined
}

/** A step that plans the memberships of one system from the active role model. */
export interface MembershipsEvaluateStep {
  readonly memberships: string
}

export type EvaluateStep = MappingEvaluateStep | MembershipsEvaluateStep

export interface EvaluateOptions {
  readonly source: PlanSource
  readonly steps: readonly EvaluateStep[]
  readonly clock?: Clock | undefined
  /** Called after each page of filter rows, with the rows planned so far in the step. */
  readonly onProgress?: ((step: number, rows: number) => void) | undefined
  /**
   * The role model memberships steps plan from. @default the active model in the vault,
   * re-validated against the project (only the active model is ever executed)
   */
  readonly roleModel?: ActiveRoleModel | undefined
}

export interface StepEvaluation extends PlanStepSummary {
  /** The step of {@link EvaluateOptions.steps} this plan step comes from (a memberships step gives two or more). */
  readonly source: number
  /**
   * What a percentage threshold counts, when not the target table's rows: for a memberships step, the
   * memberships of the groups the model manages (the table may hold many more, in groups no role
   * touches, and counting those would let a role that lost all its members empty its groups).
   */
  readonly percentBase?: number | undefined
  /** The first {@link FAILURES_KEPT} rows that could not be planned, with why. */
  readonly failures: readonly RowFailure[]
}

export interface Evaluation {
  readonly planId: number
  readonly steps: readonly StepEvaluation[]
  /** The role model memberships steps were planned from, with what its resolution noticed. */
  readonly roleModel?: { readonly model: ActiveRoleModel; readonly notices: readonly RoleNotice[] } | undefined
}

/** Per evaluation: one name generator per NameGenerator document, sharing one registry of handed-out names. */
class NameGenerators {
  private readonly handedOut = new HandedOutNames()
  private readonly generators = new Map<string, NameGenerator>()

  constructor(
    private readonly db: SqlDriver,
    private readonly project: ValidatedProject,
  ) {}

  async for(runtime: MappingRuntime): Promise<NameGenerator | undefined> {
    const name = runtime.mapping.nameGenerator
    if (name === undefined) return undefined
    const key = `${name}\u0000${runtime.mapping.filter}`
    let generator = this.generators.get(key)
    if (generator === undefined) {
      const config = this.project.nameGenerators.find((g) => g.name === name) as NameGeneratorConfig
      const uniqueness = await preloadUniqueness(this.db, uniqueInColumns([config]))
      generator = createNameGenerator(config, runtime.shape.scope, {
        uniqueness,
        handedOut: this.handedOut,
        compile: { paramValues: runtime.filter.parameters },
      })
      this.generators.set(key, generator)
    }
    return generator
  }
}

/** Plans every step and stores the plan; returns its id and what each step gave. */
export async function evaluatePlan(
  db: SqlDriver,
  project: ValidatedProject,
  options: EvaluateOptions,
): Promise<Evaluation> {
  const clock = options.clock ?? systemClock
  const runtimes = options.steps.map((step) =>
    'mapping' in step ? prepareMapping(project, step.mapping, db.dialect.name, step.parameters ?? {}) : undefined,
  )
  const membershipSystems = new Set(options.steps.flatMap((s) => ('memberships' in s ? [s.memberships] : [])))
  const roleModel =
    membershipSystems.size === 0 ? undefined : (options.roleModel ?? (await loadActiveRoleModel(db, project)))
  const roles = roleModel === undefined ? undefined : prepareRoleModel(project, roleModel.config, db.dialect.name)
  // `evaluating` until every step is stored: a plan that breaks off, or whose process dies, is never executed.
  const planId = await createPlan(db, { source: options.source, status: 'evaluating', clock })
  const names = new NameGenerators(db, project)
  const { reader, release } = await openReader(db)
  const steps: StepEvaluation[] = []
  let notices: RoleNotice[] = (roleModel?.changedFilters ?? []).map((filter) => ({
    code: 'ROLE_FILTER_CHANGED' as const,
    role: roleModel!.config.name,
    message: `Filter ${filter} changed since role model ${roleModel!.stored.id} was activated: memberships follow the filter as it is now.`,
  }))
  let complete = false
  try {
    for (const [source, runtime] of runtimes.entries()) {
      const step = options.steps[source]!
      if (runtime !== undefined) {
        steps.push(await evaluateMappingStep(db, reader, planId, runtime, names, steps.length, source, options))
        continue
      }
      const system = (step as MembershipsEvaluateStep).memberships
      const resolved = await resolveRoleModel(reader, roles!, { systems: new Set([system]) })
      notices = [...notices, ...resolved.notices]
      const tables = await planMemberships(reader, resolved, system)
      if (tables.length === 0) {
        notices.push({
          code: 'ROLE_NO_ITEMS',
          role: roleModel!.config.name,
          message: `The active role model has no role item for system ${system}: its memberships step plans nothing.`,
        })
      }
      for (const table of tables) {
        for (const group of table.emptiedGroups.slice(0, 50)) {
          notices.push({
            code: 'ROLE_GROUP_EMPTIED',
            role: roleModel!.config.name,
            message: `Group ${group} of ${system}.${table.table.name} has members now and would have none: no role of the active model grants it any member.`,
          })
        }
        for (const [fn, operations] of [
          [table.add, table.adds],
          [table.remove, table.removes],
        ] as const) {
          const index = steps.length
          const inserted = await insertOperations(
            db,
            planId,
            operations.map((o) => ({ ...o, step: index })),
          )
          steps.push({
            index,
            source,
            mapping: membershipsLabel(system),
            system,
            table: table.table.name,
            function: fn.name,
            semantics: fn.semantics,
            operations: inserted.count,
            unchanged: fn === table.add ? table.unchanged : 0,
            percentBase: table.managedMemberships,
            failed: 0,
            failures: [],
          })
          options.onProgress?.(source, operations.length)
        }
      }
    }
    complete = true
  } finally {
    await release()
    // A plan whose evaluation broke off must never be executed as if it were whole.
    if (!complete) await updatePlan(db, planId, { status: 'evaluation-failed', steps }).catch(() => undefined)
  }
  await updatePlan(db, planId, { status: 'planned', steps })
  return { planId, steps, roleModel: roleModel === undefined ? undefined : { model: roleModel, notices } }
}

/** Plans one mapping step: its filter streamed through the reader, its operations stored as plan step `index`. */
async function evaluateMappingStep(
  db: SqlDriver,
  reader: SqlExecutor,
  planId: number,
  runtime: MappingRuntime,
  names: NameGenerators,
  index: number,
  source: number,
  options: EvaluateOptions,
): Promise<StepEvaluation> {
  const generator = await names.for(runtime)
  const services: PlanServices = {
    lookupTargets: (r, keys) =>
      lookupCurrentRows(reader, r.system.name, r.table.name, r.key!.column.name, keys, {
        caseInsensitive: r.key!.column.caseInsensitive,
      }),
    generateNames:
      generator === undefined
        ? undefined
        : (row, r) => {
            const outcome = generator.generate(r.shape.toEvalRow(row), { identity: rowIdentity(row) })
            return outcome.ok
              ? { values: outcome.values }
              : { code: outcome.error.code, message: outcome.error.message }
          },
  }
  const failures: RowFailure[] = []
  let failed = 0
  let unchanged = 0
  let rows = 0
  async function* operations(): AsyncGenerator<NewOperation> {
    for await (const page of planMapping(reader, runtime, services)) {
      unchanged += page.unchanged
      failed += page.failures.length
      for (const failure of page.failures) if (failures.length < FAILURES_KEPT) failures.push(failure)
      rows += page.operations.length + page.unchanged + page.failures.length
      options.onProgress?.(source, rows)
      for (const operation of page.operations) yield { ...operation, step: index }
    }
  }
  const inserted = await insertOperations(db, planId, operations())
  return {
    index,
    source,
    mapping: runtime.mapping.name,
    system: runtime.system.name,
    table: runtime.table.name,
    function: runtime.function.name,
    semantics: runtime.function.semantics,
    operations: inserted.count,
    unchanged,
    failed,
    failures,
  }
}
