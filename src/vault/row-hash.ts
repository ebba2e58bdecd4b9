/**
 * A 53-bit fingerprint of a row's stored values, kept with every version (`_hash`), so a
 * re-collection can tell unchanged rows from changed ones without comparing every column in SQL.
 * Only non-null values take part, each with its column name, so adding a column that is still
 * empty does not make every row look changed. The chance that a change goes unnoticed is 2⁻⁵³ per
 * changed row.
 */
import type { SqlValue } from './driver/sql-driver.ts'

/**
 * cyrb53 (public domain, bryc), fed value by value instead of over one concatenated string, so that
 * fingerprinting a row allocates nothing: it runs for every row of every collection. The two
 * 32-bit lanes live in a module-level array rather than a closure for the same reason.
 */
const lanes = new Int32Array(2)

function feed(text: string): void {
  let h1 = lanes[0]!
  let h2 = lanes[1]!
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  lanes[0] = h1
  lanes[1] = h2
}

/**
 * The fingerprint of stored values (as `toStoredValue` makes them), in the order of `names`,
 * read from `stored` starting at `offset`.
 */
export function rowHash(names: readonly string[], stored: readonly SqlValue[], offset = 0): number {
  lanes[0] = 0xdeadbeef
  lanes[1] = 0x41c6ce57
  for (let i = 0; i < names.length; i++) {
    const value = stored[offset + i]
    if (value === null || value === undefined) continue
    feed(names[i]!)
    feed('\u0001') // between name and value
    feed(typeof value === 'string' ? value : typeof value === 'boolean' ? (value ? '1' : '0') : String(value))
    feed('\u0002') // after the value
  }
  let h1 = lanes[0]
  let h2 = lanes[1]
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
