/**
 * Settling outcomes: in ONE transaction per batch, each operation's final status, its audit record
 * and the write-back of its row to the target's vault table. The vault, the operations and the
 * audit therefore never disagree: after a crash either all three show an outcome or none does (the
 * operation is then still `running`, in doubt, and settled again from the target's state).
 */
import type { Row, Value } from '../../core/index.ts'
import type { ColumnSpec, SqlExecutor, SqlValue } from '../driver/sql-driver.ts'
import { SECRET_SET, type StoredOperation } from '../plan-types.ts'
import { type VaultTable, findVaultTable } from '../vault-table.ts'
import { AUDIT_COLUMNS, encodeAudit } from './audit-log.ts'
import { applyWriteBacks } from './write-back.ts'
import type { WriteBack } from './write-back-state.ts'
import type { WriteBackCollections } from './write-back-collections.ts'

/** What became of one operation, as the executor reports it. */
export interface OperationOutcome {
  readonly operation: StoredOperation
  /** `skipped`: not executed (its target row changed since planning); no audit, no write-back. */
  readonly status: 'succeeded' | 'failed' | 'skipped'
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
  /** Tries beyond the first in this attempt (retries after retryable errors). @default 0 */
  readonly retries?: number | undefined
  /** @default the time the outcome was added to the OutcomeWriter */
  readonly finishedAt?: string | undefined
  /** For a succeeded operation: what to write to the target's vault table. @default none */
  readonly writeBack?: WriteBack | undefined
  /**
   * The target row's key for the audit, when the operation had none to begin with (a create whose key
   * the target generated). @default the operation's key
   */
  readonly auditKey?: { readonly column: string; readonly value: Value } | undefined
  /** The audit's before values. @default operation.before */
  readonly before?: Row | undefined
  /** The audit's after values (secret parameters are shown as `(set)` whatever is given). @default operation.attributes */
  readonly after?: Row | undefined
}

/** A write-back that could not be applied: the target holds the write, the vault does not (yet). */
export interface WriteBackProblem {
  readonly operation: StoredOperation
  readonly problem: string
}

export interface SettleContext {
  readonly runId?: number | undefined
  readonly actor: string
  readonly collections: WriteBackCollections
  /** Tables resolved in earlier batches. */
  readonly tables: Map<string, VaultTable | undefined>
}

const SETTLE_COLUMNS: readonly ColumnSpec[] = [
  ['plan_id', 'BIGINT'],
  ['seq', 'BIGINT'],
  ['status', 'TEXT'],
  ['error_code', 'TEXT'],
  ['message', 'TEXT'],
  ['finished_at', 'TEXT'],
  ['retries', 'INTEGER'],
].map(([name, sqlType]) => ({ name: name!, sqlType: sqlType! }))

/** The after values as audited: a secret parameter never shows its value. */
function auditedAfter(outcome: OperationOutcome): Row {
  const after: Row = { ...(outcome.after ?? outcome.operation.attributes) }
  for (const name of outcome.operation.secrets) after[name] = SECRET_SET
  return after
}

interface Group {
  readonly system: string
  readonly table: VaultTable | undefined
  /** Positions in the batch, in order. */
  readonly positions: number[]
}

async function resolveTable(tx: SqlExecutor, context: SettleContext, system: string, name: string) {
  const id = `${system}\u0000${name}`
  if (!context.tables.has(id)) context.tables.set(id, await findVaultTable(tx, system, name))
  return context.tables.get(id)
}

async function groupWriteBacks(
  tx: SqlExecutor,
  outcomes: readonly OperationOutcome[],
  context: SettleContext,
): Promise<Group[]> {
  const groups = new Map<string, Group>()
  for (let i = 0; i < outcomes.length; i++) {
    const { operation, status, writeBack } = outcomes[i]!
    if (status !== 'succeeded' || writeBack === undefined) continue
    const id = `${operation.system}\u0000${operation.table}`
    let group = groups.get(id)
    if (group === undefined) {
      const table = await resolveTable(tx, context, operation.system, operation.table)
      group = { system: operation.system, table, positions: [] }
      groups.set(id, group)
    }
    group.positions.push(i)
  }
  return [...groups.values()]
}

/** Applies the write-backs of some positions, table by table, and counts them in their collections. */
async function applyPositions(
  tx: SqlExecutor,
  outcomes: readonly OperationOutcome[],
  groups: readonly Group[],
  collectionIds: ReadonlyMap<string, number>,
  context: SettleContext,
  problems: Map<number, string>,
): Promise<void> {
  for (const group of groups) {
    if (group.table === undefined) continue
    const collectionId = collectionIds.get(group.system)!
    const items = group.positions.map((p) => outcomes[p]!.writeBack!)
    const result = await applyWriteBacks(tx, group.table, collectionId, items)
    result.problems.forEach((problem, i) => problem !== undefined && problems.set(group.positions[i]!, problem))
    await context.collections.count(tx, collectionId, group.table, result.counts)
  }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message.split('\n')[0]! : String(error)
  // SQLite: "UNIQUE constraint failed: …"; PostgreSQL: "duplicate key value violates unique constraint …".
  return /unique/i.test(text) ? `another current row of the table holds one of its key values (${text})` : text
}

