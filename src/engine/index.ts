/**
 * engine: the soll-ist engine (DESIGN.md §8). Mappings turn filter rows into operations of a
 * target's functions, with names and passwords from generators; the planner keeps only what differs
 * from the vault; the executor applies a plan with bounded concurrency, retries, write-back and audit.
 */
export { engineError, type EngineErrorCode } from './errors.ts'
export { checkMappings, type CheckMappingsOptions } from './check-mappings.ts'
export { checkProject } from './check-project.ts'
export {
  checkRoleModels,
  findMembershipsTable,
  resolveMembershipsTable,
  type CheckRoleModelsOptions,
  type MembershipsTarget,
  type MembershipsProblem,
} from './check-roles.ts'
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
export {
  findGenerator,
  previewGenerator,
  type FoundGenerator,
  type GeneratorPreview,
  type PreviewGeneratorOptions,
  type PreviewedRow,
} from './generators/preview-generator.ts'
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
  type MappingEvaluateStep,
  type MembershipsEvaluateStep,
  type StepEvaluation,
} from './evaluate.ts'
export { executePlan, planOutcomeSink, type ExecutePlanOptions, type ExecutionSummary } from './execute-plan.ts'
export { ExecutionTargets, type ExecutionTargetsOptions } from './execution-targets.ts'
export { settleInDoubtOperations, type SettleInDoubtOptions } from './settle-in-doubt.ts'
export { canonicalJson, operationId } from './plan/operation-id.ts'
export { coerceValue, normalizeValue, sameValue, type CompareRules } from './plan/values.ts'
export { describeChanges, describeMembership, operationJson, operationKey } from './plan/describe-operation.ts'
export {
  type ActiveRoleModel,
  loadActiveRoleModel,
  loadStoredRoleModel,
  resolveStoredRoleModel,
  storedModelLabel,
} from './roles/active-model.ts'
export {
  activateDevelopmentModel,
  developmentModel,
  roleModelHash,
  type ActivateOptions,
  type ActivationResult,
} from './roles/activate-model.ts'
export { resolveModel } from './roles/resolve-model.ts'
export type {
  ResolvedGroup,
  ResolvedItem,
  ResolvedRole,
  ResolvedRoleModel,
  RoleNotice,
  ResolveOptions,
} from './roles/resolve-roles.ts'
export { diffRoleModels, type RoleChange, type RoleModelDiff } from './roles/model-diff.ts'
export {
  inspectRoles,
  type InspectQuery,
  type InspectedMembership,
  type InspectedRole,
  type PendingMembershipChange,
  type RoleInspection,
} from './roles/inspect-roles.ts'
export { membershipsLabel } from './roles/plan-memberships.ts'
export {
  activeModel,
  chooseModel,
  describeModel,
  diffModels,
  inspectModel,
  modelJson,
  plainResolver,
  withoutSource,
  type ChosenModel,
  type DiffReport,
  type Inspected,
  type ModelChoice,
  type ResolveModels,
} from './roles/model-views.ts'
