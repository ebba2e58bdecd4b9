/**
 * jobs: jobs and their steps with thresholds (DESIGN.md §9); tasks, the scheduler and runs join later.
 */
export { jobError, type JobErrorCode } from './errors.ts'
