/**
 * Executing one operation on a SQL table, one statement each:
 *
 * - create: `INSERT … RETURNING` the declared columns, so the row as stored (database-made key,
 *   defaults) goes back to the vault;
 * - update: `UPDATE … SET <given attributes> WHERE key = ? RETURNING …`; no row is CON_SQL_ROW_NOT_FOUND;
 * - delete: `DELETE … WHERE key = ?`; a row already gone is a success (`unchanged`), so repeating a
 *   delete after a crash does no harm;
 * - disable / enable: sets the disable column where it differs; already in that state is `unchanged`;
 * - membership-add / membership-remove: see sql-apply-membership.ts.
 *
 * Values are always bound. A password is hashed before it is bound and appears in no message, log
 * or error (see translate-error.ts).
 */
import { type FunctionSchema, qualifiedName, type Row, type Value } from '../../core/index.ts'
import type { Operation, OperationResult } from '../contract.ts'
import type { BoundTable } from './sql-bind.ts'
import { sqlError } from './sql-errors.ts'
import { hashPassword } from './password-hash.ts'
import { changeMembership } from './sql-apply-membership.ts'
import { rowFrom, selectList } from './sql-rows.ts'
import { quoteIdentifier, type SqlSession } from './sql-session.ts'
import { PASSWORD_PARAMETER } from './sql-table.ts'
import { translateSqlError } from './translate-error.ts'
import {
  type Assignment,
  assertNoNul,
  assignment,
  invalidOperation,
  runStatement as run,
  written,
} from './sql-write.ts'

const MEMBERSHIP_SEMANTICS: readonly FunctionSchema['semantics'][] = ['membership-add', 'membership-remove']

/** Whether a mandatory parameter is given: as an attribute, or as the operation's key (by its name or column). */
function isGiven(operation: Operation, parameter: FunctionSchema['parameters'][number]): boolean {
  if (parameter.name in operation.attributes) return true
  const column = operation.key?.column
  return column !== undefined && (column === parameter.name || column === parameter.column)
}

/** Checks the operation against the function as this connector declares it (the engine did too). */
function checkOperation(bound: BoundTable, operation: Operation): FunctionSchema {
  const fn = bound.functions.get(operation.function)
  if (fn === undefined) {
    throw invalidOperation(operation, `table ${qualifiedName(bound.plan.table)} has no such function.`)
  }
  const parameters = new Map(fn.parameters.map((p) => [p.name, p]))
  for (const name of Object.keys(operation.attributes)) {
    const parameter = parameters.get(name)
    if (parameter === undefined) throw invalidOperation(operation, `'${name}' is not a parameter of ${fn.name}.`)
    if (parameter.allowance === 'prohibited') throw invalidOperation(operation, `'${name}' may not be given.`)
  }
  for (const parameter of fn.parameters.filter((p) => p.allowance === 'mandatory')) {
    if (!isGiven(operation, parameter)) {
      throw invalidOperation(operation, `the mandatory parameter '${parameter.name}' is missing.`)
    }
  }
  // A membership names its row by its parameters (the pair); every other change by the key.
  const keyed = fn.semantics !== 'create' && !MEMBERSHIP_SEMANTICS.includes(fn.semantics)
  if (keyed && (operation.key === undefined || operation.key.value === null)) {
    throw invalidOperation(operation, 'it has no key naming the row to change.')
  }
  return fn
}

async function assignments(session: SqlSession, bound: BoundTable, operation: Operation): Promise<Assignment[]> {
  const result: Assignment[] = []
  for (const [name, value] of Object.entries(operation.attributes)) {
    if (name === PASSWORD_PARAMETER && bound.passwordColumn !== undefined) {
      if (typeof value !== 'string' || value === '') {
        throw sqlError('CON_SQL_INVALID_VALUE', `The password for ${qualifiedName(bound.plan.table)} is empty.`, {
          hint: "Check the mapping's password generator: a password must be a non-empty text.",
        })
      }
      assertNoNul(bound, name, value, true)
      result.push({ column: bound.passwordColumn.name, value: await hashPassword(value) })
    } else {
      result.push(assignment(session, bound, name, value))
    }
  }
  return result
}

function keyCondition(session: SqlSession, bound: BoundTable, operation: Operation): Assignment {
  const key = operation.key!
  return assignment(session, bound, key.column, key.value)
}

async function selectRow(session: SqlSession, bound: BoundTable, key: Assignment): Promise<Row | undefined> {
  const sql = `SELECT ${selectList(bound)} FROM ${bound.qualified} WHERE ${quoteIdentifier(key.column)} = ? LIMIT 1`
  const [record] = await session.db.query(sql, [key.value])
  return record === undefined ? undefined : rowFrom(bound, record)
}

function rowNotFound(bound: BoundTable, operation: Operation) {
  const key = operation.key!
  return sqlError(
    'CON_SQL_ROW_NOT_FOUND',
    `${operation.function}: ${qualifiedName(bound.plan.table)} has no row with ${key.column} ${JSON.stringify(key.value)}.`,
  )
}

