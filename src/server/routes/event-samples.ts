/**
 * A built-in sample event per event type, for previewing a Template before any run happened: plausible
 * values (run 42, a dozen changes planned) with the names of the project's own task, system, job and
 * mapping where it has them, so that a template reads as it will in a real mail.
 */
import type { EventType, ProvisioEvent } from '../../core/index.ts'
import type { ValidatedProject } from '../../config/index.ts'

/** The run every sample is part of: a number a vault of a fresh project has not reached. */
export const SAMPLE_RUN_ID = 42
/** The plan of the samples that have one. */
export const SAMPLE_PLAN_ID = 7

/** Names for a sample: the given source (an EventAction's `source:`) first, else the project's first. */
function namesOf(project: ValidatedProject, source: string | undefined) {
  const task = project.tasks.find((t) => t.name === source) ?? project.tasks[0]
  const job = project.jobs.find((j) => j.name === source) ?? project.jobs[0]
  const mapping = project.mappings.find((m) => m.name === source) ?? project.mappings[0]
  const system = project.systems.find((s) => s.name === source) ?? project.systems[0]
  return {
    task: task?.name ?? 'daily_sync',
    taskType: task?.type ?? 'sync',
    job: job?.name ?? 'sync_accounts',
    mapping: mapping?.name ?? 'create_account',
    mappingSystem: mapping?.system ?? 'directory',
    mappingTable: mapping?.table ?? 'accounts',
    mappingFunction: mapping?.function ?? 'create',
    system: system?.name ?? 'hr',
    tables: (system?.tables.map((t) => t.name) ?? []).slice(0, 3),
  }
}

/** The sample event of `type`, happening at `now`. `source` names what it is about, when known. */
export function sampleEvent(type: EventType, project: ValidatedProject, now: Date, source?: string): ProvisioEvent {
  const n = namesOf(project, source)
  const at = now.toISOString()
  const base = { at, runId: SAMPLE_RUN_ID, task: n.task }
  const step = {
    step: 1,
    mapping: n.mapping,
    system: n.mappingSystem,
    table: n.mappingTable,
    function: n.mappingFunction,
    operations: 12,
    unchanged: 488,
    failed: 0,
    exceeded: false,
  }
  const operation = {
    ...base,
    name: n.mapping,
    mapping: n.mapping,
    job: n.job,
    planId: SAMPLE_PLAN_ID,
    seq: 1,
    operationId: `${SAMPLE_PLAN_ID}-1`,
    system: n.mappingSystem,
    table: n.mappingTable,
    function: n.mappingFunction,
    keyColumn: 'id',
    key: 'E1001',
    attributes: { displayName: 'Ada Lovelace', mail: 'ada.lovelace@example.org' },
    secrets: [],
  }
  switch (type) {
    case 'collection.finished':
      return {
        ...base,
        type,
        name: n.system,
        success: true,
        system: n.system,
        collectionId: 17,
        durationMs: 1840,
        rows: 1000,
        tables: (n.tables.length === 0 ? ['people'] : n.tables).map((table, i) => ({
          table,
          rows: 500 - i * 100,
          added: 3,
          changed: 5 - i,
          removed: i === 0 ? 1 : 0,
        })),
      }
    case 'collection.rejected':
      return {
        ...base,
        type,
        name: n.system,
        success: false,
        system: n.system,
        code: 'VLT_GUARD_REJECTED',
        message: `The collection of ${n.system} would remove 40% of its rows; its guard allows 10%.`,
      }
    case 'job.evaluated':
      return {
        ...base,
        type,
        name: n.job,
        success: true,
        job: n.job,
        planId: SAMPLE_PLAN_ID,
        planned: 12,
        stopped: false,
        steps: [step],
      }
    case 'job.stopped':
      return {
        ...base,
        type,
        name: n.job,
        success: false,
        job: n.job,
        planId: SAMPLE_PLAN_ID,
        exceeded: [{ ...step, operations: 120, threshold: '10%', exceeded: true }],
      }
    case 'mapping.executed':
      return { ...operation, type, success: true, status: 'succeeded' }
    case 'operation.failed':
      return {
        ...operation,
        type,
        success: false,
        status: 'failed',
        errorCode: 'CON_REJECTED',
        message: `The ${n.mappingSystem} system refused the ${n.mappingFunction}: the account already exists.`,
      }
    case 'run.awaiting-approval':
      return { ...base, type, name: n.task, success: true, runId: SAMPLE_RUN_ID, planIds: [], planned: 12 }
    case 'task.finished':
      return {
        ...base,
        type,
        name: n.task,
        success: true,
        runId: SAMPLE_RUN_ID,
        task: n.task,
        taskType: n.taskType,
        status: 'succeeded',
        counts: { collected: 2, collectedRows: 1000, evaluated: 1, planned: 12, succeeded: 12, failed: 0, skipped: 0 },
        planIds: [],
      }
  }
}
