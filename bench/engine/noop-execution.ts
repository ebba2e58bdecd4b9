/**
 * Executing a stored plan against a target that does nothing, to measure what the engine itself
 * costs per operation: streaming the plan from the vault, marking pages `running`, the limiter, the
 * retry wrapper, building the connector request and the write-back, and settling every outcome
 * (status, audit record, write-back to the vault) through the vault's OutcomeWriter.
 *
 * The steps are driven as src/engine/execute-plan.ts's executePlan drives them (without a drift
 * check, secrets, or operations in doubt to settle first), with one difference: the target is
 * {@link noopConnection} instead of a connector's connection (the connector registry has no place
 * for a bench-only connector, and src/ must not change for it).
 */
import type { FunctionSchema, Row, TableSchema } from '../../src/core/index.ts'
import { type ValidatedProject, executionOf } from '../../src/config/index.ts'
import type { Connection, Operation, OperationResult } from '../../src/connectors/index.ts'
import { connectorFunctions, planOutcomeSink } from '../../src/engine/index.ts'
import { type ExecutionTarget, executeStep } from '../../src/engine/execute/executor.ts'
import { Limiter } from '../../src/engine/execute/limiter.ts'
import {
  OutcomeWriter,
  type SqlDriver,
  countOperations,
  getPlan,
  streamOperations,
  updatePlan,
} from '../../src/vault/index.ts'

/**
 * A connection whose `apply` resolves at once with the row a SQL target would read back after a
 * create (the sent values under their columns, a made-up primary key, a creation time), so the
 * write-back to the vault does the same work as after a real target. Nothing is stored anywhere.
 */
export function noopConnection(): Connection {
  let created = 0
  const now = new Date().toISOString()
  return {
    check: async () => undefined,
    discover: async () => [],
    read: async function* () {},
    async apply(operation: Operation, { table, function: fn }): Promise<OperationResult> {
      if (operation.semantics !== 'create') return {}
      const row: Row = {}
      for (const column of table.columns) row[column.name] = null
      for (const parameter of fn.parameters) {
        const column = parameter.column ?? parameter.name
        if (column in row && parameter.name in operation.attributes) row[column] = operation.attributes[parameter.name]!
      }
      if (table.primaryKey !== undefined) row[table.primaryKey] = `noop-${(++created).toString(16).padStart(12, '0')}`
      if ('whenCreated' in row) row['whenCreated'] = now
      return { row }
    },
    close: async () => undefined,
  }
}

/** The project's system `name` with {@link noopConnection} in place of its connector. */
function noopTarget(project: ValidatedProject, name: string): ExecutionTarget {
  const system = project.systems.find((s) => s.name === name)
  if (system === undefined) throw new Error(`The bench project has no system '${name}'`)
  const table = (tableName: string): TableSchema => {
    const found = system.tables.find((t) => t.name === tableName)
    if (found === undefined) throw new Error(`System ${name} has no table ${tableName}`)
    return found
  }
  const execution = executionOf(system)
  const functions = new Map<string, readonly FunctionSchema[] | undefined>()
  return {
    connection: noopConnection(),
    limiter: new Limiter(execution.concurrency),
    retry: execution,
    table,
    function: (tableName: string, fnName: string): FunctionSchema => {
      if (!functions.has(tableName)) functions.set(tableName, connectorFunctions(system, table(tableName)))
      const found = functions.get(tableName)?.find((f) => f.name === fnName)
      if (found === undefined) throw new Error(`Table ${name}.${tableName} has no function ${fnName}`)
      return found
    },
  }
}

export interface NoopExecution {
  readonly succeeded: number
  readonly failed: number
}

/** Executes plan `planId` (no secrets: the bench plans have none) against no-op targets. */
export async function executeOnNoopTarget(
  db: SqlDriver,
  project: ValidatedProject,
  planId: number,
  onOutcome: () => void,
): Promise<NoopExecution> {
  const plan = await getPlan(db, planId)
  const targets = new Map<string, ExecutionTarget>()
  for (const step of plan.steps)
    if (!targets.has(step.system)) targets.set(step.system, noopTarget(project, step.system))
  await updatePlan(db, planId, { status: 'executing' })
  const writer = new OutcomeWriter(db, { actor: 'bench' })
  const sink = planOutcomeSink(db, planId, writer)
  try {
    for (const step of plan.steps) {
      await executeStep(streamOperations(db, planId, { step: step.index, statuses: ['planned'] }), targets, sink, {
        onOutcome,
      })
    }
  } finally {
    await writer.close()
  }
  const counts = await countOperations(db, planId)
  const result = { succeeded: counts.byStatus.succeeded ?? 0, failed: counts.byStatus.failed ?? 0 }
  await updatePlan(db, planId, {
    status: result.failed === 0 ? 'executed' : 'partially-failed',
    executedAt: new Date().toISOString(),
  })
  return result
}
