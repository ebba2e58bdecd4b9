/**
 * The audit: one record per write to a target (DESIGN.md §6), with before and after values, the
 * run, the mapping and the outcome. Records are appended with the outcomes that produce them (see
 * settle.ts) and never changed: the database refuses UPDATE and DELETE on the table (migration 2).
 * Secrets never reach it: the after values show a secret parameter as `(set)`.
 */
import type { Row, Value } from '../../core/index.ts'
import type { ColumnSpec, SqlExecutor, SqlValue } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import type { AuditRecord } from '../plan-types.ts'
import { fromJson, keyText, optionalNumber, optionalText, toJson } from './stored-json.ts'

export const AUDIT_COLUMNS: readonly ColumnSpec[] = [
  ['at', 'TEXT'],
  ['run_id', 'BIGINT'],
  ['plan_id', 'BIGINT'],
  ['operation_id', 'TEXT'],
  ['mapping', 'TEXT'],
  ['system', 'TEXT'],
  ['table_name', 'TEXT'],
  ['function_name', 'TEXT'],
  ['semantics', 'TEXT'],
  ['key_column', 'TEXT'],
  ['key_text', 'TEXT'],
  ['key_json', 'TEXT'],
  ['before_json', 'TEXT'],
  ['after_json', 'TEXT'],
  ['outcome', 'TEXT'],
  ['error_code', 'TEXT'],
  ['message', 'TEXT'],
  ['actor', 'TEXT'],
].map(([name, sqlType]) => ({ name: name!, sqlType: sqlType! }))

/** An audit record as a row in {@link AUDIT_COLUMNS} order. */
export function encodeAudit(record: Omit<AuditRecord, 'id'>): SqlValue[] {
  return [
    record.at,
    record.runId ?? null,
    record.planId ?? null,
    record.operationId,
    record.mapping,
    record.system,
    record.table,
    record.function,
    record.semantics,
    record.keyColumn ?? null,
    keyText(record.keyValue),
    toJson(record.keyValue),
    toJson(record.before),
    toJson(record.after),
    record.outcome,
    record.errorCode ?? null,
    record.message ?? null,
    record.actor,
  ]
}

function decodeAudit(r: Record<string, unknown>): AuditRecord {
  return {
    id: Number(r['id']),
    at: String(r['at']),
    runId: optionalNumber(r['run_id']),
    planId: optionalNumber(r['plan_id']),
    operationId: String(r['operation_id']),
    mapping: String(r['mapping']),
    system: String(r['system']),
    table: String(r['table_name']),
    function: String(r['function_name']),
    semantics: r['semantics'] as AuditRecord['semantics'],
    keyColumn: optionalText(r['key_column']),
    keyValue: fromJson<Value>(r['key_json']),
    before: fromJson<Row>(r['before_json']),
    after: fromJson<Row>(r['after_json']),
    outcome: r['outcome'] as AuditRecord['outcome'],
    errorCode: optionalText(r['error_code']),
    message: optionalText(r['message']),
    actor: String(r['actor']),
  }
}

export interface AuditSearch {
  readonly system?: string | undefined
  readonly table?: string | undefined
  /** The target row's key, as text (`10023963`) or as the value itself. */
  readonly key?: Value | undefined
  readonly mapping?: string | undefined
  /** Records at or after this time (ISO 8601 text or a Date). */
  readonly since?: string | Date | undefined
  /** Records before this time. */
  readonly until?: string | Date | undefined
  readonly runId?: number | undefined
  readonly planId?: number | undefined
  readonly operationId?: string | undefined
  readonly outcome?: AuditRecord['outcome'] | undefined
  /** The page: at most this many records. @default 100 */
  readonly limit?: number | undefined
  /** The next page: records older than this id (the last id of the page before). */
  readonly beforeId?: number | undefined
}

function isoTime(name: string, value: string | Date): string {
  const time = value instanceof Date ? value.getTime() : Date.parse(value)
  if (Number.isNaN(time)) {
    throw vaultError('VLT_INVALID_AUDIT_FILTER', `The audit filter ${name} is not a time: ${String(value)}.`, {
      issues: [{ code: 'VLT_INVALID_AUDIT_FILTER', message: 'Not a time.', path: [name], value: String(value) }],
    })
  }
  return new Date(time).toISOString()
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 1) {
    throw vaultError(
      'VLT_INVALID_AUDIT_FILTER',
      `The audit filter ${name} must be a positive whole number: ${value}.`,
      {
        issues: [{ code: 'VLT_INVALID_AUDIT_FILTER', message: 'Not a positive whole number.', path: [name], value }],
      },
    )
  }
  return value
}

function conditions(search: AuditSearch): { where: string; params: SqlValue[] } {
  const clauses: string[] = []
  const params: SqlValue[] = []
  const add = (clause: string, value: SqlValue) => {
    clauses.push(clause)
    params.push(value)
  }
  if (search.system !== undefined) add('system = ?', search.system)
  if (search.table !== undefined) add('table_name = ?', search.table)
  const key = keyText(search.key)
  if (key !== null) add('key_text = ?', key)
  if (search.mapping !== undefined) add('mapping = ?', search.mapping)
  if (search.since !== undefined) add('at >= ?', isoTime('since', search.since))
  if (search.until !== undefined) add('at < ?', isoTime('until', search.until))
  if (search.runId !== undefined) add('run_id = ?', search.runId)
  if (search.planId !== undefined) add('plan_id = ?', search.planId)
  if (search.operationId !== undefined) add('operation_id = ?', search.operationId)
  if (search.outcome !== undefined) add('outcome = ?', search.outcome)
  if (search.beforeId !== undefined) add('id < ?', search.beforeId)
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params }
}

/**
 * One page of audit records matching every filter given, newest first. For the next page pass the
 * last record's id as `beforeId` (or use {@link streamAudit}).
 */
export async function searchAudit(db: SqlExecutor, search: AuditSearch = {}): Promise<AuditRecord[]> {
  const limit = positive('limit', search.limit, 100)
  const { where, params } = conditions(search)
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM audit ${where} ORDER BY id DESC LIMIT ?`, [
    ...params,
    limit,
  ])
  return rows.map(decodeAudit)
}

/**
 * Every matching audit record, newest first, in pages of `pageSize` (for exports): bounded memory
 * at any audit size. `search.limit` is ignored; stop iterating to stop.
 */
export async function* streamAudit(
  db: SqlExecutor,
  search: Omit<AuditSearch, 'limit'> = {},
  pageSize = 1000,
): AsyncIterable<AuditRecord[]> {
  let beforeId = search.beforeId
  for (;;) {
    const page = await searchAudit(db, { ...search, beforeId, limit: pageSize })
    if (page.length === 0) return
    yield page
    if (page.length < pageSize) return
    beforeId = page.at(-1)!.id
  }
}
