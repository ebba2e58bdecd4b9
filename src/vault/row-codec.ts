import type { ColumnSchema, Row, Value } from '../core/index.ts'

/** Turns a stored value back into its data-model shape (SQLite booleans are 0/1, arrays are JSON text). */
export function decodeValue(column: Pick<ColumnSchema, 'type'>, raw: unknown): Value {
  if (raw === null || raw === undefined) return null
  switch (column.type) {
    case 'boolean':
      return raw === true || raw === 1 || raw === '1' || raw === 't'
    case 'string[]':
      return typeof raw === 'string' ? (JSON.parse(raw) as string[]) : (raw as string[])
    case 'integer':
    case 'number':
      return Number(raw)
    default:
      return typeof raw === 'string' ? raw : raw instanceof Date ? raw.toISOString() : JSON.stringify(raw)
  }
}

export function decodeRow(columns: readonly Pick<ColumnSchema, 'name' | 'type'>[], raw: Record<string, unknown>): Row {
  const row: Row = {}
  for (const column of columns) row[column.name] = decodeValue(column, raw[column.name])
  return row
}
