/**
 * Executing a stored plan (DESIGN.md §8): operations in plan order, step after step; within a step
 * at most `concurrency` at a time per system; retryable failures tried again with backoff; exactly
 * one recorded outcome per operation; a failure never stops or loses the others.
 *
 * Crash safety comes from the order of writes: a page of operations is marked `running` in the
 * vault (one transaction) before any of them is applied, and each outcome is settled (status, audit
 * record and write-back of the target row, in one transaction) after it. An operation a crash leaves
 * `running` is "in doubt": {@link settleInDoubt} asks the target whether its effect is there.
 */
import type { FunctionSchema, Row, TableSchema, Value } from '../../core/index.ts'
import { toProvisioError } from '../../core/index.ts'
import type { Connection, Operation } from '../../connectors/index.ts'
import type { OperationOutcome, StoredOperation, WriteBack } from '../../vault/index.ts'
import { engineError } from '../errors.ts'
import type { Limiter } from './limiter.ts'
import { type RetryPolicy, type Sleep, withRetry } from './retry.ts'

/** Where outcomes go: the vault's plan store (markRunning before, an OutcomeWriter after). */
export interface OutcomeSink {
  markRunning(operations: readonly StoredOperation[]): Promise<void>
  /** Buffers an outcome; settled (status, audit, write-back in one transaction) in batches. */
  add(outcome: OperationOutcome): Promise<void>
  /** Resolves when everything added so far is committed. */
  flush(): Promise<void>
}

/** One target system, opened, with its limits. */
export interface ExecutionTarget {
  readonly connection: Connection
  readonly limiter: Limiter
  readonly retry: RetryPolicy
  table(name: string): TableSchema
  function(table: string, name: string): FunctionSchema
}

export interface ExecuteOptions {
  /** Secret attribute values (passwords) for an operation, generated anew: they are never stored. */
  readonly secretsFor?: ((operation: StoredOperation) => Row) | undefined
  /**
   * The target rows' current fingerprints by operation, to skip operations whose target row changed
   * since planning (`plan execute`). @default no drift check
   */
  readonly driftCheck?: ((operations: readonly StoredOperation[]) => Promise<ReadonlySet<number>>) | undefined
  readonly signal?: AbortSignal | undefined
  readonly sleep?: Sleep | undefined
  /** Called after each operation's outcome. */
  readonly onOutcome?: ((outcome: OperationOutcome) => void) | undefined
}

function toConnectorOperation(operation: StoredOperation, secrets: Row): Operation {
  return {
    id: operation.id,
    table: operation.table,
    function: operation.function,
    semantics: operation.semantics,
    key:
      operation.keyColumn === undefined || operation.keyValue === undefined
        ? undefined
        : { column: operation.keyColumn, value: operation.keyValue },
    attributes: { ...operation.attributes, ...secrets },
  }
}

/** The operation's values by target column (a parameter may write a column of another name). */
function columnValues(operation: StoredOperation, fn: FunctionSchema): Row {
  const row: Row = {}
  for (const [name, value] of Object.entries(operation.attributes)) {
    row[fn.parameters.find((p) => p.name === name)?.column ?? name] = value
  }
  return row
}

/**
 * What a successful operation leaves in the vault: the row the target read back, or else the
 * values it was sent merged into the current row; a delete removes the row.
 */
function writeBackOf(
  operation: StoredOperation,
  table: TableSchema,
  fn: FunctionSchema,
  row: Row | undefined,
): WriteBack {
  const keyColumn = operation.keyColumn
  const key =
    keyColumn === undefined || operation.keyValue === undefined || operation.keyValue === null
      ? undefined
      : {
          column: keyColumn,
          value: operation.keyValue,
          caseInsensitive: table.columns.find((c) => c.name === keyColumn)?.caseInsensitive,
        }
  if (operation.semantics === 'delete') return { kind: 'remove', key }
  if (row !== undefined) return { kind: 'upsert', key, row }
  return { kind: 'upsert', key, row: columnValues(operation, fn), merge: true }
}

/**
 * What the audit shows beyond the operation itself: the key of a created row (the target may have
 * generated it), and for functions without attributes (disable, enable, move…) the columns the
 * target row changed, old and new, read from the row the connector returned.
 */
function auditValues(
  operation: StoredOperation,
  table: TableSchema,
  row: Row | undefined,
): Pick<OperationOutcome, 'auditKey' | 'before' | 'after'> {
  if (row === undefined) return {}
  if (operation.semantics === 'create') {
    const key = table.primaryKey
    const value = key === undefined ? undefined : row[key]
    return key === undefined || value === undefined || value === null ? {} : { auditKey: { column: key, value } }
  }
  if (operation.semantics === 'update' || operation.semantics === 'delete' || operation.before === undefined) return {}
  const before: Row = {}
  const after: Row = { ...operation.attributes }
  for (const [column, value] of Object.entries(row)) {
    const old = operation.before[column]
    if (JSON.stringify(old ?? null) === JSON.stringify(value ?? null)) continue
    before[column] = old ?? null
    after[column] = value
  }
  return { before, after }
}

