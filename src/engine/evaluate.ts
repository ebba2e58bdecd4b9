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

/** How many failed rows per step an evaluation keeps with their messages (all are counted). */
export const FAILURES_KEPT = 50

export interface EvaluateStep {
  readonly mapping: string
  /** Values for the filter's parameters, over the mapping's own. */
  readonly parameters?: ParameterValues | undefined
}

export interface EvaluateOptions {
  readonly source: PlanSource
  readonly steps: readonly EvaluateStep[]
  readonly clock?: Clock | undefined
  /** Called after each page of filter rows, with the rows planned so far in the step. */
  readonly onProgress?: ((step: number, rows: number) => void) | undefined
}

export interface StepEvaluation extends PlanStepSummary {
  /** The first {@link FAILURES_KEPT} rows that could not be planned, with why. */
  readonly failures: readonly RowFailure[]
}

export interface Evaluation {
  readonly planId: number
  readonly steps: readonly StepEvaluation[]
  /** The mappings as prepared, by step: the executor needs them to generate secrets again. */
  readonly runtimes: readonly MappingRuntime[]
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
    prepareMapping(project, step.mapping, db.dialect.name, step.parameters ?? {}),
  )
  // `evaluating` until every step is stored: a plan that breaks off, or whose process dies, is never executed.
  const planId = await createPlan(db, { source: options.source, status: 'evaluating', clock })
  const names = new NameGenerators(db, project)
  const { reader, release } = await openReader(db)
  const steps: StepEvaluation[] = []
  let complete = false
  try {
    for (const [index, runtime] of runtimes.entries()) {
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
          options.onProgress?.(index, rows)
          for (const operation of page.operations) yield { ...operation, step: index }
        }
      }
      const inserted = await insertOperations(db, planId, operations())
      steps.push({
        index,
        mapping: runtime.mapping.name,
        system: runtime.system.name,
        table: runtime.table.name,
        function: runtime.function.name,
        semantics: runtime.function.semantics,
        operations: inserted.count,
        unchanged,
        failed,
        failures,
      })
    }
    complete = true
  } finally {
    await release()
    // A plan whose evaluation broke off must never be executed as if it were whole.
    if (!complete) await updatePlan(db, planId, { status: 'evaluation-failed', steps }).catch(() => undefined)
  }
  await updatePlan(db, planId, { status: 'planned', steps })
  return { planId, steps, runtimes }
}
