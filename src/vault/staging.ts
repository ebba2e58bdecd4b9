/**
 * Staging: rows on their way into the vault. Each row is turned into its stored values, its key
 * (the primary key as text, or a fingerprint of all values for tables without one) and its
 * fingerprint. Three ways use this: a first collection loads straight into the versions table; a
 * re-collection compares fingerprints and stages only added and changed rows (see
 * collect-changes.ts); and the full path copies the whole new state into a temporary table, for
 * snapshot loads and for complete error reports.
 */
import type { Issue, Row, Value } from '../core/index.ts'
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { ColumnSpec, SqlExecutor, SqlValue } from './driver/sql-driver.ts'
import { vaultError } from './errors.ts'
import { rowHash } from './row-hash.ts'
import type { VaultTable } from './vault-table.ts'

/** Pages of rows from a connector, with where each row came from. */
export interface StagePage {
  readonly rows: readonly Row[]
  /**
   * The same rows already prepared elsewhere (a worker thread) as `[key, hash, ...stored]`, a key of
   * null meaning an empty primary key; when present, `rows` is not read.
   */
  readonly prepared?: readonly (readonly SqlValue[])[] | undefined
  readonly lines?: readonly number[] | undefined
  readonly source?: string | undefined
  /** Where a later read may start (the connector's ReadPage.watermark); the last page carrying one wins. */
  readonly watermark?: string | undefined
  /** Only rows changed since the read's `since`: rows not among them are kept (ReadPage.delta). @default false */
  readonly delta?: boolean | undefined
}

/** How many problems of one kind are reported before the rest are only counted. */
export const MAX_REPORTED = 20

export function stagingName(table: VaultTable): string {
  return q(`_stage_${table.sqlName}`)
}

/** The columns of a staging table: where the row came from, its identity, its values. */
export function stagingColumns(executor: SqlExecutor, table: VaultTable): ColumnSpec[] {
  const d = executor.dialect
  return [
    { name: '_line', sqlType: d.columnType('integer') },
    { name: '_key', sqlType: 'TEXT' },
    { name: '_hash', sqlType: d.columnType('integer') },
    ...table.columns.map((c) => ({ name: c.name, sqlType: d.columnType(c.type) })),
  ]
}

