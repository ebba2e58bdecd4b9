/**
 * The operations of a plan: inserted in batches as the planner produces them, read back in pages
 * ordered by `seq`, and moved to `running` before the connector is called. Every read pages by key
 * (`seq > last`), never through an open cursor, so a reader can write between pages (the executor
 * marks and settles operations while it streams them) and memory stays bounded at any plan size.
 */
import { type Clock, type Row, type Value, systemClock } from '../../core/index.ts'
import type { DialectName } from '../driver/dialect.ts'
import type { ColumnSpec, SqlDriver, SqlExecutor, SqlValue } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import type { NewOperation, OperationStatus, StoredOperation } from '../plan-types.ts'
import { chunks, fromJson, optionalText, placeholders, toJson } from './stored-json.ts'

/** Operations per insert transaction: large enough to amortise the commit, small enough to bound memory. */
const INSERT_BATCH = 5000
/** Values per IN list: within SQLite's and PostgreSQL's bound-parameter limits, and index-friendly. */
const IN_CHUNK = 500

const OPERATION_COLUMNS: readonly ColumnSpec[] = [
  ['plan_id', 'BIGINT'],
  ['seq', 'BIGINT'],
  ['id', 'TEXT'],
  ['step', 'INTEGER'],
  ['mapping', 'TEXT'],
  ['system', 'TEXT'],
  ['table_name', 'TEXT'],
  ['function_name', 'TEXT'],
  ['semantics', 'TEXT'],
  ['key_column', 'TEXT'],
  ['key_json', 'TEXT'],
  ['attributes_json', 'TEXT'],
  ['before_json', 'TEXT'],
  ['secrets_json', 'TEXT'],
  ['source_json', 'TEXT'],
  ['target_hash', 'TEXT'],
  ['status', 'TEXT'],
  ['attempts', 'INTEGER'],
].map(([name, sqlType]) => ({ name: name!, sqlType: sqlType! }))

/** Refuses what must never be stored: above all a secret's value (DESIGN.md §3, issue 4 item 4). */
function checkOperation(op: NewOperation): void {
  const problem =
    typeof op.id !== 'string' || op.id === ''
      ? 'it has no id'
      : Array.isArray(op.keyValue)
        ? `its key ${op.keyColumn ?? ''} has several values`
        : (op.secrets ?? []).find((name) => name in op.attributes) !== undefined
          ? `its attributes hold the value of the secret parameter ${(op.secrets ?? []).find((n) => n in op.attributes)}`
          : undefined
  if (problem !== undefined) {
    throw vaultError(
      'VLT_INVALID_OPERATION',
      `Operation ${op.id || '(no id)'} of ${op.mapping} cannot be stored: ${problem}.`,
      {
        details: { operationId: op.id, mapping: op.mapping },
      },
    )
  }
}

function encodeOperation(planId: number, seq: number, op: NewOperation): SqlValue[] {
  const secrets = op.secrets ?? []
  return [
    planId,
    seq,
    op.id,
    op.step,
    op.mapping,
    op.system,
    op.table,
    op.function,
    op.semantics,
    op.keyColumn ?? null,
    toJson(op.keyValue),
    JSON.stringify(op.attributes),
    toJson(op.before),
    secrets.length === 0 ? null : JSON.stringify(secrets),
    toJson(op.source),
    op.targetHash ?? null,
    'planned',
    0,
  ]
}

/** A stored operation from its row. */
export function decodeOperation(r: Record<string, unknown>): StoredOperation {
  return {
    planId: Number(r['plan_id']),
    seq: Number(r['seq']),
    id: String(r['id']),
    step: Number(r['step']),
    mapping: String(r['mapping']),
    system: String(r['system']),
    table: String(r['table_name']),
    function: String(r['function_name']),
    semantics: r['semantics'] as StoredOperation['semantics'],
    keyColumn: optionalText(r['key_column']),
    keyValue: fromJson<Value>(r['key_json']),
    attributes: JSON.parse(String(r['attributes_json'])) as Row,
    before: fromJson<Row>(r['before_json']),
    secrets: fromJson<string[]>(r['secrets_json']) ?? [],
    source: fromJson<Row>(r['source_json']),
    targetHash: optionalText(r['target_hash']),
    status: r['status'] as OperationStatus,
    attempts: Number(r['attempts']),
    errorCode: optionalText(r['error_code']),
    message: optionalText(r['message']),
    startedAt: optionalText(r['started_at']),
    finishedAt: optionalText(r['finished_at']),
  }
}

export interface InsertedOperations {
  readonly count: number
  /** The seq of the first and last operation inserted; undefined when there were none. */
  readonly firstSeq: number | undefined
  readonly lastSeq: number | undefined
}

/**
 * Appends operations to a plan, numbering them after the plan's last `seq`, in transactions of
 * 5,000. Takes an array or a (lazy, async) iterable, so a million operations never sit in memory
 * at once. One writer per plan at a time.
 */
