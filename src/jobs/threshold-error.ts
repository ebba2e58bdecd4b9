/**
 * The error of a job stopped at a threshold (JOB_THRESHOLD_EXCEEDED), with each exceeded step, as
 * the CLI prints it and the API answers it: one wording, so both say the same.
 */
import type { ProvisioError } from '../core/index.ts'
import { membershipsLabel } from '../engine/index.ts'
import { jobError } from './errors.ts'
import type { JobEvaluation, JobStepEvaluation } from './run-job.ts'

const count = (n: number) => n.toLocaleString('en-US')

/** Whether a plan step is one half of a job's memberships step (rather than a mapping's). */
export function isMembershipsStep(step: { readonly mapping: string; readonly system: string }): boolean {
  return step.mapping === membershipsLabel(step.system)
}

/** The job step a plan step comes from, from 1 (plans stored before memberships steps have no `source`). */
export function jobStepNumber(step: { readonly index: number; readonly source?: number | undefined }): number {
  return (step.source ?? step.index) + 1
}

/** `12 adds`, `3 removes`: what a memberships plan step's operations are. */
export function membershipCount(step: Pick<JobStepEvaluation, 'semantics' | 'operations'>): string {
  const noun = step.semantics === 'membership-remove' ? 'remove' : 'add'
  return `${count(step.operations)} ${noun}${step.operations === 1 ? '' : 's'}`
}

/**
 * `step 2 (create_accounts, users_create) plans 120 operations`; a memberships step by its job step
 * number: `step 5 (memberships:directory, group_members_remove) plans 300 removes`.
 */
function exceededStep(s: JobStepEvaluation): string {
  const planned = isMembershipsStep(s) ? membershipCount(s) : `${count(s.operations)} operations`
  return `step ${jobStepNumber(s)} (${s.mapping}, ${s.function}) plans ${planned}, more than its threshold of ${s.threshold?.described}`
}

/** JOB_THRESHOLD_EXCEEDED for a stopped evaluation: what was exceeded, and how to go on. */
export function thresholdError(evaluation: JobEvaluation): ProvisioError {
  const which = evaluation.exceeded.map(exceededStep).join('; ')
  return jobError('JOB_THRESHOLD_EXCEEDED', `Job ${evaluation.job} stopped before writing anything: ${which}.`, {
    hint: `Review the plan with \`provisio plan show ${evaluation.planId}\`. If it is right, run \`provisio job run ${evaluation.job} --force\` (or \`provisio plan execute ${evaluation.planId} --force\`), or raise the step's threshold in the Job document.`,
    details: {
      planId: evaluation.planId,
      steps: evaluation.exceeded.map((s) => ({
        step: jobStepNumber(s),
        mapping: s.mapping,
        function: s.function,
        operations: s.operations,
        threshold: s.threshold,
      })),
    },
  })
}
