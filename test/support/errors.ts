/** Assertions on failures: the ProvisioError a promise rejects with, of the expected code. */
import assert from 'node:assert/strict'
import { ProvisioError } from '../../src/core/index.ts'

/** Asserts that `promise` rejects with a ProvisioError of `code`, and returns it for more checks. */
export async function rejects(promise: Promise<unknown>, code: string): Promise<ProvisioError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof ProvisioError, `expected ProvisioError, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    return error
  }
  assert.fail(`expected ${code}`)
}
