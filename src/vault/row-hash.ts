/**
 * A 53-bit fingerprint of a row's stored values, kept with every version (`_hash`), so a
 * re-collection can tell unchanged rows from changed ones without comparing every column in SQL.
 * Only non-null values take part, each with its column name, so adding a column that is still
 * empty does not make every row look changed. The chance that a change goes unnoticed is 2⁻⁵³ per
 * changed row.
 */
import type { SqlValue } from './driver/sql-driver.ts'

/** cyrb53 (public domain, bryc): fast, well-distributed, 53 bits fit a JS number and a BIGINT. */
function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/** The fingerprint of stored values (as `toStoredValue` makes them), in the order of `names`. */
export function rowHash(names: readonly string[], stored: readonly SqlValue[]): number {
  let text = ''
  for (let i = 0; i < names.length; i++) {
    const value = stored[i]
    if (value === null || value === undefined) continue
    text += `${names[i]}\u0001${typeof value === 'boolean' ? (value ? '1' : '0') : String(value)}\u0002`
  }
  return cyrb53(text)
}
