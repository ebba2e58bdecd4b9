/**
 * Staging: a collection first copies the complete new state of a table into a temporary table,
 * next to the vault's current rows, so that keys can be checked and differences counted with a few
 * set-based statements before anything is changed.
 */
import { createHash } from 'node:crypto'
import type { Issue, Row, Value } from '../core/index.ts'
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { ColumnSpec, SqlExecutor, SqlValue } from './driver/sql-driver.ts'
import { vaultError } from './errors.ts'
import type { VaultTable } from './vault-table.ts'

/** Pages of rows from a connector, with where each row came from. */
export interface StagePage {
  readonly rows: readonly Row[]
  readonly lines?: readonly number[] | undefined
  readonly source?: string | undefined
}

const MAX_REPORTED = 20

export function stagingName(table: VaultTable): string {
  return q(`_stage_${table.sqlName}`)
}

export function stagingColumns(executor: SqlExecutor, table: VaultTable): ColumnSpec[] {
  const d = executor.dialect
  return [
    { name: '_line', sqlType: d.columnType('integer') },
    { name: '_key', sqlType: 'TEXT' },
    ...table.columns.map((c) => ({ name: c.name, sqlType: d.columnType(c.type) })),
  ]
}

function versionColumns(executor: SqlExecutor, table: VaultTable): ColumnSpec[] {
  const d = executor.dialect
  return [
    { name: '_key', sqlType: 'TEXT' },
    { name: '_from', sqlType: d.columnType('integer') },
    ...table.columns.map((c) => ({ name: c.name, sqlType: d.columnType(c.type) })),
  ]
}

export async function createStagingTable(executor: SqlExecutor, table: VaultTable): Promise<string> {
  const name = stagingName(table)
  const columns = stagingColumns(executor, table)
    .map((c) => `${q(c.name)} ${c.sqlType}`)
    .join(', ')
  await executor.exec(`DROP TABLE IF EXISTS ${name}`)
  await executor.exec(`CREATE ${executor.dialect.temporaryStaging ? 'TEMPORARY ' : ''}TABLE ${name} (${columns})`)
  return name
}

/** The canonical stored form of a value: booleans stay booleans (the driver maps them), arrays become sorted JSON. */
export function toStoredValue(value: Value | undefined): SqlValue {
  if (value === undefined || value === null) return null
  if (Array.isArray(value)) {
    const unique = [...new Set(value as readonly string[])].sort()
    return unique.length === 0 ? null : JSON.stringify(unique)
  }
  return value as SqlValue
}

/** The identity of a row: its primary key as text, or a hash of all its values when the table has none. */
function rowKey(table: VaultTable, stored: readonly SqlValue[]): string | null {
  if (table.primaryKey !== undefined) {
    const index = table.columns.findIndex((c) => c.name === table.primaryKey)
    const value = stored[index]
    if (value === null || value === undefined || value === '') return null
    return String(value)
  }
  return createHash('sha1').update(JSON.stringify(stored)).digest('base64url')
}

/**
 * Copies pages into the staging table; rejects rows without a key. Returns the number of rows staged.
 * With `directInto`, rows go straight into the versions table as collection `collectionId` instead
 * (the fast path of a first collection, see collection-writer.ts).
 */
