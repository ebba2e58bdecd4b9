/**
 * How one collected table is stored. Every version of every row lives in one table,
 * `<system>__<table>__versions`, with the collection that introduced it (`_from`) and the one that
 * ended it (`_to`, null while current). The current state is the view `<system>__<table>`; any past
 * snapshot is `_from <= C AND (_to IS NULL OR _to > C)`. History costs one row per change and never
 * duplicates the current data. Multi-valued columns keep a JSON array in the row plus a side table
 * `<system>__<table>__<column>` of (version, value) pairs, so joins over them stay set-based.
 */
import { createHash } from 'node:crypto'
import type { ColumnSchema, ColumnType, TableSchema } from '../core/index.ts'
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { SqlExecutor } from './driver/sql-driver.ts'
import { vaultError } from './errors.ts'

/** What the vault remembers about a table's layout, to detect changes of the data model. */
export interface StoredTableSchema {
  readonly primaryKey: string | null
  readonly referenceKeys: readonly string[]
  /** Columns of the current data model, in order. */
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[]
  /** Every column that physically exists in the versions table, including retired ones. */
  readonly physical: readonly { readonly name: string; readonly type: ColumnType }[]
}

export interface VaultTable {
  readonly system: string
  readonly name: string
  readonly sqlName: string
  /** Quoted name of the versions table. */
  readonly versions: string
  /** Quoted name of the current-rows view. */
  readonly view: string
  readonly columns: readonly ColumnSchema[]
  readonly primaryKey: string | undefined
  readonly referenceKeys: readonly string[]
  /** Quoted side-table name per multi-valued column. */
  readonly sideTables: ReadonlyMap<string, string>
}

/** PostgreSQL truncates identifiers at 63 bytes; keep room for suffixes and stay unique with a hash. */
const MAX_BASE_LENGTH = 40

export function sqlBaseName(system: string, table: string): string {
  const base = `${system}__${table}`.toLowerCase()
  if (Buffer.byteLength(base) <= MAX_BASE_LENGTH) return base
  const hash = createHash('sha1').update(base).digest('hex').slice(0, 8)
  return `${base.slice(0, MAX_BASE_LENGTH - 9)}_${hash}`
}

function sideName(base: string, column: string): string {
  const name = `${base}__${column.toLowerCase()}`
  return name.length <= 60 ? name : `${base}__${createHash('sha1').update(column).digest('hex').slice(0, 12)}`
}

export function describeVaultTable(schema: TableSchema, sqlName: string): VaultTable {
  const sideTables = new Map<string, string>()
  for (const column of schema.columns)
    if (column.type === 'string[]') sideTables.set(column.name, q(sideName(sqlName, column.name)))
  return {
    system: schema.system,
    name: schema.name,
    sqlName,
    versions: q(`${sqlName}__versions`),
    view: q(sqlName),
    columns: schema.columns,
    primaryKey: schema.primaryKey,
    referenceKeys: schema.referenceKeys,
    sideTables,
  }
}

function storedSchemaOf(schema: TableSchema, physical: StoredTableSchema['physical']): StoredTableSchema {
  return {
    primaryKey: schema.primaryKey ?? null,
    referenceKeys: [...schema.referenceKeys],
    columns: schema.columns.map((c) => ({ name: c.name, type: c.type })),
    physical,
  }
}

async function createViewSql(executor: SqlExecutor, table: VaultTable): Promise<void> {
  const columns = table.columns.map((c) => q(c.name)).join(', ')
  await executor.exec(`DROP VIEW IF EXISTS ${table.view}`)
  await executor.exec(
    `CREATE VIEW ${table.view} AS SELECT _rid, _key, ${columns} FROM ${table.versions} WHERE _to IS NULL`,
  )
}

function keyIndexName(table: VaultTable, key: string): string {
  return q(`${table.sqlName}__key_${key.toLowerCase()}`.slice(0, 60))
}

