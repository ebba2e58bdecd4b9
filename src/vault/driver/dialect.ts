/**
 * The small set of differences between the vault's two SQL databases, declared once as data and
 * hooks (the kysely dialect-adapter idea). Everything else in the vault writes the same SQL for both.
 */
import type { ColumnType } from '../../core/index.ts'

export type DialectName = 'sqlite' | 'postgres'

export interface Dialect {
  readonly name: DialectName
  /** SQL type of a data-model column type. */
  columnType(type: ColumnType): string
  /** Auto-increment integer primary key column definition. */
  readonly serialPrimaryKey: string
  /** Null-safe inequality: true when a and b differ, treating two nulls as equal. */
  distinct(a: string, b: string): string
  /** A FROM item (after CROSS JOIN) yielding the elements of a JSON text array column as `alias.value`. */
  jsonArrayElements(column: string, alias: string): string
  /** Whether staging tables should be TEMPORARY (per connection) rather than regular tables. */
  readonly temporaryStaging: boolean
}

/** Quotes an identifier the same way for both databases (standard SQL double quotes). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  columnType(type) {
    switch (type) {
      case 'integer':
      case 'boolean': // stored as 0/1: https://www.sqlite.org/datatype3.html#boolean_datatype
        return 'INTEGER'
      case 'number':
        return 'REAL'
      default: // strings, ISO dates and datetimes, and JSON arrays are TEXT
        return 'TEXT'
    }
  },
  serialPrimaryKey: 'INTEGER PRIMARY KEY',
  distinct: (a, b) => `${a} IS NOT ${b}`,
  jsonArrayElements: (column, alias) => `json_each(${column}) AS ${alias}`, // https://www.sqlite.org/json1.html#jeach
  temporaryStaging: true,
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  columnType(type) {
    switch (type) {
      case 'integer':
        return 'BIGINT'
      case 'number':
        return 'DOUBLE PRECISION'
      case 'boolean':
        return 'BOOLEAN'
      case 'date':
        return 'DATE'
      case 'datetime':
        return 'TIMESTAMPTZ'
      default:
        return 'TEXT'
    }
  },
  serialPrimaryKey: 'BIGSERIAL PRIMARY KEY',
  distinct: (a, b) => `${a} IS DISTINCT FROM ${b}`,
  // https://www.postgresql.org/docs/current/functions-json.html
  jsonArrayElements: (column, alias) => `LATERAL jsonb_array_elements_text(${column}::jsonb) AS ${alias}(value)`,
  temporaryStaging: true,
}
