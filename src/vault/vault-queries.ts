/**
 * Read-side queries over the vault: collections, tables, current rows and row history. Used by the
 * CLI (`provisio vault …`, `provisio collections`) and later by the API.
 */
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { SqlExecutor, SqlValue } from './driver/sql-driver.ts'
import { vaultError } from './errors.ts'
import { decodeRow } from './row-codec.ts'
import type { Row } from '../core/index.ts'
import { findVaultTable, type VaultTable } from './vault-table.ts'

export interface CollectionRecord {
  readonly id: number
  readonly system: string
  readonly kind: string
  readonly status: string
  readonly startedAt: string
  readonly durationMs: number | null
  readonly sourceCollectionId: number | null
  readonly forced: boolean
  readonly errorCode: string | null
  readonly message: string | null
  readonly tables: readonly {
    table: string
    rowsBefore: number
    rowsAfter: number
    added: number
    changed: number
    removed: number
    /** The read brought only changed rows; removals were not looked for. */
    incremental: boolean
    /** Where a later incremental read may start, as the read returned it. */
    watermark: string | null
  }[]
}

export async function listCollections(
  db: SqlExecutor,
  options: { system?: string | undefined; limit?: number; id?: number } = {},
): Promise<CollectionRecord[]> {
  const where: string[] = []
  const params: SqlValue[] = []
  if (options.system !== undefined) {
    where.push('lower(system) = lower(?)')
    params.push(options.system)
  }
  if (options.id !== undefined) {
    where.push('id = ?')
    params.push(options.id)
  }
  const rows = await db.query<Record<string, unknown>>(
    `SELECT * FROM collections ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY id DESC LIMIT ?`,
    [...params, options.limit ?? 50],
  )
  if (rows.length === 0) return []
  const ids = rows.map((r) => Number(r['id']))
  const tableRows = await db.query<Record<string, unknown>>(
    `SELECT * FROM collection_tables WHERE collection_id IN (${ids.map(() => '?').join(', ')}) ORDER BY table_name`,
    ids,
  )
  return rows.map((r) => ({
    id: Number(r['id']),
    system: String(r['system']),
    kind: String(r['kind']),
    status: String(r['status']),
    startedAt: String(r['started_at']),
    durationMs: r['duration_ms'] === null ? null : Number(r['duration_ms']),
    sourceCollectionId: r['source_collection_id'] === null ? null : Number(r['source_collection_id']),
    forced: Number(r['forced']) === 1 || r['forced'] === true,
    errorCode: (r['error_code'] as string | null) ?? null,
    message: (r['message'] as string | null) ?? null,
    tables: tableRows
      .filter((t) => Number(t['collection_id']) === Number(r['id']))
      .map((t) => ({
        table: String(t['table_name']),
        rowsBefore: Number(t['rows_before']),
        rowsAfter: Number(t['rows_after']),
        added: Number(t['added']),
        changed: Number(t['changed']),
        removed: Number(t['removed']),
        incremental: Number(t['incremental']) === 1,
        watermark: (t['watermark'] as string | null) ?? null,
      })),
  }))
}

export interface VaultTableInfo {
  readonly system: string
  readonly table: string
  readonly rows: number
  readonly columns: number
  readonly lastCollectionId: number | null
  readonly lastCollectedAt: string | null
}

export async function listVaultTables(db: SqlExecutor): Promise<VaultTableInfo[]> {
  const tables = await db.query<{ system: string; table_name: string }>(
    'SELECT system, table_name FROM vault_tables ORDER BY system, table_name',
  )
  const result: VaultTableInfo[] = []
  for (const t of tables) {
    const table = (await findVaultTable(db, t.system, t.table_name))!
    const count = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table.view}`)
    const last = await db.query<{ id: number; started_at: string }>(
      `SELECT c.id, c.started_at FROM collections c JOIN collection_tables ct ON ct.collection_id = c.id
       WHERE c.system = ? AND ct.table_name = ? AND c.status = 'succeeded' AND c.kind <> 'write-back'
       ORDER BY c.id DESC LIMIT 1`,
      [t.system, t.table_name],
    )
    result.push({
      system: t.system,
      table: t.table_name,
      rows: Number(count[0]?.n ?? 0),
      columns: table.columns.length,
      lastCollectionId: last[0] === undefined ? null : Number(last[0].id),
      lastCollectedAt: last[0]?.started_at ?? null,
    })
  }
  return result
}

/** Resolves `SYSTEM.TABLE` to a stored table, or explains what exists. */
export async function requireVaultTable(db: SqlExecutor, qualified: string): Promise<VaultTable> {
  const [system, table, ...rest] = qualified.split('.')
  if (system === undefined || table === undefined || rest.length > 0 || system === '' || table === '') {
    throw vaultError('VLT_UNKNOWN_TABLE', `'${qualified}' is not of the form SYSTEM.TABLE.`)
  }
  const found = await findVaultTable(db, system, table)
  if (found === undefined) {
    const known = await db.query<{ system: string; table_name: string }>(
      'SELECT system, table_name FROM vault_tables ORDER BY system, table_name',
    )
    const list = known.map((k) => `${k.system}.${k.table_name}`).join(', ')
    throw vaultError('VLT_UNKNOWN_TABLE', `The vault holds no table ${qualified}.`, {
      hint:
        known.length === 0
          ? 'Nothing has been collected yet: run `provisio collect` first.'
          : `The vault holds: ${list}.`,
    })
  }
  return found
}

export interface QueryRowsOptions {
  /** A SQL condition over the view's columns, with `?` placeholders (from the expression compiler). */
  readonly where?: { readonly sql: string; readonly params: readonly SqlValue[] } | undefined
  /** @default 100 */
  readonly limit?: number | undefined
  readonly offset?: number | undefined
  readonly orderBy?: string | undefined
  readonly descending?: boolean | undefined
}

export async function queryRows(
  db: SqlExecutor,
  table: VaultTable,
  options: QueryRowsOptions = {},
): Promise<{ rows: Row[]; total: number }> {
  const where = options.where === undefined ? '' : `WHERE ${options.where.sql}`
  const params = options.where?.params ?? []
  const order = options.orderBy ?? table.primaryKey ?? '_rid'
  if (order !== '_rid' && !table.columns.some((c) => c.name === order)) {
    throw vaultError('VLT_UNKNOWN_TABLE', `Column ${order} is not in ${table.system}.${table.name}.`, {
      hint: `Columns: ${table.columns.map((c) => c.name).join(', ')}.`,
    })
  }
  const total = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table.view} ${where}`, params)
  const raw = await db.query<Record<string, unknown>>(
    `SELECT * FROM ${table.view} ${where} ORDER BY ${q(order)} ${options.descending === true ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`,
    [...params, options.limit ?? 100, options.offset ?? 0],
  )
  return { rows: raw.map((r) => decodeRow(table.columns, r)), total: Number(total[0]?.n ?? 0) }
}

export { findVaultTable }