async function createKeyIndexes(executor: SqlExecutor, table: VaultTable, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    await executor.exec(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${keyIndexName(table, key)} ON ${table.versions} (${q(key)}) WHERE _to IS NULL AND ${q(key)} IS NOT NULL`,
    )
  }
}

/**
 * The indexes of a versions table: current rows unique by key, versions by key for history, and each
 * key column unique among current rows (so filters join on them fast). Creating them is idempotent.
 */
export async function createVersionIndexes(executor: SqlExecutor, table: VaultTable): Promise<void> {
  // (_key, _to, _hash) serves three reads without touching the rows: the current keys and their
  // fingerprints at the start of every re-collection, a row's versions for history, and the
  // lookup of a key's current version when differences are applied.
  await executor.exec(
    `CREATE INDEX IF NOT EXISTS ${q(`${table.sqlName}__keys`)} ON ${table.versions} (_key, _to, _hash)`,
  )
  // Current keys are unique. With a primary key, its column's unique index (below) says so;
  // without one, the key (a fingerprint of all values) gets its own.
  if (table.primaryKey === undefined) {
    await executor.exec(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${q(`${table.sqlName}__current`)} ON ${table.versions} (_key) WHERE _to IS NULL`,
    )
  }
  await createKeyIndexes(executor, table, keyColumns(table))
}

/** Drops the indexes, so that a bulk load can build them once, sorted, instead of row by row. */
export async function dropVersionIndexes(executor: SqlExecutor, table: VaultTable): Promise<void> {
  const names = [
    q(`${table.sqlName}__keys`),
    q(`${table.sqlName}__current`),
    ...keyColumns(table).map((k) => keyIndexName(table, k)),
  ]
  for (const name of names) await executor.exec(`DROP INDEX IF EXISTS ${name}`)
}

async function createSideTable(executor: SqlExecutor, table: VaultTable, column: string): Promise<void> {
  const side = table.sideTables.get(column)!
  const base = sideName(table.sqlName, column)
  await executor.exec(`CREATE TABLE IF NOT EXISTS ${side} (_rid BIGINT NOT NULL, value TEXT NOT NULL)`)
  await executor.exec(`CREATE INDEX IF NOT EXISTS ${q(`${base}__rid`)} ON ${side} (_rid)`)
  await executor.exec(`CREATE INDEX IF NOT EXISTS ${q(`${base}__value`)} ON ${side} (value)`)
}

async function createTable(
  executor: SqlExecutor,
  schema: TableSchema,
  sqlName: string,
  now: string,
): Promise<VaultTable> {
  const table = describeVaultTable(schema, sqlName)
  const d = executor.dialect
  const columns = schema.columns.map((c) => `${q(c.name)} ${d.columnType(c.type)}`).join(',\n  ')
  await executor.exec(`CREATE TABLE ${table.versions} (
  _rid ${d.serialPrimaryKey},
  _key TEXT NOT NULL,
  _hash BIGINT NOT NULL,
  _from BIGINT NOT NULL,
  _to BIGINT,
  ${columns}
)`)
  await createVersionIndexes(executor, table)
  for (const column of table.sideTables.keys()) await createSideTable(executor, table, column)
  await createViewSql(executor, table)
  const stored = storedSchemaOf(
    schema,
    schema.columns.map((c) => ({ name: c.name, type: c.type })),
  )
  await executor.run(
    'INSERT INTO vault_tables (system, table_name, sql_name, schema_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [schema.system, schema.name, sqlName, JSON.stringify(stored), now, now],
  )
  return table
}

function keyColumns(schema: Pick<TableSchema, 'primaryKey' | 'referenceKeys'>): string[] {
  return [...(schema.primaryKey === undefined ? [] : [schema.primaryKey]), ...schema.referenceKeys]
}

