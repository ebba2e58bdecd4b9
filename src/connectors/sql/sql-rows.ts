/**
 * Rows between SQL and the data model. Every statement that returns rows selects the declared
 * columns under positional aliases (`"email" AS "c1"`), so a database column name never becomes an
 * object key and two declared columns may read the same database column.
 */
import { qualifiedName, type Row, type Value } from '../../core/index.ts'
import type { BoundTable } from './sql-bind.ts'
import { sqlError } from './sql-errors.ts'
import { quoteIdentifier } from './sql-session.ts'
import { readValue, UnreadableValue } from './sql-values.ts'

/** The alias of the i-th declared column. */
export function aliasOf(index: number): string {
  return `c${index}`
}

/** `"employee_id" AS "c0", "mail" AS "c1", …`: the declared columns of the table. */
export function selectList(bound: BoundTable): string {
  return bound.physical.map((c, i) => `${quoteIdentifier(c.name)} AS ${quoteIdentifier(aliasOf(i))}`).join(', ')
}

/** Shows a value in a message, shortened: a value read from a table may be long. */
function shown(raw: unknown): string {
  const text =
    typeof raw === 'string' ? JSON.stringify(raw) : Buffer.isBuffer(raw) ? `${raw.length} bytes` : String(raw)
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}

/** A selected record as a data-model row; throws CON_SQL_INVALID_VALUE naming the row and column. */
export function rowFrom(bound: BoundTable, record: Readonly<Record<string, unknown>>): Row {
  const row: Row = {}
  const { columns } = bound.plan.table
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!
    const raw = record[aliasOf(i)]
    const value: Value | UnreadableValue = readValue(raw, column)
    if (value instanceof UnreadableValue) {
      const key = bound.plan.keyColumn
      const keyIndex = key === undefined ? -1 : columns.findIndex((c) => c.name === key)
      const at = keyIndex < 0 ? '' : ` of the row with ${key} ${shown(record[aliasOf(keyIndex)])}`
      throw sqlError(
        'CON_SQL_INVALID_VALUE',
        `${qualifiedName(bound.plan.table)}.${column.name}${at}: ${shown(raw)} is not ${value.expected}.`,
        {
          hint: `Correct the value in the database, or declare the column with the type it holds (now ${column.type}).`,
          details: { table: bound.plan.table.name, column: column.name },
        },
      )
    }
    row[column.name] = value
  }
  return row
}