/** The columns a bulk load writes into the versions table directly. */
export function versionColumns(executor: SqlExecutor, table: VaultTable): ColumnSpec[] {
  const d = executor.dialect
  return [
    { name: '_key', sqlType: 'TEXT' },
    { name: '_hash', sqlType: d.columnType('integer') },
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

/** Turns rows into stored values with their key and fingerprint. */
export class RowPreparer {
  private readonly names: string[]
  private readonly keyIndex: number

  constructor(
    private readonly table: { readonly columns: VaultTable['columns']; readonly primaryKey?: string | undefined },
  ) {
    this.names = table.columns.map((c) => c.name)
    this.keyIndex = table.primaryKey === undefined ? -1 : this.names.indexOf(table.primaryKey)
  }

  /**
   * `[key, hash, ...stored]` in one array (the key null when the primary key is empty): the form
   * in which rows are staged and travel between threads, one allocation per row.
   */
  prepareFlat(row: Row): SqlValue[] {
    const columns = this.table.columns
    const flat = new Array<SqlValue>(columns.length + 2)
    for (let i = 0; i < columns.length; i++) flat[i + 2] = toStoredValue(row[columns[i]!.name])
    const hash = rowHash(this.names, flat, 2)
    flat[0] = this.keyOf(flat, 2, hash)
    flat[1] = hash
    return flat
  }

  private keyOf(flat: readonly SqlValue[], offset: number, hash: number): string | null {
    if (this.keyIndex === -1) return `#${hash.toString(36)}`
    const value = flat[offset + this.keyIndex]
    return value === null || value === undefined || value === '' ? null : String(value)
  }
}

export function pageLength(page: StagePage): number {
  return page.prepared?.length ?? page.rows.length
}

/** Row `i` of a page as `[key, hash, ...stored]`: as it came from a worker thread, or prepared here. */
export function flatAt(preparer: RowPreparer, page: StagePage, i: number): readonly SqlValue[] {
  return page.prepared?.[i] ?? preparer.prepareFlat(page.rows[i]!)
}

/** Collects rows with an empty primary key and throws them together. */
export class EmptyKeyReport {
  private readonly issues: Issue[] = []
  private count = 0

  constructor(private readonly table: VaultTable) {}

  add(source: string, line: number | null): void {
    this.count++
    if (this.issues.length < MAX_REPORTED) {
      this.issues.push({
        code: 'VLT_EMPTY_KEY',
        message: `Row has no value in primary key column ${this.table.primaryKey}.`,
        file: source,
        line: line ?? undefined,
        path: [this.table.primaryKey ?? ''],
      })
    }
  }

  get isEmpty(): boolean {
    return this.count === 0
  }

  throwIfAny(): void {
    if (this.count === 0) return
    throw vaultError(
      'VLT_EMPTY_KEY',
      `${this.count} row(s) of ${this.table.system}.${this.table.name} have an empty primary key (${this.table.primaryKey}).`,
      { issues: this.issues },
    )
  }
}

/**
 * Copies pages into the staging table (or, with `directInto`, straight into the versions table as
 * collection `collectionId`); rejects rows without a key. Returns the number of rows read.
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
  const preparer = new RowPreparer(table)
  const emptyKeys = new EmptyKeyReport(table)
  let total = 0
  for await (const page of pages) {
    const source = page.source ?? `${table.system}.${table.name}`
    const batch: SqlValue[][] = []
    const count = pageLength(page)
    for (let i = 0; i < count; i++) {
      const line = page.lines?.[i] ?? null
      const flat = flatAt(preparer, page, i)
      if (flat[0] === null) emptyKeys.add(source, line)
      else
        batch.push(
          directInto === undefined ? [line, ...flat] : [flat[0]!, flat[1]!, directInto.collectionId, ...flat.slice(2)],
        )
    }
    if (emptyKeys.isEmpty) await executor.insertMany(target, columns, batch)
    total += count
    onRows(total)
  }
  emptyKeys.throwIfAny()
  return total
}

/** Copies the rows a table held just after collection `collectionId` into the staging table. */
export async function stageSnapshot(
  executor: SqlExecutor,
  table: VaultTable,
  staging: string,
  collectionId: number,
): Promise<number> {
  const columns = ['_key', '_hash', ...table.columns.map((c) => c.name)].map(q).join(', ')
  return executor.run(
    `INSERT INTO ${staging} (_line, ${columns}) SELECT NULL, ${columns} FROM ${table.versions} WHERE _from <= ? AND (_to IS NULL OR _to > ?)`,
    [collectionId, collectionId],
  )
}

/**
 * Indexes the staged keys, which also proves them unique; reports every duplicate (with lines)
 * when they are not, and checks the reference keys the same way.
 */
export async function checkStagedKeys(
  executor: SqlExecutor,
  table: VaultTable,
  staging: string,
  source: string,
): Promise<void> {
  const index = q(`_stage_${table.sqlName}__key`)
  // The savepoint keeps the transaction usable on PostgreSQL, which aborts it on any failed statement.
  await executor.exec('SAVEPOINT stage_key')
  try {
    await executor.exec(`CREATE UNIQUE INDEX ${index} ON ${staging} (_key)`)
    await executor.exec('RELEASE SAVEPOINT stage_key')
  } catch {
    await executor.exec('ROLLBACK TO SAVEPOINT stage_key')
    const what =
      table.primaryKey === undefined
        ? 'identical rows (the table has no primary key, so all values identify a row)'
        : `primary key ${table.primaryKey}`
    await reportDuplicates(executor, table, staging, '_key', what, source)
  }
  for (const key of table.referenceKeys) {
    const dup = await executor.query(
      `SELECT 1 FROM ${staging} WHERE ${q(key)} IS NOT NULL GROUP BY ${q(key)} HAVING COUNT(*) > 1 LIMIT 1`,
    )
    if (dup.length > 0) await reportDuplicates(executor, table, staging, key, `reference key ${key}`, source)
  }
}

/**
 * For a delta: reports staged rows that take a reference-key value a row the delta did not return
 * still holds. A full read would show both rows; a delta cannot, and the usual cause is that the
 * other row was removed or moved out of scope, which only a full read sees.
 */
export async function checkKeptReferenceKeys(
  executor: SqlExecutor,
  table: VaultTable,
  staging: string,
  source: string,
): Promise<void> {
  for (const key of table.referenceKeys) {
    const k = q(key)
    const rows = await executor.query<{ value: string; line: number | null; kept: string }>(
      `SELECT s.${k} AS value, s._line AS line, v._key AS kept FROM ${staging} s
         JOIN ${table.versions} v ON v.${k} = s.${k} AND v._to IS NULL AND v._key <> s._key
        WHERE NOT EXISTS (SELECT 1 FROM ${staging} o WHERE o._key = v._key)
        ORDER BY s._line LIMIT ${MAX_REPORTED}`,
    )
    if (rows.length === 0) continue
    const issues: Issue[] = rows.map((r) => ({
      code: 'VLT_DUPLICATE_KEY',
      message: `Value is held by the row ${table.primaryKey ?? '_key'} = ${JSON.stringify(r.kept)} of the vault, which this incremental read did not return.`,
      file: source,
      line: r.line ?? undefined,
      path: [key],
      value: String(r.value),
    }))
    throw vaultError(
      'VLT_DUPLICATE_KEY',
      `${table.system}.${table.name}: the incremental read gives rows a value of reference key ${key} that other rows of the vault still hold.`,
      {
        issues,
        hint: 'The other rows were probably removed or moved out of scope, which an incremental read cannot see: collect the system in full (without --incremental); the vault was not changed.',
      },
    )
  }
}

async function reportDuplicates(
  executor: SqlExecutor,
  table: VaultTable,
  staging: string,
  column: string,
  what: string,
  source: string,
): Promise<never> {
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
