/**
 * The jobs layer's error codes (DESIGN.md §11): jobs, their steps and thresholds, and tasks.
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
  JOB_UNKNOWN_TASK: {
    audience: 'user',
    title: 'No task of the project has the name given.',
    hint: 'Use the name of a Task document; `provisio task list` lists them, `provisio validate` the problems of the project.',
  },
  JOB_TASK_RUNNING: {
    audience: 'user',
    title: 'The task is already running; one run of a task at a time.',
    hint: 'Wait for the running one to finish and start the task again. A run whose process died is taken over after a minute.',
  },
  JOB_TASK_TIMED_OUT: {
    audience: 'user',
    title: 'The task ran longer than its maxDuration and was stopped.',
    hint: "Look at the run's figures to see which stage took long; raise `maxDuration` in the Task document if the work is expected to take that long.",
  },
  JOB_NOT_AWAITING_APPROVAL: {
    audience: 'user',
    title: 'The run does not await approval: only a run that awaits approval can be approved or rejected.',
    hint: '`provisio runs --status awaiting-approval` lists the runs that await a decision.',
  },
  JOB_APPROVAL_STALE: {
    audience: 'user',
    title:
      'A plan of the run is no longer as its evaluation left it (executed, rejected, or a newer plan of its job exists); approving it would write an outdated plan.',
    hint: 'Reject the run (`provisio runs reject ID`) and run the task again to evaluate afresh.',
  },
  JOB_PLAN_AWAITING_APPROVAL: {
    audience: 'user',
    title: 'The plan belongs to a task run that awaits approval: only approving that run executes it.',
    hint: '`provisio runs approve ID` executes it (exactly as evaluated), `provisio runs reject ID` discards it.',
  },
})

export type JobErrorCode = Parameters<typeof jobError>[0]
