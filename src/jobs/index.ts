/**
 * jobs: jobs and their steps with thresholds, and tasks run once (DESIGN.md §9); the scheduler joins later.
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
export { runTask, requireTask, type TaskOptions, type TaskRun, type TaskExecution, type TaskStage } from './run-task.ts'
export { exportFileName, type ExportResult } from './export-file.ts'