export async function stagePages(
  executor: SqlExecutor,
  table: VaultTable,
  staging: string,
  pages: AsyncIterable<StagePage>,
  onRows: (count: number) => void,
  directInto?: { readonly collectionId: number },
): Promise<number> {
  const columns = directInto === undefined ? stagingColumns(executor, table) : versionColumns(executor, table)
  const target = directInto === undefined ? staging : table.versions
  const emptyKeys: Issue[] = []
  let total = 0
  let source = `${table.system}.${table.name}`
  for await (const page of pages) {
    source = page.source ?? source
    const batch: SqlValue[][] = []
    page.rows.forEach((row, i) => {
      const line = page.lines?.[i] ?? null
      const stored = table.columns.map((c) => toStoredValue(row[c.name]))
      const key = rowKey(table, stored)
      if (key === null) {
        if (emptyKeys.length < MAX_REPORTED) {
          emptyKeys.push({ code: 'VLT_EMPTY_KEY', message: `Row has no value in primary key column ${table.primaryKey}.`, file: source, line: line ?? undefined, path: [table.primaryKey ?? ''] })
        }
        return
      }
      batch.push(directInto === undefined ? [line, key, ...stored] : [key, directInto.collectionId, ...stored])
    })
    if (emptyKeys.length === 0) await executor.insertMany(target, columns, batch)
    total += page.rows.length
    onRows(total)
  }
  if (emptyKeys.length > 0) {
    throw vaultError('VLT_EMPTY_KEY', `${emptyKeys.length === MAX_REPORTED ? 'At least ' : ''}${emptyKeys.length} row(s) of ${table.system}.${table.name} have an empty primary key (${table.primaryKey}).`, {
      issues: emptyKeys,
    })
  }
  return total
}

/** Copies the rows a table held just after collection `collectionId` into the staging table. */
export async function stageSnapshot(executor: SqlExecutor, table: VaultTable, staging: string, collectionId: number): Promise<number> {
  const columns = table.columns.map((c) => q(c.name)).join(', ')
  return executor.run(
    `INSERT INTO ${staging} (_line, _key, ${columns}) SELECT NULL, _key, ${columns} FROM ${table.versions} WHERE _from <= ? AND (_to IS NULL OR _to > ?)`,
    [collectionId, collectionId],
  )
}

/**
 * Indexes the staged keys, which also proves them unique; reports every duplicate (with lines)
 * when they are not, and checks the reference keys the same way.
 */
export async function checkStagedKeys(executor: SqlExecutor, table: VaultTable, staging: string, source: string): Promise<void> {
  const index = q(`_stage_${table.sqlName}__key`)
  // The savepoint keeps the transaction usable on PostgreSQL, which aborts it on any failed statement.
  await executor.exec('SAVEPOINT stage_key')
  try {
    await executor.exec(`CREATE UNIQUE INDEX ${index} ON ${staging} (_key)`)
    await executor.exec('RELEASE SAVEPOINT stage_key')
  } catch {
    await executor.exec('ROLLBACK TO SAVEPOINT stage_key')
    const what = table.primaryKey === undefined ? 'identical rows (the table has no primary key, so all values identify a row)' : `primary key ${table.primaryKey}`
    await reportDuplicates(executor, table, staging, '_key', what, source)
  }
  for (const key of table.referenceKeys) {
    const dup = await executor.query(`SELECT 1 FROM ${staging} WHERE ${q(key)} IS NOT NULL GROUP BY ${q(key)} HAVING COUNT(*) > 1 LIMIT 1`)
    if (dup.length > 0) await reportDuplicates(executor, table, staging, key, `reference key ${key}`, source)
  }
}

async function reportDuplicates(executor: SqlExecutor, table: VaultTable, staging: string, column: string, what: string, source: string): Promise<never> {
  const rows = await executor.query<{ value: string; n: number; first_line: number | null; last_line: number | null }>(
    `SELECT ${q(column)} AS value, COUNT(*) AS n, MIN(_line) AS first_line, MAX(_line) AS last_line FROM ${staging}
     WHERE ${q(column)} IS NOT NULL GROUP BY ${q(column)} HAVING COUNT(*) > 1 ORDER BY MIN(_line) LIMIT ${MAX_REPORTED}`,
  )
  const issues: Issue[] = rows.map((r) => ({
    code: 'VLT_DUPLICATE_KEY',
    message: `Value occurs ${Number(r.n)} times${r.first_line === null ? '' : `, first on line ${r.first_line}, last on line ${r.last_line}`}.`,
    file: source,
    line: r.first_line ?? undefined,
    path: [column],
    value: column === '_key' && table.primaryKey === undefined ? undefined : r.value,
  }))
  throw vaultError('VLT_DUPLICATE_KEY', `${table.system}.${table.name} has duplicate values in ${what}.`, { issues })
}
