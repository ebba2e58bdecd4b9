/**
 * Executing a stored plan end to end: open the target systems, settle what an earlier crash left in
 * doubt, run the steps in order through the executor (bounded concurrency, retries, one outcome per
 * operation, write-back and audit through the vault's OutcomeWriter), and record the plan's result.
 *
 * Secrets are generated here, at the last moment, from the mapping's password generator and the
 * operation's stored source row; they exist only in memory, on their way to the connector.
 */
import type { Clock, FunctionSchema, Logger, Row, TableSchema, Value } from '../core/index.ts'
import { silentLogger, systemClock } from '../core/index.ts'
import { type ValidatedProject, executionOf } from '../config/index.ts'
import { openSystem } from '../connectors/index.ts'
import {
  OutcomeWriter,
  type PlanRecord,
  type SqlDriver,
  type StoredOperation,
  closeInterruptedExecution,
  countOperations,
  findInDoubt,
  requeueOperations,
  getPlan,
  lookupCurrentHashes,
  markRunning,
  streamOperations,
  updatePlan,
} from '../vault/index.ts'
import { connectorFunctions } from './check-mappings.ts'
import { engineError } from './errors.ts'
import { type ExecutionTarget, type OutcomeSink, executeStep, settleInDoubt } from './execute/executor.ts'
import { Limiter } from './execute/limiter.ts'
import type { Sleep } from './execute/retry.ts'
import { createPasswordGenerator, type PasswordGenerator } from './generators/password-generator.ts'
import { type MappingRuntime, prepareMapping } from './plan/mapping-runtime.ts'

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
  readonly signal?: AbortSignal | undefined
  readonly sleep?: Sleep | undefined
  /** Called after each settled operation with the figures so far. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined
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

/** The open target systems of a run, by name. */
export class ExecutionTargets {
  private readonly targets = new Map<string, ExecutionTarget>()
  private readonly closers: (() => Promise<void>)[] = []

  constructor(
    private readonly project: ValidatedProject,
    private readonly options: Pick<ExecutePlanOptions, 'env' | 'logger'>,
  ) {}

  async open(systemName: string): Promise<ExecutionTarget> {
    const existing = this.targets.get(systemName)
    if (existing !== undefined) return existing
    const system = this.project.systems.find((s) => s.name === systemName)
    if (system === undefined) {
      throw engineError(
        'ENG_MAPPING_UNRESOLVED',
        `The plan writes to system '${systemName}', which the project no longer has.`,
        {
          hint: 'Evaluate again: the plan was made with a different configuration.',
        },
      )
    }
    const { connection } = await openSystem(system, {
      projectDir: this.project.dir,
      env: this.options.env ?? process.env,
      logger: this.options.logger ?? silentLogger,
    })
    this.closers.push(() => connection.close())
    const execution = executionOf(system)
    const table = (name: string): TableSchema => {
      const found = system.tables.find((t) => t.name === name)
      if (found === undefined)
        throw engineError('ENG_MAPPING_UNRESOLVED', `System '${system.name}' has no table '${name}'.`)
      return found
    }
    const functions = new Map<string, readonly FunctionSchema[] | undefined>()
    const target: ExecutionTarget = {
      connection,
      limiter: new Limiter(execution.concurrency),
      retry: execution,
      table,
      function: (tableName, name) => {
        // Once per table, not per operation: deriving them parses the connector's table options.
        if (!functions.has(tableName)) functions.set(tableName, connectorFunctions(system, table(tableName)))
        const found = functions.get(tableName)?.find((f) => f.name === name)
        if (found === undefined)
          throw engineError('ENG_MAPPING_UNRESOLVED', `Table ${system.name}.${tableName} has no function '${name}'.`)
        return found
      },
    }
    this.targets.set(systemName, target)
    return target
  }

  get all(): ReadonlyMap<string, ExecutionTarget> {
    return this.targets
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.closers.map((close) => close()))
  }
}

/** Generates the secret attributes of operations again, per mapping, from their stored source rows. */
class Secrets {
  private readonly runtimes = new Map<string, { runtime: MappingRuntime; passwords?: PasswordGenerator | undefined }>()

  constructor(
    private readonly project: ValidatedProject,
    private readonly db: SqlDriver,
  ) {}

