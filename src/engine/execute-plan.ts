/**
 * Executing a stored plan end to end: open the target systems, settle what an earlier crash left in
 * doubt, run the steps in order through the executor (bounded concurrency, retries, one outcome per
 * operation, write-back and audit through the vault's OutcomeWriter), and record the plan's result.
 * With the drift check (`plan execute`), operations whose target row changed since planning are
 * skipped.
 */
import type { Clock, Logger, Value } from '../core/index.ts'
import { systemClock } from '../core/index.ts'
import type { ValidatedProject } from '../config/index.ts'
import {
  OutcomeWriter,
  type OperationOutcome,
  type PlanRecord,
  type SqlDriver,
  type StoredOperation,
  countOperations,
  getPlan,
  lookupCurrentHashes,
  markRunning,
  requeueOperations,
  streamOperations,
  updatePlan,
} from '../vault/index.ts'
import { engineError } from './errors.ts'
import { type ExecutionTarget, type OutcomeSink, executeStep } from './execute/executor.ts'
import type { Sleep } from './execute/retry.ts'
import { ExecutionTargets, Secrets } from './execution-targets.ts'
import { settleInDoubtOperations } from './settle-in-doubt.ts'

export interface ExecutePlanOptions {
  /** Who or what asked for the writes, for the audit (`cli`, a user name, a task). */
  readonly actor: string
  readonly runId?: number | undefined
  /** Execute a plan a threshold stopped. @default false */
  readonly force?: boolean | undefined
  /** Skip operations whose target row changed since planning (`plan execute`). @default false */
  readonly driftCheck?: boolean | undefined
  /** The environment `${env:NAME}` references of the systems resolve in. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly logger?: Logger | undefined
  readonly clock?: Clock | undefined
  /** Stops the execution: operations not applied yet stay `planned`, and the plan becomes `interrupted`. */
  readonly signal?: AbortSignal | undefined
  readonly sleep?: Sleep | undefined
  /** Called after each settled operation with the figures so far. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined
  /** Called with each operation's outcome (for events), before it is committed to the vault. */
  readonly onOutcome?: ((outcome: OperationOutcome) => void) | undefined
}

export interface ExecutionSummary {
  readonly planId: number
  readonly status: PlanRecord['status']
  readonly succeeded: number
  readonly failed: number
  readonly skipped: number
  /** Operations settled from an earlier, interrupted run before this one started. */
  readonly settledInDoubt: number
}

function finalStatus(counts: { succeeded: number; failed: number; skipped: number }): PlanRecord['status'] {
  if (counts.failed === 0) return 'executed'
  return counts.succeeded > 0 ? 'partially-failed' : 'failed'
}

/**
 * The executor's sink for one stored plan: claims operations (`running`) before they are applied,
 * settles outcomes through `writer` (status, audit, write-back in group commits), and puts back
 * operations a stopped run did not apply.
 */
export function planOutcomeSink(db: SqlDriver, planId: number, writer: OutcomeWriter, clock?: Clock): OutcomeSink {
  const seqs = (operations: readonly StoredOperation[]) => operations.map((o) => o.seq)
  return {
    markRunning: (operations) => markRunning(db, planId, seqs(operations), { clock }),
    add: (outcome) => writer.add(outcome),
    flush: () => writer.flush(),
    requeue: async (operations) => void (await requeueOperations(db, planId, seqs(operations))),
  }
}