export async function insertOperations(
  db: SqlDriver,
  planId: number,
  operations: Iterable<NewOperation> | AsyncIterable<NewOperation>,
): Promise<InsertedOperations> {
  const last = await db.query<{ n: number | null }>('SELECT MAX(seq) AS n FROM plan_operations WHERE plan_id = ?', [
    planId,
  ])
  const firstSeq = Number(last[0]?.n ?? 0) + 1
  let seq = firstSeq
  let batch: SqlValue[][] = []
  const flush = async () => {
    const rows = batch
    batch = []
    if (rows.length > 0) await db.transaction((tx) => tx.insertMany('plan_operations', OPERATION_COLUMNS, rows))
  }
  for await (const op of operations) {
    checkOperation(op)
    batch.push(encodeOperation(planId, seq++, op))
    if (batch.length === INSERT_BATCH) await flush()
  }
  await flush()
  const count = seq - firstSeq
  await refreshStatistics(db, count)
  return { count, firstSeq: count === 0 ? undefined : firstSeq, lastSeq: count === 0 ? undefined : seq - 1 }
}

/**
 * PostgreSQL plans from statistics, and right after a bulk insert they still describe the table as
 * it was: it then reads a whole plan to mark or settle 500 of its operations. Analyzing after a
 * large insert keeps those updates on the primary key. (SQLite's planner does not need it.)
 * https://www.postgresql.org/docs/current/sql-analyze.html
 */
async function refreshStatistics(db: SqlExecutor, inserted: number): Promise<void> {
  if (db.dialect.name === 'postgres' && inserted >= 10_000) await db.exec('ANALYZE plan_operations')
}

export interface StreamOperationsOptions {
  /** Only operations in these statuses. @default all */
  readonly statuses?: readonly OperationStatus[] | undefined
  /** Only the operations of this step. */
  readonly step?: number | undefined
  /** Start after this seq (resume). @default 0 */
  readonly afterSeq?: number | undefined
  /** @default 1000 */
  readonly pageSize?: number | undefined
}

/**
 * The operations of a plan in pages, ordered by `seq`. Each page is its own query (keyset paging),
 * so the caller may mark and settle operations between pages; an operation whose status changes
 * after its page was read is not read again.
 */
export async function* streamOperations(
  db: SqlExecutor,
  planId: number,
  options: StreamOperationsOptions = {},
): AsyncIterable<StoredOperation[]> {
  const conditions = ['plan_id = ?', 'seq > ?']
  const params: SqlValue[] = []
  if (options.statuses !== undefined) {
    if (options.statuses.length === 0) return
    conditions.push(`status IN (${placeholders(options.statuses.length)})`)
    params.push(...options.statuses)
  }
  if (options.step !== undefined) {
    conditions.push('step = ?')
    params.push(options.step)
  }
  const sql = `SELECT * FROM plan_operations WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT ?`
  const pageSize = options.pageSize ?? 1000
  let after = options.afterSeq ?? 0
  for (;;) {
    const rows = await db.query<Record<string, unknown>>(sql, [planId, after, ...params, pageSize])
    if (rows.length === 0) return
    const page = rows.map(decodeOperation)
    after = page.at(-1)!.seq
    yield page
    if (rows.length < pageSize) return
  }
}

