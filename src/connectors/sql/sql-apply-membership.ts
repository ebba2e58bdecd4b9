/**
 * Adding and removing one (group, member) pair of a memberships table (`options.memberships`), one
 * statement each, values bound:
 *
 * - add: `INSERT … SELECT ?, ? WHERE NOT EXISTS (the pair) RETURNING …`: the pair is inserted only
 *   when the table does not hold it yet; a pair already there is a success with `unchanged` and the
 *   row as the table holds it;
 * - remove: `DELETE … WHERE group = ? AND member = ? RETURNING …`: nothing deleted is a success with
 *   `unchanged`.
 *
 * Pairs are compared by the database, as it compares the columns: a `COLLATE NOCASE` column on
 * SQLite (or citext on PostgreSQL) finds `Staff` when `STAFF` is given, and the row returned then
 * has the table's spelling, which is what a later collection reads. A memberships table may have
 * other columns (an id, a timestamp the database fills); the returned row has them all.
 */
import { MEMBERSHIP_PARAMETERS, ProvisioError, qualifiedName, type Row, type Value } from '../../core/index.ts'
import type { Operation, OperationResult } from '../contract.ts'
import type { BoundTable } from './sql-bind.ts'
import { sqlError } from './sql-errors.ts'
import { selectList } from './sql-rows.ts'
import { quoteIdentifier, type SqlSession } from './sql-session.ts'
import { type Assignment, assignment, invalidOperation, runStatement, written } from './sql-write.ts'

interface Pair {
  readonly group: Assignment
  readonly member: Assignment
  /** The pair by declared column, for hints. */
  readonly values: Row
}

/** The pair's value of `name`: the attribute, or the operation's key when it is that column. */
function valueOf(operation: Operation, name: 'group' | 'member', column: string): Value | undefined {
  if (name in operation.attributes) return operation.attributes[name]
  return operation.key?.column === column || operation.key?.column === name ? operation.key.value : undefined
}

function pairOf(session: SqlSession, bound: BoundTable, operation: Operation): Pair {
  const memberships = bound.plan.options.memberships!
  const values: Row = {}
  const [group, member] = MEMBERSHIP_PARAMETERS.map((name) => {
    const column = memberships[name]
    const value = valueOf(operation, name, column)
    if (value === undefined || value === null || Array.isArray(value)) {
      throw invalidOperation(operation, `it needs one value for '${name}' (column ${column}).`)
    }
    values[column] = value
    return assignment(session, bound, column, value)
  }) as [Assignment, Assignment]
  return { group, member, values }
}

function pairCondition(pair: Pair): string {
  return `${quoteIdentifier(pair.group.column)} = ? AND ${quoteIdentifier(pair.member.column)} = ?`
}

async function heldRow(
  session: SqlSession,
  bound: BoundTable,
  operation: Operation,
  pair: Pair,
): Promise<Record<string, unknown> | undefined> {
  const sql = `SELECT ${selectList(bound)} FROM ${bound.qualified} WHERE ${pairCondition(pair)} LIMIT 1`
  const [record] = await runStatement(
    session,
    bound,
    operation,
    () => session.db.query(sql, [pair.group.value, pair.member.value]),
    pair.values,
  )
  return record
}

async function add(session: SqlSession, bound: BoundTable, operation: Operation, pair: Pair): Promise<OperationResult> {
  const columns = `${quoteIdentifier(pair.group.column)}, ${quoteIdentifier(pair.member.column)}`
  const sql = `INSERT INTO ${bound.qualified} (${columns}) SELECT ?, ?
    WHERE NOT EXISTS (SELECT 1 FROM ${bound.qualified} WHERE ${pairCondition(pair)}) RETURNING ${selectList(bound)}`
  const params = [pair.group.value, pair.member.value, pair.group.value, pair.member.value]
  let inserted: Record<string, unknown> | undefined
  try {
    ;[inserted] = await runStatement(session, bound, operation, () => session.db.query(sql, params), pair.values)
  } catch (error) {
    // A unique constraint on the pair and another writer adding it at the same moment: it is there.
    if (!(error instanceof ProvisioError) || error.code !== 'CON_SQL_UNIQUE_VIOLATION') throw error
    const held = await heldRow(session, bound, operation, pair).catch(() => undefined)
    if (held === undefined) throw error
    return alreadyThere(bound, held)
  }
  if (inserted !== undefined) return written(bound, inserted)
  const held = await heldRow(session, bound, operation, pair)
  if (held === undefined) {
    // Removed by another writer between the two statements: trying again settles it.
    throw sqlError(
      'CON_SQL_BUSY',
      `${operation.function}: the pair was removed from ${qualifiedName(bound.plan.table)} while it was being added.`,
    )
  }
  return alreadyThere(bound, held)
}

function alreadyThere(bound: BoundTable, record: Record<string, unknown>): OperationResult {
  const result = written(bound, record, true)
  return { ...result, message: result.message ?? 'Already a member.' }
}

async function remove(
  session: SqlSession,
  bound: BoundTable,
  operation: Operation,
  pair: Pair,
): Promise<OperationResult> {
  const sql = `DELETE FROM ${bound.qualified} WHERE ${pairCondition(pair)} RETURNING ${selectList(bound)}`
  const records = await runStatement(
    session,
    bound,
    operation,
    () => session.db.query(sql, [pair.group.value, pair.member.value]),
    pair.values,
  )
  // Nothing deleted: the engine writes back the pair it sent (it is not in the table, nor should it be).
  if (records.length === 0) return { unchanged: true, message: 'Not a member.' }
  return written(bound, records[0])
}

/** Executes a membership-add or membership-remove operation; every failure is a CON_SQL_ error. */
export async function changeMembership(
  session: SqlSession,
  bound: BoundTable,
  operation: Operation,
  adding: boolean,
): Promise<OperationResult> {
  if (bound.plan.options.memberships === undefined) {
    throw invalidOperation(operation, `table ${qualifiedName(bound.plan.table)} is not a memberships table.`)
  }
  const pair = pairOf(session, bound, operation)
  return adding ? add(session, bound, operation, pair) : remove(session, bound, operation, pair)
}
