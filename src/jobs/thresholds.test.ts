import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_DESTRUCTIVE_THRESHOLD, checkThreshold, effectiveThreshold } from './thresholds.ts'

describe('effectiveThreshold', () => {
  it("gives delete, disable and membership-remove steps 10% when the job sets none, and keeps a step's own", () => {
    assert.deepEqual(DEFAULT_DESTRUCTIVE_THRESHOLD, { kind: 'percent', value: 10 })
    for (const semantics of ['delete', 'disable', 'membership-remove'] as const)
      assert.deepEqual(effectiveThreshold(undefined, semantics), { kind: 'percent', value: 10 }, semantics)
    for (const semantics of ['create', 'update', 'enable', 'membership-add', 'custom'] as const)
      assert.equal(effectiveThreshold(undefined, semantics), undefined, semantics)
    assert.deepEqual(effectiveThreshold({ kind: 'count', value: 500 }, 'disable'), { kind: 'count', value: 500 })
    assert.deepEqual(effectiveThreshold({ kind: 'percent', value: 5 }, 'create'), { kind: 'percent', value: 5 })
  })
})

describe('checkThreshold', () => {
  it('allows a count of operations up to and including the count', () => {
    assert.deepEqual(checkThreshold({ kind: 'count', value: 100 }, 100, 0), {
      limit: 100,
      described: '100',
      exceeded: false,
    })
    assert.equal(checkThreshold({ kind: 'count', value: 100 }, 101, 0).exceeded, true)
    assert.equal(checkThreshold({ kind: 'count', value: 0 }, 1, 1000).exceeded, true, '0 allows nothing')
  })

  it("allows a percentage of the target table's rows, rounded down, and says how it was computed", () => {
    assert.deepEqual(checkThreshold({ kind: 'percent', value: 10 }, 58, 585), {
      limit: 58,
      described: '10% of 585 rows = 58',
      exceeded: false,
    })
    assert.equal(checkThreshold({ kind: 'percent', value: 10 }, 59, 585).exceeded, true)
    assert.deepEqual(checkThreshold({ kind: 'percent', value: 12.5 }, 1, 8), {
      limit: 1,
      described: '12.5% of 8 rows = 1',
      exceeded: false,
    })
    // An empty target allows nothing destructive: 10% of nothing is nothing.
    assert.equal(checkThreshold({ kind: 'percent', value: 10 }, 1, 0).exceeded, true)
  })
})