/** Some operations of a plan by seq (in seq order); unknown seqs are left out. */
export async function getOperations(
  db: SqlExecutor,
  planId: number,
  seqs: readonly number[],
): Promise<StoredOperation[]> {
  const result: StoredOperation[] = []
  for (const chunk of chunks(seqs, IN_CHUNK)) {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT * FROM plan_operations WHERE plan_id = ? AND seq IN (${placeholders(chunk.length)})`,
      [planId, ...chunk],
    )
    result.push(...rows.map(decodeOperation))
  }
  return result.sort((a, b) => a.seq - b.seq)
}

export interface OperationCounts {
  readonly total: number
  readonly byStatus: Readonly<Partial<Record<OperationStatus, number>>>
  /** Per step (ascending), operations per status. */
  readonly bySteps: readonly {
    readonly step: number
    readonly counts: Readonly<Partial<Record<OperationStatus, number>>>
  }[]
}

/** How many operations a plan has, per status and per step. */
export async function countOperations(db: SqlExecutor, planId: number): Promise<OperationCounts> {
  const rows = await db.query<{ step: number; status: OperationStatus; n: number }>(
    'SELECT step, status, COUNT(*) AS n FROM plan_operations WHERE plan_id = ? GROUP BY step, status ORDER BY step',
    [planId],
  )
  const byStatus: Partial<Record<OperationStatus, number>> = {}
  const steps = new Map<number, Partial<Record<OperationStatus, number>>>()
  let total = 0
  for (const r of rows) {
    const n = Number(r.n)
    total += n
    byStatus[r.status] = (byStatus[r.status] ?? 0) + n
    const step = steps.get(Number(r.step)) ?? {}
    step[r.status] = n
    steps.set(Number(r.step), step)
  }
  return { total, byStatus, bySteps: [...steps].map(([step, counts]) => ({ step, counts })) }
}

/**
 * The statuses from which an executor may claim an operation: never one that succeeded or was
 * skipped, and never one that is `running` — another executor holds it (or a dead process left it
 * in doubt, for settleInDoubt to decide), so claiming it again could apply it twice.
 */
const CLAIMABLE: readonly OperationStatus[] = ['planned', 'failed']

/**
 * Claims operations for an executor: marks them `running` and counts the attempt, in one
 * transaction, before the executor applies them. A process that dies after this leaves them
 * `running`, which is how {@link findInDoubt} knows to ask the target. Returns the seqs it moved
 * to `running`, ascending: the executor applies only those. An operation another executor claimed
 * first (`running`), or that succeeded or was skipped, is left alone and not returned, so two
 * executors racing on one plan never both apply an operation.
 */
export async function markRunning(
  db: SqlDriver,
  planId: number,
  seqs: readonly number[],
  options: { readonly clock?: Clock | undefined } = {},
): Promise<number[]> {
  if (seqs.length === 0) return []
  const now = (options.clock ?? systemClock).now().toISOString()
  // Ascending, so that concurrent claimers take their chunks in one order.
  const ordered = [...new Set(seqs)].sort((a, b) => a - b)
  return db.transaction(async (tx) => {
    const claimed: number[] = []
    for (const chunk of chunks(ordered, IN_CHUNK)) {
      const { sql, params } = claimStatement(tx.dialect.name, planId, chunk, now)
      for (const r of await tx.query<{ seq: number }>(sql, params)) claimed.push(Number(r.seq))
    }
    return claimed.sort((a, b) => a - b)
  })
}

/**
 * The claim: the UPDATE's own status check decides, and RETURNING gives exactly the rows it moved.
 * SQLite runs one writer at a time, so that is all it needs. On PostgreSQL, concurrent claimers
 * lock rows; the rows are picked with FOR UPDATE SKIP LOCKED, so a claimer passes over the rows
 * another is claiming at that moment (they are that one's) instead of waiting for them, and two
 * claimers can never deadlock. https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE
 */
function claimStatement(
  dialect: DialectName,
  planId: number,
  seqs: readonly number[],
  now: string,
): { sql: string; params: SqlValue[] } {
  const set = `UPDATE plan_operations SET status = 'running', attempts = attempts + 1, started_at = ?`
  const pick = `plan_id = ? AND seq IN (${placeholders(seqs.length)}) AND status IN (${placeholders(CLAIMABLE.length)})`
  const picked = [planId, ...seqs, ...CLAIMABLE]
  if (dialect === 'sqlite') return { sql: `${set} WHERE ${pick} RETURNING seq`, params: [now, ...picked] }
  return {
    sql: `${set} WHERE plan_id = ? AND seq IN (SELECT seq FROM plan_operations WHERE ${pick} FOR UPDATE SKIP LOCKED)
      RETURNING seq`,
    params: [now, planId, ...picked],
  }
}

/**
 * Puts operations a crash left `running` back to `planned`, for the executor of the same plan to
 * run again: only when the target showed that they were not applied (a resumed `plan execute`).
 * Returns how many were put back.
 */
export async function requeueOperations(db: SqlDriver, planId: number, seqs: readonly number[]): Promise<number> {
  if (seqs.length === 0) return 0
  return db.transaction(async (tx) => {
    let requeued = 0
    for (const chunk of chunks(seqs, IN_CHUNK)) {
      requeued += await tx.run(
        `UPDATE plan_operations SET status = 'planned' WHERE plan_id = ? AND seq IN (${placeholders(chunk.length)}) AND status = 'running'`,
        [planId, ...chunk],
      )
    }
    return requeued
  })
}

export interface FindInDoubtOptions {
  /** Only operations on this system's tables. */
  readonly system?: string | undefined
  readonly planId?: number | undefined
}

/**
 * Operations left `running` — across all plans — by a process that died between starting them
 * and settling their outcome: the target may or may not have been written. The executor settles
 * each (asking the connector whether the row exists) before it executes anything on that system.
 * Call it only when no other executor is working on those systems: their in-flight operations
 * are `running` too.
 */
export async function findInDoubt(db: SqlExecutor, options: FindInDoubtOptions = {}): Promise<StoredOperation[]> {
  const conditions = ["status = 'running'"]
  const params: SqlValue[] = []
  if (options.system !== undefined) {
    conditions.push('system = ?')
    params.push(options.system)
  }
  if (options.planId !== undefined) {
    conditions.push('plan_id = ?')
    params.push(options.planId)
  }
  const rows = await db.query<Record<string, unknown>>(
    `SELECT * FROM plan_operations WHERE ${conditions.join(' AND ')} ORDER BY plan_id, seq`,
    params,
  )
  return rows.map(decodeOperation)
}