  for(operation: StoredOperation): Row {
    let entry = this.runtimes.get(operation.mapping)
    if (entry === undefined) {
      const runtime = prepareMapping(this.project, operation.mapping, this.db.dialect.name)
      const passwords =
        runtime.passwordGenerator === undefined
          ? undefined
          : createPasswordGenerator(runtime.passwordGenerator, runtime.shape.scope, {
              paramValues: runtime.filter.parameters,
            })
      entry = { runtime, passwords }
      this.runtimes.set(operation.mapping, entry)
    }
    const { runtime, passwords } = entry
    const row: Row = {}
    const generated: Record<string, Value> = {}
    for (const [name, value] of Object.entries(operation.source ?? {})) {
      if (name.startsWith('generated.')) generated[name.slice('generated.'.length)] = value
      else row[name] = value
    }
    if (passwords !== undefined) generated['password'] = passwords.generate(runtime.shape.toEvalRow(row, generated))
    const evalRow = runtime.shape.toEvalRow(row, generated)
    const secrets: Row = {}
    for (const attribute of runtime.attributes)
      if (attribute.secret) secrets[attribute.name] = attribute.evaluate(evalRow)
    return secrets
  }
}

/**
 * Settles the operations a crashed run left `running` on these systems: confirmed in the target,
 * they are recorded as succeeded (with write-back and audit); otherwise as skipped, for the next
 * evaluation to plan again. Run it before evaluating, so the plan sees what really happened. Then
 * closes what the crashed run left open on each system: its plan becomes `interrupted`, its
 * write-back collection is finished.
 */
export async function settleInDoubtOperations(
  db: SqlDriver,
  targets: ExecutionTargets,
  systems: readonly string[],
  options: Pick<ExecutePlanOptions, 'actor' | 'runId' | 'clock'> & {
    /** The plan about to be resumed: its unconfirmed operations go back to `planned` instead of `skipped`. */
    readonly resumePlanId?: number | undefined
  },
): Promise<number> {
  let settled = 0
  for (const system of systems) {
    const inDoubt = await findInDoubt(db, { system })
    if (inDoubt.length > 0) {
      const target = await targets.open(system)
      const writer = new OutcomeWriter(db, { actor: options.actor, runId: options.runId, clock: options.clock })
      const requeue: number[] = []
      for (const operation of inDoubt) {
        const outcome = await settleInDoubt(operation, target)
        // Not applied, and its own plan resumes now: run it again rather than leave it to a new evaluation.
        if (outcome.status === 'skipped' && operation.planId === options.resumePlanId) requeue.push(operation.seq)
        else await writer.add(outcome)
      }
      await writer.close()
      if (options.resumePlanId !== undefined) await requeueOperations(db, options.resumePlanId, requeue)
      settled += inDoubt.length
    }
    // Also when nothing was in doubt: a process can die between two pages, with none `running`.
    await closeInterruptedExecution(db, system, { clock: options.clock })
  }
  return settled
}

function finalStatus(counts: { succeeded: number; failed: number; skipped: number }): PlanRecord['status'] {
  if (counts.failed === 0) return 'executed'
  return counts.succeeded > 0 ? 'partially-failed' : 'failed'
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
  const targets = new ExecutionTargets(project, options)
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
    const sink: OutcomeSink = {
      markRunning: async (operations) =>
        void (await markRunning(
          db,
          planId,
          operations.map((o) => o.seq),
          { clock },
        )),
      add: (outcome) => writer.add(outcome),
      flush: () => writer.flush(),
    }
    const secrets = new Secrets(project, db)
    try {
      for (const step of plan.steps) {
        await executeStep(
          streamOperations(db, planId, { step: step.index, statuses: ['planned'] }),
          targets.all,
          sink,
          {
            secretsFor: (operation) => secrets.for(operation),
            driftCheck: options.driftCheck === true ? (page) => driftedSeqs(db, page) : undefined,
            signal: options.signal,
            sleep: options.sleep,
            onOutcome: () => options.onProgress?.(++done, total),
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

/** The operations of a page whose target row changed (or vanished) since the plan was made. */
async function driftedSeqs(db: SqlDriver, page: readonly StoredOperation[]): Promise<ReadonlySet<number>> {
  const drifted = new Set<number>()
  const groups = new Map<string, StoredOperation[]>()
  for (const op of page) {
    if (op.targetHash === undefined || op.keyColumn === undefined) continue
    const key = `${op.system}\u0000${op.table}\u0000${op.keyColumn}`
    groups.set(key, [...(groups.get(key) ?? []), op])
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
