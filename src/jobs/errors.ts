/**
 * The jobs layer's error codes (DESIGN.md §11): jobs, their steps and thresholds.
 */
import { defineErrors } from '../core/index.ts'

export const jobError = defineErrors('jobs', {
  JOB_UNKNOWN_JOB: {
    audience: 'user',
    title: 'No job of the project has the name given.',
    hint: 'Use the name of a Job document; `provisio validate` lists the problems of the project.',
  },
  JOB_THRESHOLD_EXCEEDED: {
    audience: 'user',
    title: 'A step of the job planned more operations than its threshold allows; nothing was written.',
    hint: "Review the plan (`provisio plan show ID`). If it is right, run again with --force, or raise the step's threshold in the Job document.",
  },
})

export type JobErrorCode = Parameters<typeof jobError>[0]
