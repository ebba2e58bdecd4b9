import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Random, cumulate, hash3, pickWeighted } from './random.ts'

describe('Random', () => {
  it('repeats the same sequence for the same seed, stream and index', () => {
    const draw = (index: number): number[] => {
      const rng = new Random(500, 7, index)
      return Array.from({ length: 8 }, () => rng.next32())
    }
    assert.deepEqual(draw(3), draw(3))
    assert.notDeepEqual(draw(3), draw(4))
  })

  it('restarts a stream in place with reseed', () => {
    const rng = new Random(1, 2, 3)
    const first = [rng.next32(), rng.next32()]
    rng.reseed(9, 9, 9)
    rng.reseed(1, 2, 3)
    assert.deepEqual([rng.next32(), rng.next32()], first)
  })

  it('keeps int, between and float within their ranges and reaches both ends', () => {
    const rng = new Random(42)
    const seen = new Set<number>()
    for (let k = 0; k < 2000; k++) {
      const value = rng.between(3, 6)
      assert.ok(value >= 3 && value <= 6)
      seen.add(value)
      const f = rng.float()
      assert.ok(f >= 0 && f < 1)
    }
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6])
  })

  it('replaces every # of a pattern with a digit', () => {
    assert.match(new Random(1).digits('+31 6 ####-####'), /^\+31 6 \d{4}-\d{4}$/)
  })

  it('spreads hashes of neighbouring indices', () => {
    const values = new Set(Array.from({ length: 1000 }, (_, i) => hash3(1, 1, i) >>> 22))
    assert.ok(values.size > 600, `only ${values.size} distinct top bits`)
  })
})

describe('pickWeighted', () => {
  it('picks each entry in proportion to its weight', () => {
    const cumulative = cumulate([1, 0, 3])
    const counts = [0, 0, 0]
    for (let k = 0; k < 400; k++) counts[pickWeighted(cumulative, (k + 0.5) / 400)]! += 1
    assert.deepEqual(counts, [100, 0, 300])
  })
})