/** Executes the operations of plan `planId` that are still planned, step after step. */
export async function executePlan(
  db: SqlDriver,
  project: ValidatedProject,
  planId: number,
  options: ExecutePlanOptions,
): Promise<ExecutionSummary> {
  const plan = await getPlan(db, planId)
  if (plan.status === 'executed') {
    throw engineError('ENG_PLAN_NOT_EXECUTABLE', `Plan ${planId} has been executed already.`, {
      hint: 'Evaluate again for a fresh plan of what is still different.',
    })
  }
  if (plan.status === 'stopped' && options.force !== true) {
    throw engineError('ENG_PLAN_NOT_EXECUTABLE', `Plan ${planId} was stopped by a threshold and is not executed.`, {
      hint: "Evaluate again with --force to execute past the threshold, or raise the step's threshold.",
    })
  }
  const clock = options.clock ?? systemClock
  const targets = new ExecutionTargets(project, { ...options, vault: db })
  const systems = [...new Set(plan.steps.map((s) => s.system))]
  let done = 0
  try {
    const settledInDoubt = await settleInDoubtOperations(db, targets, systems, {
      ...options,
      clock,
      resumePlanId: planId,
    })
    const total = (await countOperations(db, planId)).byStatus.planned ?? 0
    for (const system of systems) await targets.open(system)
    await updatePlan(db, planId, { status: 'executing' })
    const writer = new OutcomeWriter(db, { actor: options.actor, runId: options.runId, clock })
    const sink = planOutcomeSink(db, planId, writer, clock)
    const secrets = new Secrets(project, db)
    const written = options.driftCheck === true ? new WrittenRows(targets.all) : undefined
    try {
      for (const step of plan.steps) {
        await executeStep(
          streamOperations(db, planId, { step: step.index, statuses: ['planned'] }),
          targets.all,
          sink,
          {
            secretsFor: (operation) => secrets.for(operation),
            driftCheck: written === undefined ? undefined : (page) => driftedSeqs(db, page, written),
            signal: options.signal,
            sleep: options.sleep,
            onOutcome: (outcome) => {
              written?.add(outcome)
              options.onOutcome?.(outcome)
              options.onProgress?.(++done, total)
            },
          },
        )
      }
    } finally {
      await writer.close()
    }
    const after = await countOperations(db, planId)
    const counts = {
      succeeded: after.byStatus.succeeded ?? 0,
      failed: after.byStatus.failed ?? 0,
      skipped: after.byStatus.skipped ?? 0,
    }
    const interrupted = options.signal?.aborted === true
    const status = interrupted ? 'interrupted' : finalStatus(counts)
    await updatePlan(db, planId, { status, executedAt: clock.now().toISOString() })
    return { planId, status, ...counts, settledInDoubt }
  } finally {
    await targets.close()
  }
}

/**
 * The target rows this execution has written, by each of their keys. A later operation on one of
 * them finds its row changed by its own plan, which is no drift. Creates are left out: planning
 * finds no target row for a row the plan itself creates, so no later operation of the plan is on it.
 */
class WrittenRows {
  private readonly keys = new Set<string>()

  constructor(private readonly targets: ReadonlyMap<string, ExecutionTarget>) {}

  add(outcome: OperationOutcome): void {
    const operation = outcome.operation
    if (outcome.status !== 'succeeded' || operation.keyColumn === undefined) return
    const table = this.targets.get(operation.system)?.table(operation.table)
    if (table === undefined) return
    this.keys.add(this.id(operation, operation.keyColumn, operation.keyValue))
    // Another step may find the row by another key (disable by login after an update by id).
    const row = outcome.writeBack?.kind === 'upsert' ? outcome.writeBack.row : operation.before
    for (const column of [table.primaryKey, ...table.referenceKeys])
      if (column !== undefined && row?.[column] !== undefined) this.keys.add(this.id(operation, column, row[column]))
  }

  has(operation: StoredOperation): boolean {
    return (
      operation.keyColumn !== undefined && this.keys.has(this.id(operation, operation.keyColumn, operation.keyValue))
    )
  }

  private id(operation: StoredOperation, column: string, value: Value | undefined): string {
    const caseInsensitive = this.targets
      .get(operation.system)
      ?.table(operation.table)
      .columns.find((c) => c.name === column)?.caseInsensitive
    const comparable = caseInsensitive === true && typeof value === 'string' ? value.toLowerCase() : value
    return `${operation.system}\u0000${operation.table}\u0000${column}\u0000${JSON.stringify(comparable ?? null)}`
  }
}

/**
 * The operations of a page whose target row changed (or vanished) since the plan was made, by
 * anything but this execution's own earlier operations.
 */
async function driftedSeqs(
  db: SqlDriver,
  page: readonly StoredOperation[],
  written: WrittenRows,
): Promise<ReadonlySet<number>> {
  const drifted = new Set<number>()
  const groups = new Map<string, StoredOperation[]>()
  for (const op of page) {
    if (op.targetHash === undefined || op.keyColumn === undefined || written.has(op)) continue
    const key = `${op.system}\u0000${op.table}\u0000${op.keyColumn}`
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [op])
    else group.push(op)
  }
  for (const ops of groups.values()) {
    const { system, table, keyColumn } = ops[0]!
    const values = ops
      .map((o) => o.keyValue)
      .filter((v): v is string | number | boolean => v !== null && v !== undefined && typeof v !== 'object')
    const hashes = await lookupCurrentHashes(db, system, table, keyColumn!, values)
    for (const op of ops) {
      const current = typeof op.keyValue === 'object' ? undefined : hashes.get(op.keyValue as string | number | boolean)
      if (current !== op.targetHash) drifted.add(op.seq)
    }
  }
  return drifted
}
