/**
 * `discover` for SQL: the database's tables as proposals for the data model. Types map to
 * Provisio's column types; the primary key and single-column unique keys carry over; and the
 * table's suggested options say what the functions need: NOT NULL columns without a default are
 * `mandatory` for a create, identity, generated and defaulted key columns are `readOnly`.
 * Names that are not valid column names (`First Name`) get a valid name and keep theirs as `source`.
 */
import type { ColumnType } from '../../core/index.ts'
import type { DiscoveredColumn, DiscoveredTable } from '../contract.ts'
import type { CatalogColumn, CatalogTable } from './sql-catalog.ts'

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The Provisio column type of a database column. */
export function columnTypeOf(column: CatalogColumn, dialect: 'sqlite' | 'postgres'): ColumnType {
  const type = column.nativeType
  if (column.isArray) return 'string[]'
  if (/bool/.test(type)) return 'boolean'
  if (/^(timestamp|datetime)/.test(type)) return 'datetime'
  if (type === 'date') return 'date'
  // SQLite's affinity rule: any declared type containing INT is an integer (sqlite.org/datatype3.html#determination_of_column_affinity).
  if (dialect === 'sqlite' ? /int/.test(type) : /^(smallint|integer|bigint)$/.test(type)) return 'integer'
  if (/real|floa|doub|numeric|decimal/.test(type)) return 'number'
  return 'string'
}

/** A valid, unused column or table name for `name` (`First Name` → `First_Name`). */
function validName(name: string, taken: Set<string>): string {
  let base = IDENTIFIER.test(name) ? name : name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(?=[0-9])|^$/, '_')
  if (base === '_' && name !== '_') base = 'column'
  let candidate = base
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}_${n}`
  taken.add(candidate.toLowerCase())
  return candidate
}

/** One table of the catalog as a discovered table with suggested options. */
export function toDiscoveredTable(
  table: CatalogTable,
  dialect: 'sqlite' | 'postgres',
  takenTables: Set<string>,
): DiscoveredTable {
  const taken = new Set<string>()
  const names = new Map(table.columns.map((c) => [c.name, validName(c.name, taken)]))
  const columns = table.columns.map((c): DiscoveredColumn => ({
    name: names.get(c.name)!,
    type: columnTypeOf(c, dialect),
    ...(names.get(c.name) === c.name ? {} : { source: c.name }),
    ...(c.nativeType === '' ? {} : { nativeType: c.nativeType }),
  }))
  const primaryKey = table.primaryKey.length === 1 ? table.primaryKey[0] : undefined
  const isKey = (c: CatalogColumn) => c.name === primaryKey
  const readOnly = table.columns.filter((c) => c.isIdentity || c.isGenerated || (isKey(c) && c.hasDefault))
  const mandatory = table.columns.filter(
    (c) => c.notNull && !c.hasDefault && !c.isIdentity && !c.isGenerated && !isKey(c),
  )
  const name = validName(table.name, takenTables)
  const options = {
    ...(name === table.name ? {} : { table: table.name }),
    ...(table.isView || mandatory.length === 0 ? {} : { mandatory: mandatory.map((c) => names.get(c.name)!) }),
    ...(table.isView || readOnly.length === 0 ? {} : { readOnly: readOnly.map((c) => names.get(c.name)!) }),
  }
  const referenceKeys = table.uniqueColumns.filter((c) => c !== primaryKey).map((c) => names.get(c) ?? c)
  return {
    name,
    columns,
    ...(primaryKey === undefined ? {} : { primaryKey: names.get(primaryKey) ?? primaryKey }),
    ...(referenceKeys.length === 0 ? {} : { referenceKeys }),
    ...(Object.keys(options).length === 0 ? {} : { options }),
  }
}

/** Every table of the catalog as discovered tables. */
export function toDiscoveredTables(tables: readonly CatalogTable[], dialect: 'sqlite' | 'postgres'): DiscoveredTable[] {
  const taken = new Set<string>()
  return tables.map((t) => toDiscoveredTable(t, dialect, taken))
}
