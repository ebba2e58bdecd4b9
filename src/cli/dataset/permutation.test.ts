import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPermutation } from './permutation.ts'

describe('createPermutation', () => {
  for (const size of [1, 2, 3, 17, 1000, 4097, 100_000]) {
    it(`maps [0, ${size}) onto itself without collisions`, () => {
      const permute = createPermutation(size, 1234)
      const seen = new Uint8Array(size)
      for (let x = 0; x < size; x++) {
        const y = permute(x)
        assert.ok(Number.isInteger(y) && y >= 0 && y < size, `${x} → ${y}`)
        assert.equal(seen[y], 0, `${y} is hit twice`)
        seen[y] = 1
      }
    })
  }

  it('gives different orders for different keys and no long sequential runs', () => {
    const a = createPermutation(100_000, 1)
    const b = createPermutation(100_000, 2)
    const first = Array.from({ length: 20 }, (_, x) => a(x))
    assert.notDeepEqual(
      first,
      Array.from({ length: 20 }, (_, x) => b(x)),
    )
    const steps = first.slice(1).filter((y, k) => y === (first[k] as number) + 1)
    assert.ok(steps.length < 3)
  })

  it('rejects sizes it cannot cover', () => {
    assert.throws(() => createPermutation(0, 1), RangeError)
    assert.throws(() => createPermutation(2 ** 33, 1), RangeError)
  })
})
