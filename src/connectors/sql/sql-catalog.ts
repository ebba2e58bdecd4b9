/**
 * What the database itself says about its tables: columns with their native types, NOT NULL,
 * defaults, identity and generated columns, the primary key and single-column unique constraints.
 * SQLite answers through sqlite_master and the pragma table functions, PostgreSQL through
 * information_schema; table and schema names are always bound values, never spliced in.
 */
import type { ConnectorSqlExecutor } from '../contract.ts'

export interface CatalogColumn {
  readonly name: string
  /** The declared type, lower case (`varchar(40)`, `timestamp with time zone`, `_text` for text[]). */
  readonly nativeType: string
  readonly notNull: boolean
  readonly hasDefault: boolean
  /** The database makes the value: an identity or serial column, or SQLite's rowid alias. */
  readonly isIdentity: boolean
  /** Computed from other columns (GENERATED ALWAYS AS …): never written. */
  readonly isGenerated: boolean
  /** A PostgreSQL array (text[]). */
  readonly isArray: boolean
}

export interface CatalogTable {
  readonly name: string
  readonly isView: boolean
  readonly columns: readonly CatalogColumn[]
  /** The primary key's columns, in key order (several for a composite key). */
  readonly primaryKey: readonly string[]
  /** Columns that are unique on their own (single-column unique constraints or indexes). */
  readonly uniqueColumns: readonly string[]
}

interface SqliteColumnRow {
  name: string
  type: string | null
  not_null: number
  dflt_value: string | null
  pk: number
  hidden: number
}

async function sqliteTable(db: ConnectorSqlExecutor, name: string, type: string, sql: string | null) {
  const rows = await db.query<SqliteColumnRow>(
    'SELECT name, type, "notnull" AS not_null, dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid',
    [name],
  )
  const visible = rows.filter((r) => r.hidden !== 1) // hidden = 1: a virtual table's hidden column
  const primaryKey = visible.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk)
  // https://www.sqlite.org/lang_createtable.html#rowid: an INTEGER PRIMARY KEY is the rowid, assigned when not given.
  const rowidAlias =
    primaryKey.length === 1 &&
    (primaryKey[0]!.type ?? '').toUpperCase() === 'INTEGER' &&
    !/WITHOUT\s+ROWID/i.test(sql ?? '')
  const columns = visible.map((r): CatalogColumn => ({
    name: r.name,
    nativeType: (r.type ?? '').toLowerCase(),
    notNull: r.not_null === 1,
    hasDefault: r.dflt_value !== null,
    isIdentity: rowidAlias && r.pk === 1,
    isGenerated: r.hidden === 2 || r.hidden === 3,
    isArray: false,
  }))
  const indexes = await db.query<{ name: string; unique: number; origin: string; partial: number }>(
    'SELECT name, "unique", origin, partial FROM pragma_index_list(?)',
    [name],
  )
  const uniqueColumns: string[] = []
  for (const index of indexes.filter((i) => i.unique === 1 && i.partial === 0 && i.origin !== 'pk')) {
    const parts = await db.query<{ name: string | null }>('SELECT name FROM pragma_index_info(?)', [index.name])
    const only = parts.length === 1 ? parts[0]!.name : null // null: an index on an expression
    if (only !== null && !uniqueColumns.includes(only)) uniqueColumns.push(only)
  }
  return { name, isView: type === 'view', columns, primaryKey: primaryKey.map((r) => r.name), uniqueColumns }
}

const SQLITE_TABLES = `SELECT name, type, sql FROM sqlite_master
  WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`

async function sqliteCatalog(db: ConnectorSqlExecutor, only: string | undefined): Promise<CatalogTable[]> {
  const tables = await db.query<{ name: string; type: string; sql: string | null }>(
    only === undefined ? `${SQLITE_TABLES} ORDER BY name` : `${SQLITE_TABLES} AND name = ?`,
    only === undefined ? [] : [only],
  )
  const result: CatalogTable[] = []
  for (const t of tables) result.push(await sqliteTable(db, t.name, t.type, t.sql))
  return result
}

interface PostgresColumnRow {
  table_name: string
  column_name: string
  data_type: string
  udt_name: string
  is_nullable: string
  column_default: string | null
  is_identity: string
  is_generated: string
}

function postgresColumn(r: PostgresColumnRow): CatalogColumn {
  const isArray = r.data_type === 'ARRAY'
  return {
    name: r.column_name,
    nativeType: (isArray || r.data_type === 'USER-DEFINED' ? r.udt_name : r.data_type).toLowerCase(),
    notNull: r.is_nullable === 'NO',
    hasDefault: r.column_default !== null,
    // A serial column is an integer whose default takes the next value of its sequence.
    isIdentity: r.is_identity === 'YES' || (r.column_default ?? '').startsWith('nextval('),
    isGenerated: r.is_generated === 'ALWAYS',
    isArray,
  }
}

async function postgresCatalog(
  db: ConnectorSqlExecutor,
  schema: string,
  only: string | undefined,
): Promise<CatalogTable[]> {
  const filter = only === undefined ? '' : ' AND table_name = ?'
  const params = only === undefined ? [schema] : [schema, only]
  const tables = await db.query<{ table_name: string; table_type: string }>(
    `SELECT table_name, table_type FROM information_schema.tables
      WHERE table_schema = ? AND table_type IN ('BASE TABLE', 'VIEW')${filter} ORDER BY table_name`,
    params,
  )
  const columns = await db.query<PostgresColumnRow>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, is_identity, is_generated
       FROM information_schema.columns WHERE table_schema = ?${filter} ORDER BY table_name, ordinal_position`,
    params,
  )
  const keys = await db.query<{
    table_name: string
    constraint_name: string
    constraint_type: string
    column_name: string
  }>(
    `SELECT tc.table_name, tc.constraint_name, tc.constraint_type, kcu.column_name
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu
         ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
        AND kcu.table_name = tc.table_name
      WHERE tc.table_schema = ? AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')${filter.replace('table_name', 'tc.table_name')}
      ORDER BY tc.table_name, tc.constraint_name, kcu.ordinal_position`,
    params,
  )
  return tables.map((t) => {
    const own = keys.filter((k) => k.table_name === t.table_name)
    const unique = new Map<string, string[]>()
    for (const k of own.filter((k) => k.constraint_type === 'UNIQUE')) {
      unique.set(k.constraint_name, [...(unique.get(k.constraint_name) ?? []), k.column_name])
    }
    return {
      name: t.table_name,
      isView: t.table_type === 'VIEW',
      columns: columns.filter((c) => c.table_name === t.table_name).map(postgresColumn),
      primaryKey: own.filter((k) => k.constraint_type === 'PRIMARY KEY').map((k) => k.column_name),
      uniqueColumns: [...new Set([...unique.values()].filter((c) => c.length === 1).map((c) => c[0]!))],
    }
  })
}

/** Every table and view of the database (of `schema` on PostgreSQL), or only the one named `only`. */
export function readCatalog(
  db: ConnectorSqlExecutor,
  schema: string | undefined,
  only?: string,
): Promise<CatalogTable[]> {
  return db.dialect === 'postgres' ? postgresCatalog(db, schema ?? 'public', only) : sqliteCatalog(db, only)
}