async function create(session: SqlSession, bound: BoundTable, operation: Operation): Promise<OperationResult> {
  const values = await assignments(session, bound, operation)
  // A create whose key the mapping gives as the operation's key (not as an attribute) writes it too.
  const key = operation.key
  if (key !== undefined && !(key.column in operation.attributes) && !bound.plan.readOnly.has(key.column)) {
    values.push(keyCondition(session, bound, operation))
  }
  const into =
    values.length === 0
      ? 'DEFAULT VALUES'
      : `(${values.map((v) => quoteIdentifier(v.column)).join(', ')}) VALUES (${values.map(() => '?').join(', ')})`
  const sql = `INSERT INTO ${bound.qualified} ${into} RETURNING ${selectList(bound)}`
  const [record] = await run(session, bound, operation, () =>
    session.db.query(
      sql,
      values.map((v) => v.value),
    ),
  )
  return written(bound, record)
}

async function update(session: SqlSession, bound: BoundTable, operation: Operation): Promise<OperationResult> {
  const values = await assignments(session, bound, operation)
  const key = keyCondition(session, bound, operation)
  if (values.length === 0) {
    const row = await run(session, bound, operation, () => selectRow(session, bound, key))
    if (row === undefined) throw rowNotFound(bound, operation)
    return { row, unchanged: true }
  }
  const set = values.map((v) => `${quoteIdentifier(v.column)} = ?`).join(', ')
  const sql = `UPDATE ${bound.qualified} SET ${set} WHERE ${quoteIdentifier(key.column)} = ? RETURNING ${selectList(bound)}`
  const [record] = await run(session, bound, operation, () =>
    session.db.query(sql, [...values.map((v) => v.value), key.value]),
  )
  if (record === undefined) throw rowNotFound(bound, operation)
  return written(bound, record)
}

async function remove(session: SqlSession, bound: BoundTable, operation: Operation): Promise<OperationResult> {
  const key = keyCondition(session, bound, operation)
  const sql = `DELETE FROM ${bound.qualified} WHERE ${quoteIdentifier(key.column)} = ?`
  const deleted = await run(session, bound, operation, () => session.db.run(sql, [key.value]))
  return deleted === 0 ? { unchanged: true, message: 'The row was already gone.' } : {}
}

async function toggle(
  session: SqlSession,
  bound: BoundTable,
  operation: Operation,
  enable: boolean,
): Promise<OperationResult> {
  const disable = bound.plan.options.disable!
  const state = assignment(session, bound, disable.column, enable ? disable.enabledValue : disable.disabledValue)
  const key = keyCondition(session, bound, operation)
  const column = quoteIdentifier(state.column)
  const differs = session.dialect === 'postgres' ? `${column} IS DISTINCT FROM ?` : `${column} IS NOT ?`
  const sql = `UPDATE ${bound.qualified} SET ${column} = ? WHERE ${quoteIdentifier(key.column)} = ? AND ${differs} RETURNING ${selectList(bound)}`
  const [record] = await run(session, bound, operation, () =>
    session.db.query(sql, [state.value, key.value, state.value]),
  )
  if (record !== undefined) return written(bound, record)
  // Nothing changed: the row is already in that state, or it is not there at all.
  const row = await run(session, bound, operation, () => selectRow(session, bound, key))
  if (row === undefined) throw rowNotFound(bound, operation)
  return { row, unchanged: true }
}

/** Executes one operation; every failure is a CON_SQL_ error. */
export async function applyOperation(
  session: SqlSession,
  bound: BoundTable,
  operation: Operation,
): Promise<OperationResult> {
  const fn = checkOperation(bound, operation)
  switch (fn.semantics) {
    case 'create':
      return create(session, bound, operation)
    case 'update':
      return update(session, bound, operation)
    case 'delete':
      return remove(session, bound, operation)
    case 'disable':
    case 'enable':
      return toggle(session, bound, operation, fn.semantics === 'enable')
    case 'membership-add':
    case 'membership-remove':
      return changeMembership(session, bound, operation, fn.semantics === 'membership-add')
    default:
      throw invalidOperation(operation, `the SQL connector has no ${fn.semantics} functions.`)
  }
}

/** The row whose declared column `column` holds `value`, or undefined. */
export async function lookupRow(
  session: SqlSession,
  bound: BoundTable,
  column: string,
  value: Value,
): Promise<Row | undefined> {
  if (bound.physicalOf(column) === undefined) {
    throw sqlError('CON_SQL_INVALID_OPERATION', `Lookup on ${qualifiedName(bound.plan.table)}: no column '${column}'.`)
  }
  if (value === null) return undefined
  const key = assignment(session, bound, column, value)
  try {
    return await selectRow(session, bound, key)
  } catch (error) {
    throw translateSqlError(error, {
      action: `Lookup of ${column} in ${qualifiedName(bound.plan.table)} failed`,
      location: session.location,
    })
  }
}
