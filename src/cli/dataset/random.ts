/**
 * Seeded randomness for the dataset generator. Every value the generator draws comes from here, so
 * the same (employees, seed, referenceDate) always gives byte-identical files on every machine:
 * only 32-bit integer arithmetic (`Math.imul`, shifts), never `Math.random` or floating-point
 * transcendental functions whose last bits may differ between platforms.
 */

/** Mixes a 32-bit integer into a well-spread 32-bit hash (the "lowbias32" finaliser by C. Wellons). */
export function mix32(x: number): number {
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

/** Hashes a seed, a stream number and an index into one unsigned 32-bit value. */
export function hash3(seed: number, stream: number, index: number): number {
  return mix32((mix32((mix32(seed ^ 0x9e3779b9) + stream) | 0) + index) | 0)
}

/** A uniform number in [0, 1) derived from {@link hash3}, for decisions that must be answerable per index. */
export function hashUnit(seed: number, stream: number, index: number): number {
  return hash3(seed, stream, index) / 4294967296
}

/**
 * The sfc32 generator (Chris Doty-Humphrey's Small Fast Chaotic PRNG), re-seedable in place so that a
 * loop over a million employees draws each employee's values from its own stream without allocating.
 */
export class Random {
  private a = 0
  private b = 0
  private c = 0
  private d = 1

  constructor(seed: number, stream = 0, index = 0) {
    this.reseed(seed, stream, index)
  }

  /** Restarts the generator on the stream of (seed, stream, index). */
  reseed(seed: number, stream: number, index: number): void {
    const base = hash3(seed, stream, index)
    this.a = mix32(base ^ 0x243f6a88)
    this.b = mix32(base ^ 0x85a308d3)
    this.c = mix32(base ^ 0x13198a2e)
    this.d = 1
    // A few rounds decorrelate streams whose seeds differ in few bits.
    for (let k = 0; k < 6; k++) this.next32()
  }

  /** The next unsigned 32-bit value. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A uniform number in [0, 1). */
  float(): number {
    return this.next32() / 4294967296
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** A uniform integer in [min, max], both inclusive. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p
  }

  /** A uniform element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }

  /** A string made from a pattern where every `#` becomes a random digit. */
  digits(pattern: string): string {
    let out = ''
    for (const ch of pattern) out += ch === '#' ? String(this.int(10)) : ch
    return out
  }
}

/**
 * Index of the entry a uniform draw `u` in [0, 1) falls on, given ascending cumulative weights whose
 * last entry is the total. A binary search, since the large datasets have thousands of departments.
 */
export function pickWeighted(cumulative: ArrayLike<number>, u: number): number {
  const target = u * (cumulative[cumulative.length - 1] as number)
  let lo = 0
  let hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((cumulative[mid] as number) > target) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** Ascending cumulative sums of the weights, for {@link pickWeighted}. */
export function cumulate(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length)
  let sum = 0
  weights.forEach((w, k) => {
    sum += w
    out[k] = sum
  })
  return out
}
