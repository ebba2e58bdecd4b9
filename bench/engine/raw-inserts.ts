/**
 * The baselines for the SQL target: the rows a plan creates, inserted straight into the same kind of
 * database (a copy of the seeded directory file, opened with the pragmas Provisio's SQLite driver
 * uses: WAL, synchronous=NORMAL, a 64 MiB page cache) through better-sqlite3 with one prepared
 * statement. In transactions of 5,000 rows it is the least any tool could spend on the same writes;
 * with one transaction per row it is what any target that commits each operation on its own must
 * spend, engine or not.
 */
import Database from 'better-sqlite3'
import type { FunctionSchema, Value } from '../../src/core/index.ts'
import { type SqlDriver, streamOperations } from '../../src/vault/index.ts'

/** Rows per transaction of the batched baseline. */
export const RAW_BATCH = 5000

type Cell = string | number | null

function cell(value: Value | undefined): Cell {
  if (value === undefined || value === null) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string' || typeof value === 'number') return value
  return JSON.stringify(value)
}

/** The plan's operations as rows of target columns, in plan order (read before the clock starts). */
export async function rowsOfPlan(
  db: SqlDriver,
  planId: number,
  fn: FunctionSchema,
): Promise<{ columns: string[]; rows: Cell[][] }> {
  // The parameters a create of this mapping gives (all its operations give the same ones); the
  // others are left to the database's defaults, as the connector leaves them.
  let parameters: FunctionSchema['parameters'] | undefined
  const rows: Cell[][] = []
  for await (const page of streamOperations(db, planId)) {
    for (const op of page) {
      parameters ??= fn.parameters.filter((p) => p.name in op.attributes)
      rows.push(parameters.map((p) => cell(op.attributes[p.name])))
    }
  }
  return { columns: (parameters ?? []).map((p) => p.column ?? p.name), rows }
}

/**
 * Inserts `rows` into `table` of the SQLite file, in transactions of `batch` rows (1: each row its
 * own transaction, as a target that commits every operation does); returns the milliseconds taken.
 */
export function insertRaw(
  file: string,
  table: string,
  columns: readonly string[],
  rows: readonly Cell[][],
  batch: number,
): number {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('cache_size = -65536')
    const quoted = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ')
    const insert = db.prepare(
      `INSERT INTO "${table.replaceAll('"', '""')}" (${quoted}) VALUES (${columns.map(() => '?').join(', ')})`,
    )
    const inTransaction = db.transaction((chunk: readonly Cell[][]) => {
      for (const row of chunk) insert.run(row)
    })
    const started = performance.now()
    if (batch === 1) for (const row of rows) insert.run(row)
    else for (let i = 0; i < rows.length; i += batch) inTransaction(rows.slice(i, i + batch))
    return performance.now() - started
  } finally {
    db.close()
  }
}
