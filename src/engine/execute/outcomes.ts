/**
 * What an operation sends and leaves behind: the request the connector gets, the write-back of the
 * target row to the vault and the values the audit shows beyond the operation itself.
 */
import type { FunctionSchema, Row, TableSchema, Value } from '../../core/index.ts'
import type { Operation, OperationResult } from '../../connectors/index.ts'
import type { OperationOutcome, StoredOperation, WriteBack } from '../../vault/index.ts'

/** The connector's request: the stored operation with its secrets, which exist only here, in memory. */
export function toConnectorOperation(operation: StoredOperation, secrets: Row): Operation {
  return {
    id: operation.id,
    table: operation.table,
    function: operation.function,
    semantics: operation.semantics,
    key:
      operation.keyColumn === undefined || operation.keyValue === undefined
        ? undefined
        : { column: operation.keyColumn, value: operation.keyValue },
    attributes: { ...operation.attributes, ...secrets },
  }
}

/** The target column a parameter writes (it may have another name). */
export function columnOf(fn: FunctionSchema, parameter: string): string {
  return fn.parameters.find((p) => p.name === parameter)?.column ?? parameter
}

/** The operation's values by target column. */
function columnValues(operation: StoredOperation, fn: FunctionSchema): Row {
  const row: Row = {}
  for (const [name, value] of Object.entries(operation.attributes)) row[columnOf(fn, name)] = value
  return row
}

/**
 * What a successful operation leaves in the vault: the row the target read back, or else the
 * values it was sent merged into the current row; a delete (or a membership removed) removes the row.
 */
export function writeBackOf(
  operation: StoredOperation,
  table: TableSchema,
  fn: FunctionSchema,
  row: Row | undefined,
): WriteBack {
  const keyColumn = operation.keyColumn
  const key =
    keyColumn === undefined || operation.keyValue === undefined || operation.keyValue === null
      ? undefined
      : {
          column: keyColumn,
          value: operation.keyValue,
          caseInsensitive: table.columns.find((c) => c.name === keyColumn)?.caseInsensitive,
        }
  if (operation.semantics === 'delete') return { kind: 'remove', key }
  // A membership table has no key of its own: the pair the operation named is the row to remove.
  if (operation.semantics === 'membership-remove') {
    return { kind: 'remove', key, row: row ?? columnValues(operation, fn) }
  }
  if (row !== undefined) return { kind: 'upsert', key, row }
  return { kind: 'upsert', key, row: columnValues(operation, fn), merge: true }
}

/**
 * What the audit shows beyond the operation itself: the key of a created row (the target may have
 * generated it), and for functions without attributes (disable, enable, move…) the columns the
 * target row changed, old and new, read from the row the connector returned.
 */
export function auditValues(
  operation: StoredOperation,
  table: TableSchema,
  row: Row | undefined,
): Pick<OperationOutcome, 'auditKey' | 'before' | 'after'> {
  if (row === undefined) return {}
  if (operation.semantics === 'create') {
    const key = table.primaryKey
    const value = key === undefined ? undefined : row[key]
    return key === undefined || value === undefined || value === null ? {} : { auditKey: { column: key, value } }
  }
  if (operation.semantics === 'update' || operation.semantics === 'delete' || operation.before === undefined) return {}
  const before: Row = {}
  const after: Row = { ...operation.attributes }
  for (const [column, value] of Object.entries(row)) {
    const old = operation.before[column]
    if (JSON.stringify(old ?? null) === JSON.stringify(value ?? null)) continue
    before[column] = old ?? null
    after[column] = value
  }
  return { before, after }
}

/** The outcome of an operation the target applied (or showed applied), with its write-back and audit values. */
export function succeededOutcome(
  operation: StoredOperation,
  table: TableSchema,
  fn: FunctionSchema,
  result: OperationResult,
  retries: number,
): OperationOutcome {
  return {
    operation,
    status: 'succeeded',
    retries,
    writeBack: writeBackOf(operation, table, fn, result.row),
    ...auditValues(operation, table, result.row),
    message: result.unchanged === true ? (result.message ?? 'Nothing had to change.') : result.message,
  }
}

/**
 * A value to find the operation's target row by: its key, or else a key-column attribute (the
 * primary key or a reference key a create sends).
 */
export function lookupKeyOf(
  operation: StoredOperation,
  table: TableSchema,
  fn: FunctionSchema,
): { readonly column: string; readonly value: Value } | undefined {
  if (operation.keyColumn !== undefined && operation.keyValue !== undefined && operation.keyValue !== null)
    return { column: operation.keyColumn, value: operation.keyValue }
  const values = columnValues(operation, fn)
  for (const column of [table.primaryKey, ...table.referenceKeys]) {
    if (column === undefined) continue
    const value = values[column]
    if (value !== undefined && value !== null) return { column, value }
  }
  return undefined
}
