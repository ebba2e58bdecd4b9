/**
 * Synthetic operation outcomes as the executor reports them: updates of a directory's accounts
 * with 8 attributes each. A pool is made once and cycled through, so that the timed loop measures
 * building and matching events, not making test data.
 */
import type { OperationOutcome, StoredOperation } from '../../src/vault/index.ts'
import { MAILED_TYPE } from './project.ts'

const DEPARTMENTS = ['Finance', 'HR', 'IT', 'Legal', 'Sales', 'Support', 'Research', 'Facilities']
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Assistant', 'Consultant']

/** The operation of row `i` of plan 1. */
export function operation(i: number): StoredOperation {
  const uid = `u${String(i).padStart(7, '0')}`
  return {
    id: `op-${i.toString(36)}-5f2c9a`,
    step: 1,
    mapping: 'accounts_update',
    system: 'directory',
    table: 'accounts',
    function: 'update',
    semantics: 'update',
    keyColumn: 'uid',
    keyValue: uid,
    attributes: {
      uid,
      givenName: `Given${i % 997}`,
      sn: `Surname${i % 1009}`,
      mail: `${uid}@example.test`,
      department: DEPARTMENTS[i % DEPARTMENTS.length]!,
      title: TITLES[i % TITLES.length]!,
      employeeType: i % 5 === 0 ? MAILED_TYPE : 'employee',
      manager: `u${String(i % 1000).padStart(7, '0')}`,
    },
    before: { department: DEPARTMENTS[(i + 1) % DEPARTMENTS.length]! },
    secrets: [],
    planId: 1,
    seq: i + 1,
    status: 'running',
    attempts: 1,
  }
}

export function succeeded(i: number): OperationOutcome {
  return { operation: operation(i), status: 'succeeded' }
}

/** A failed outcome; `mailed` picks whether its account is one the mail action (or the webhook) reports. */
export function failed(i: number, mailed: boolean): OperationOutcome {
  const op = operation(mailed ? i * 5 : i * 5 + 1)
  return {
    operation: op,
    status: 'failed',
    errorCode: 'CON_REJECTED',
    message: `The directory refused the update of ${String(op.keyValue)}: constraint violation (department).`,
  }
}
