import type { ColumnSchema, Row } from '../core/index.ts'
import { decodeSqlValue } from '../expr/index.ts'

/**
 * A stored row back in its data-model shape: SQLite's 0/1 booleans, JSON text arrays and pg's
 * number strings become the values the rest of Provisio uses (the expression layer's decoder, so
 * filters and vault queries read values the same way).
 */
export function decodeRow(columns: readonly Pick<ColumnSchema, 'name' | 'type'>[], raw: Record<string, unknown>): Row {
  const row: Row = {}
  for (const column of columns) row[column.name] = decodeSqlValue(raw[column.name], column.type)
  return row
}
