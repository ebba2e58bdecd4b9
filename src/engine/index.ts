/**
 * engine: the soll-ist engine (DESIGN.md §8). Mappings turn filter rows into operations of a
 * target's functions, with names and passwords from generators; the planner keeps only what differs
 * from the vault; the executor applies a plan with bounded concurrency, retries, write-back and audit.
 */
export { engineError, type EngineErrorCode } from './errors.ts'
export { checkMappings, type CheckMappingsOptions } from './check-mappings.ts'
export { connectorFunctions, type FunctionsOf } from './functions.ts'
export { fitsType } from './value-types.ts'
export {
  filterRowScope,
  filterRowShape,
  generatedTypes,
  parameterTypes,
  COMPUTED_ALIAS,
  type FilterRowExtra,
  type FilterRowShape,
} from './filter-row-scope.ts'
export {
  createNameGenerator,
  NameGenerator,
  type NameGeneratorOptions,
  type GenerateOptions,
  type GeneratedValues,
  type NameOutcome,
} from './generators/name-generator.ts'
export {
  createPasswordGenerator,
  generatePassword,
  randomPassword,
  secureShuffle,
  type PasswordGenerator,
} from './generators/password-generator.ts'
export {
  HandedOutNames,
  TakenValues,
  NOTHING_TAKEN,
  columnKey,
  type NameUniqueness,
} from './generators/name-uniqueness.ts'
export { preloadUniqueness, uniqueInColumns } from './generators/preload-uniqueness.ts'
export { checkGeneratorExpressions, type GeneratorConfig } from './generators/check-generator-expressions.ts'
export { prepareMapping, type MappingRuntime, type RuntimeAttribute } from './plan/mapping-runtime.ts'
export {
  planMapping,
  type PlannedOperation,
  type RowFailure,
  type PlanPage,
  type PlanServices,
} from './plan/plan-mapping.ts'
export {
  evaluatePlan,
  FAILURES_KEPT,
  type Evaluation,
  type EvaluateOptions,
  type EvaluateStep,
  type StepEvaluation,
} from './evaluate.ts'
export { executePlan, planOutcomeSink, type ExecutePlanOptions, type ExecutionSummary } from './execute-plan.ts'
export { ExecutionTargets, type ExecutionTargetsOptions } from './execution-targets.ts'
export { settleInDoubtOperations, type SettleInDoubtOptions } from './settle-in-doubt.ts'
export { canonicalJson, operationId } from './plan/operation-id.ts'
export { coerceValue, normalizeValue, sameValue, type CompareRules } from './plan/values.ts'