/** Applies one operation with retries and returns its outcome; never throws for the operation's own failure. */
async function applyOne(
  operation: StoredOperation,
  target: ExecutionTarget,
  options: ExecuteOptions,
): Promise<OperationOutcome> {
  const table = target.table(operation.table)
  const fn = target.function(operation.table, operation.function)
  let attempts = 0
  try {
    const secrets = operation.secrets.length > 0 ? (options.secretsFor?.(operation) ?? {}) : {}
    const request = toConnectorOperation(operation, secrets)
    const { value: result, attempts: tries } = await withRetry(
      (attempt) => {
        attempts = attempt
        return target.connection.apply(request, { table, function: fn, signal: options.signal })
      },
      target.retry,
      { signal: options.signal, sleep: options.sleep },
    )
    return {
      operation,
      status: 'succeeded',
      retries: tries - 1,
      writeBack: writeBackOf(operation, table, fn, result.row),
      ...auditValues(operation, table, result.row),
      message: result.unchanged === true ? (result.message ?? 'Nothing had to change.') : result.message,
    }
  } catch (error) {
    const failure = toProvisioError(error)
    return {
      operation,
      status: 'failed',
      retries: Math.max(attempts - 1, 0),
      errorCode: failure.code,
      message: failure.hint === undefined ? failure.message : `${failure.message} ${failure.hint}`,
    }
  }
}

/**
 * Executes the operations of one step, page by page as they stream from the vault. Returns when
 * every operation of the step has its outcome settled in the vault, so the next step sees them.
 */
export async function executeStep(
  pages: AsyncIterable<readonly StoredOperation[]>,
  targets: ReadonlyMap<string, ExecutionTarget>,
  sink: OutcomeSink,
  options: ExecuteOptions = {},
): Promise<void> {
  for await (const page of pages) {
    if (options.signal?.aborted === true) break
    const drifted = options.driftCheck === undefined ? new Set<number>() : await options.driftCheck(page)
    const runnable = page.filter((op) => !drifted.has(op.seq))
    for (const operation of page.filter((op) => drifted.has(op.seq))) {
      const outcome: OperationOutcome = {
        operation,
        status: 'skipped',
        errorCode: 'ENG_TARGET_CHANGED',
        message: `${operation.system}.${operation.table} row ${JSON.stringify(operation.keyValue)} changed since the plan was made; evaluate again to plan it anew.`,
      }
      await sink.add(outcome)
      options.onOutcome?.(outcome)
    }
    await sink.markRunning(runnable)
    await Promise.all(
      runnable.map(async (operation) => {
        const target = targets.get(operation.system)
        // executePlan opens every system of the plan before it executes; a missing one is a bug.
        if (target === undefined)
          throw engineError('ENG_MAPPING_UNRESOLVED', `No connection to system '${operation.system}' was opened.`)
        const outcome = await target.limiter.run(() =>
          options.signal?.aborted === true
            ? Promise.resolve(interrupted(operation))
            : applyOne(operation, target, options),
        )
        await sink.add(outcome)
        options.onOutcome?.(outcome)
      }),
    )
  }
  await sink.flush()
}

function interrupted(operation: StoredOperation): OperationOutcome {
  return {
    operation,
    status: 'skipped',
    errorCode: 'ENG_INTERRUPTED',
    message: 'The run was stopped before this operation was applied.',
  }
}

/** A value usable as a lookup key (the key or a key-column attribute of an operation). */
function lookupKeyOf(operation: StoredOperation, table: TableSchema): { column: string; value: Value } | undefined {
  if (operation.keyColumn !== undefined && operation.keyValue !== undefined && operation.keyValue !== null)
    return { column: operation.keyColumn, value: operation.keyValue }
  for (const column of [table.primaryKey, ...table.referenceKeys]) {
    if (column === undefined) continue
    const value = operation.attributes[column]
    if (value !== undefined && value !== null) return { column, value }
  }
  return undefined
}

/**
 * Settles an operation a crash left `running`: it succeeded when the target shows its effect (a
 * created row exists, a deleted one is gone, updated attributes hold their new values); otherwise it
 * is recorded as skipped, and the next evaluation plans it again if it is still needed (the vault
 * still shows the old state, so it will).
 */
export async function settleInDoubt(operation: StoredOperation, target: ExecutionTarget): Promise<OperationOutcome> {
  const table = target.table(operation.table)
  const key = lookupKeyOf(operation, table)
  const notConfirmed = (why: string): OperationOutcome => ({
    operation,
    status: 'skipped',
    errorCode: 'ENG_IN_DOUBT',
    message: `Interrupted by a crash; ${why} The next evaluation plans it again if it is still needed.`,
  })
  if (target.connection.lookup === undefined || key === undefined)
    return notConfirmed('the target cannot be asked whether it was applied.')
  const row = await target.connection.lookup(table, key.column, key.value).catch((error: unknown) => {
    throw toProvisioError(error)
  })
  const fn = target.function(operation.table, operation.function)
  const confirmed: OperationOutcome = {
    operation,
    status: 'succeeded',
    writeBack: writeBackOf(operation, table, fn, row),
    message: 'Confirmed in the target after an interrupted run.',
  }
  switch (operation.semantics) {
    case 'create':
      return row === undefined ? notConfirmed('the row was not created.') : confirmed
    case 'delete':
      return row === undefined ? confirmed : notConfirmed('the row still exists.')
    case 'update': {
      if (row === undefined) return notConfirmed('the row no longer exists.')
      const holds = Object.entries(operation.attributes).every(([name, value]) => {
        const column = fn.parameters.find((p) => p.name === name)?.column ?? name
        return !(column in row) || JSON.stringify(row[column] ?? null) === JSON.stringify(value)
      })
      return holds ? confirmed : notConfirmed('the target does not hold its values.')
    }
    default:
      return notConfirmed('its effect cannot be confirmed generically.')
  }
}