/** Adds what a changed data model needs (new columns, keys, side tables); refuses what it cannot do in place. */
async function alterTable(
  executor: SqlExecutor,
  schema: TableSchema,
  sqlName: string,
  stored: StoredTableSchema,
  now: string,
): Promise<VaultTable> {
  const name = `${schema.system}.${schema.name}`
  if ((schema.primaryKey ?? null) !== stored.primaryKey) {
    throw vaultError(
      'VLT_SCHEMA_CHANGE',
      `The primary key of ${name} changed from ${stored.primaryKey ?? '(none)'} to ${schema.primaryKey ?? '(none)'}; stored row identities no longer apply.`,
      {
        hint: `Run \`provisio vault reset ${name}\` to drop the table and its history, then collect again.`,
      },
    )
  }
  const physical = new Map(stored.physical.map((c) => [c.name, c.type]))
  const table = describeVaultTable(schema, sqlName)
  for (const column of schema.columns) {
    const existing = physical.get(column.name)
    if (existing === undefined) {
      await executor.exec(
        `ALTER TABLE ${table.versions} ADD COLUMN ${q(column.name)} ${executor.dialect.columnType(column.type)}`,
      )
      physical.set(column.name, column.type)
      if (column.type === 'string[]') await createSideTable(executor, table, column.name)
    } else if (existing !== column.type) {
      throw vaultError(
        'VLT_SCHEMA_CHANGE',
        `Column ${name}.${column.name} changed type from ${existing} to ${column.type}; its stored values and history keep the old type.`,
        {
          hint: `Give the column a new name (keep the source with \`source:\`), or run \`provisio vault reset ${name}\` and collect again.`,
        },
      )
    }
  }
  const newKeys = schema.referenceKeys.filter((k) => !stored.referenceKeys.includes(k))
  await createKeyIndexes(executor, table, newKeys)
  const next = storedSchemaOf(
    schema,
    [...physical].map(([n, type]) => ({ name: n, type })),
  )
  if (JSON.stringify(next) !== JSON.stringify(stored)) {
    await createViewSql(executor, table)
    await executor.run('UPDATE vault_tables SET schema_json = ?, updated_at = ? WHERE system = ? AND table_name = ?', [
      JSON.stringify(next),
      now,
      schema.system,
      schema.name,
    ])
  }
  return table
}

/** Creates or brings up to date the storage of a table; returns how to address it. Runs DDL. */
export async function ensureVaultTable(
  executor: SqlExecutor,
  schema: TableSchema,
  now = new Date().toISOString(),
): Promise<VaultTable> {
  const rows = await executor.query<{ sql_name: string; schema_json: string }>(
    'SELECT sql_name, schema_json FROM vault_tables WHERE system = ? AND table_name = ?',
    [schema.system, schema.name],
  )
  const row = rows[0]
  if (row === undefined) return createTable(executor, schema, sqlBaseName(schema.system, schema.name), now)
  return alterTable(executor, schema, row.sql_name, JSON.parse(row.schema_json) as StoredTableSchema, now)
}

/** The storage of a table as last stored, or undefined when it was never collected. */
export async function findVaultTable(
  executor: SqlExecutor,
  system: string,
  name: string,
): Promise<(VaultTable & { stored: StoredTableSchema }) | undefined> {
  const rows = await executor.query<{ system: string; table_name: string; sql_name: string; schema_json: string }>(
    'SELECT system, table_name, sql_name, schema_json FROM vault_tables WHERE lower(system) = lower(?) AND lower(table_name) = lower(?)',
    [system, name],
  )
  const row = rows[0]
  if (row === undefined) return undefined
  const stored = JSON.parse(row.schema_json) as StoredTableSchema
  const schema: TableSchema = {
    system: row.system,
    name: row.table_name,
    columns: stored.columns.map((c) => ({ name: c.name, type: c.type, source: c.name })),
    primaryKey: stored.primaryKey ?? undefined,
    referenceKeys: stored.referenceKeys,
    options: {},
  }
  return { ...describeVaultTable(schema, row.sql_name), stored }
}
