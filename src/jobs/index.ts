/**
 * jobs: jobs and their steps with thresholds (DESIGN.md §9); tasks, the scheduler and runs join later.
 */
export { jobError, type JobErrorCode } from './errors.ts'
export { DEFAULT_DESTRUCTIVE_THRESHOLD, checkThreshold, effectiveThreshold, type ThresholdCheck } from './thresholds.ts'
export {
  evaluateJob,
  runJob,
  executeStoredPlan,
  requireJob,
  type JobEvaluation,
  type JobOptions,
  type JobRun,
  type JobStepEvaluation,
} from './run-job.ts'
