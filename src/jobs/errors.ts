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
})

export type JobErrorCode = Parameters<typeof jobError>[0]