/**
 * All write-backs of the batch under one savepoint; when the database refuses one (a reference key
 * another row holds), the batch is rolled back to it and applied one write-back at a time, each
 * under its own savepoint, so only the offending write-backs are left out.
 */
async function writeBack(
  tx: SqlExecutor,
  outcomes: readonly OperationOutcome[],
  context: SettleContext,
): Promise<Map<number, string>> {
  const problems = new Map<number, string>()
  const groups = await groupWriteBacks(tx, outcomes, context)
  for (const group of groups) {
    if (group.table !== undefined) continue
    for (const p of group.positions) {
      const op = outcomes[p]!.operation
      problems.set(p, `${op.system}.${op.table} has never been collected (run \`provisio collect ${op.system}\`)`)
    }
  }
  const collectionIds = new Map<string, number>()
  for (const group of groups) {
    if (group.table !== undefined && !collectionIds.has(group.system)) {
      collectionIds.set(group.system, await context.collections.idFor(tx, group.system))
    }
  }
  await tx.exec('SAVEPOINT write_back')
  try {
    await applyPositions(tx, outcomes, groups, collectionIds, context, problems)
    await tx.exec('RELEASE SAVEPOINT write_back')
    return problems
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT write_back')
    await tx.exec('RELEASE SAVEPOINT write_back')
  }
  for (const group of groups) {
    if (group.table === undefined) continue
    for (const p of group.positions) {
      await tx.exec('SAVEPOINT write_back_one')
      try {
        await applyPositions(tx, outcomes, [{ ...group, positions: [p] }], collectionIds, context, problems)
        await tx.exec('RELEASE SAVEPOINT write_back_one')
      } catch (error) {
        await tx.exec('ROLLBACK TO SAVEPOINT write_back_one')
        await tx.exec('RELEASE SAVEPOINT write_back_one')
        problems.set(p, errorText(error))
      }
    }
  }
  return problems
}

function settledMessage(outcome: OperationOutcome, problem: string | undefined): string | null {
  const note = problem === undefined ? undefined : `Written to the target, but not to the vault: ${problem}.`
  const parts = [outcome.message, note].filter((m): m is string => m !== undefined && m !== '')
  return parts.length === 0 ? null : parts.join(' ')
}

/** Sets the operations' final status in one statement, through a temporary table of outcomes. */
async function updateOperations(
  tx: SqlExecutor,
  outcomes: readonly OperationOutcome[],
  finishedAt: readonly string[],
  problems: ReadonlyMap<number, string>,
): Promise<void> {
  await tx.exec(
    'CREATE TEMPORARY TABLE IF NOT EXISTS _settle (plan_id BIGINT, seq BIGINT, status TEXT, error_code TEXT, message TEXT, finished_at TEXT, retries INTEGER)',
  )
  await tx.run('DELETE FROM _settle')
  const rows: SqlValue[][] = outcomes.map((o, i) => [
    o.operation.planId,
    o.operation.seq,
    o.status,
    o.errorCode ?? null,
    settledMessage(o, problems.get(i)),
    finishedAt[i]!,
    o.retries ?? 0,
  ])
  await tx.insertMany('_settle', SETTLE_COLUMNS, rows)
  // A temporary table has no statistics until analyzed: PostgreSQL would then guess it large and
  // join it to every operation of the plan instead of looking each one up by its key.
  if (tx.dialect.name === 'postgres') await tx.exec('ANALYZE _settle')
  await tx.run(
    `UPDATE plan_operations SET status = s.status, error_code = s.error_code, message = s.message,
       finished_at = s.finished_at, attempts = plan_operations.attempts + s.retries
     FROM _settle s WHERE plan_operations.plan_id = s.plan_id AND plan_operations.seq = s.seq`,
  )
}

function auditRows(outcomes: readonly OperationOutcome[], finishedAt: readonly string[], context: SettleContext) {
  const rows: SqlValue[][] = []
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'skipped') return
    const op = outcome.operation
    rows.push(
      encodeAudit({
        at: finishedAt[i]!,
        runId: context.runId,
        planId: op.planId,
        operationId: op.id,
        mapping: op.mapping,
        system: op.system,
        table: op.table,
        function: op.function,
        semantics: op.semantics,
        keyColumn: outcome.auditKey?.column ?? op.keyColumn,
        keyValue: outcome.auditKey?.value ?? op.keyValue,
        before: outcome.before ?? op.before,
        after: auditedAfter(outcome),
        outcome: outcome.status,
        errorCode: outcome.errorCode,
        message: outcome.message,
        actor: context.actor,
      }),
    )
  })
  return rows
}

/**
 * Settles a batch of outcomes in `tx` (the caller's transaction): write-backs, operation statuses,
 * audit records. Returns the write-backs that could not be applied; their operations still
 * succeed (the target was written) and say so in their message.
 */
export async function settleOutcomes(
  tx: SqlExecutor,
  outcomes: readonly OperationOutcome[],
  finishedAt: readonly string[],
  context: SettleContext,
): Promise<WriteBackProblem[]> {
  if (outcomes.length === 0) return []
  const problems = await writeBack(tx, outcomes, context)
  await updateOperations(tx, outcomes, finishedAt, problems)
  await tx.insertMany('audit', AUDIT_COLUMNS, auditRows(outcomes, finishedAt, context))
  return [...problems].map(([i, problem]) => ({ operation: outcomes[i]!.operation, problem }))
}
