/**
 * Seeded bijections on [0, size): they turn a row counter into identifiers that are unique by
 * construction yet do not look sequential (employee ids, social security numbers, contract ids),
 * without remembering which identifiers were already handed out.
 */
import { mix32 } from './random.ts'

/** A seeded permutation of the integers [0, size). */
export type Permutation = (x: number) => number

const ROUNDS = 4

/**
 * Creates a permutation of [0, size) from a balanced Feistel network over the smallest even number
 * of bits that covers `size`, with cycle walking: a value that lands outside the range is permuted
 * again until it falls inside, which keeps the map a bijection on [0, size).
 */
export function createPermutation(size: number, key: number): Permutation {
  if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 32) {
    throw new RangeError(`A permutation needs a size between 1 and 2^32, not ${size}.`)
  }
  // An even bit count that covers size; counted with integers so no floating-point log decides it.
  let bits = 2
  while (2 ** bits < size) bits += 2
  const halfBits = bits / 2
  const halfSize = 2 ** halfBits
  const mask = halfSize - 1
  const keys = Array.from({ length: ROUNDS }, (_, r) => mix32(key + Math.imul(r + 1, 0x61c88647)))

  const feistel = (x: number): number => {
    // Multiplication and division instead of shifts: 2^32-wide values do not fit a signed 32-bit int.
    let left = Math.floor(x / halfSize)
    let right = x % halfSize
    for (const k of keys) {
      const next = (left ^ (mix32(right ^ k) & mask)) >>> 0
      left = right
      right = next
    }
    return left * halfSize + right
  }

  return (x: number): number => {
    let y = feistel(x)
    while (y >= size) y = feistel(y)
    return y
  }
}
