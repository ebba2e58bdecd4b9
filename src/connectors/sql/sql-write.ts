/**
 * What every write statement of the SQL connector shares: a declared column's value turned into the
 * database column and bound value, running a statement with its errors translated in the
 * operation's context, and the outcome with the row as the table holds it.
 */
import { ProvisioError, qualifiedName, type Row, type Value } from '../../core/index.ts'
import type { ConnectorSqlValue, Operation, OperationResult } from '../contract.ts'
import type { BoundTable } from './sql-bind.ts'
import { sqlError } from './sql-errors.ts'
import { missingReference } from './sql-foreign-key.ts'
import { rowFrom } from './sql-rows.ts'
import type { SqlSession } from './sql-session.ts'
import { PASSWORD_PARAMETER } from './sql-table.ts'
import { translateSqlError } from './translate-error.ts'
import { hasNul, writeValue } from './sql-values.ts'

/** One column a statement writes, with its bound value. */
export interface Assignment {
  readonly column: string
  readonly value: ConnectorSqlValue
}

export function invalidOperation(operation: Operation, message: string) {
  return sqlError('CON_SQL_INVALID_OPERATION', `Operation ${operation.id} (${operation.function}): ${message}`)
}

export function assertNoNul(bound: BoundTable, name: string, value: Value, secret: boolean): void {
  if (!hasNul(value)) return
  const what = secret ? 'The password' : `The value ${JSON.stringify(value)} of ${name}`
  throw sqlError(
    'CON_SQL_INVALID_VALUE',
    `${what} for ${qualifiedName(bound.plan.table)} holds a NUL character (\\u0000), which the database cannot store.`,
    { hint: 'Remove the NUL character in the source value or the mapping (replace(…) can drop it).' },
  )
}

/** The database column and bound value of a declared column's value. */
export function assignment(session: SqlSession, bound: BoundTable, name: string, value: Value): Assignment {
  const physical = bound.physicalOf(name)
  if (physical === undefined) throw sqlError('CON_SQL_INVALID_OPERATION', `'${name}' is not a declared column.`)
  assertNoNul(bound, name, value, false)
  return { column: physical.name, value: writeValue(value, physical, session.dialect) }
}

/**
 * Runs a statement, translating any error with the operation's context. `values` are the values
 * the statement writes by declared column (default: the attributes, whose names are the columns),
 * for hints that name the value a unique or foreign key refused.
 */
export async function runStatement<T>(
  session: SqlSession,
  bound: BoundTable,
  operation: Operation,
  work: () => Promise<T>,
  values: Row = operation.attributes,
): Promise<T> {
  try {
    return await work()
  } catch (error) {
    const columns = new Map(bound.plan.table.columns.map((c, i) => [bound.physical[i]!.name, c.name]))
    const columnName = (physical: string) => columns.get(physical) ?? physical
    const valueOf = (column: string) => (column === PASSWORD_PARAMETER ? undefined : values[column])
    throw translateSqlError(error, {
      action: `${operation.function} on ${qualifiedName(bound.plan.table)} failed`,
      location: session.location,
      columnName,
      valueOf,
      secret: PASSWORD_PARAMETER in operation.attributes,
      // SQLite does not say which foreign key failed: ask the database which value refers to nothing.
      missingReference: await missingReference(session, bound, error, valueOf),
    })
  }
}

/** The outcome with the row as written; a row that does not read back cleanly does not fail the written operation. */
export function written(
  bound: BoundTable,
  record: Record<string, unknown> | undefined,
  unchanged = false,
): OperationResult {
  const flag = unchanged ? { unchanged: true } : {}
  if (record === undefined) return flag
  try {
    return { ...flag, row: rowFrom(bound, record) }
  } catch (error) {
    if (!(error instanceof ProvisioError) || error.code !== 'CON_SQL_INVALID_VALUE') throw error
    return { ...flag, message: `Written, but the row does not read back: ${error.message}` }
  }
}
