/**
 * jobs: jobs and their steps with thresholds, tasks run once, and the scheduler that runs tasks on
 * their schedules (DESIGN.md §9).
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
export { isMembershipsStep, jobStepNumber, membershipCount, thresholdError } from './threshold-error.ts'
export { requireName } from './require-name.ts'
export { formatInZone, taskListing, type TaskListing } from './task-listing.ts'
export { runTask, requireTask, type TaskOptions, type TaskRun, type TaskExecution, type TaskStage } from './run-task.ts'
export { exportFileName, type ExportResult } from './export-file.ts'
export { approveRun, rejectRun, type ApproveOptions, type ApprovedRun, type RejectRunOptions } from './approve-run.ts'
export { RunLog } from './run-log.ts'
export {
  Scheduler,
  MAX_SLEEP_MS,
  type RunReason,
  type SchedulerEvent,
  type SchedulerOptions,
  type SchedulerTimers,
} from './scheduler.ts'
export { tasksToResume } from './resume-runs.ts'
export { plannedOperations } from './plan-outcome.ts'
