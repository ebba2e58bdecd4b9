/**
 * AD's ranged retrieval: a server returns at most MaxValRange values of an attribute per request
 * (1500 by default on AD and Samba), as `member;range=0-1499`. The rest is fetched with base-scope
 * searches for `member;range=1500-*`, `member;range=3000-*`… until a range ends in `*`, and merged
 * so that the entry looks as if the server had sent every value at once.
 */
import type { Client, Entry } from 'ldapts'

const RANGED = /^(.+);range=(\d+)-(\d+|\*)$/i

type Raw = string | Buffer

const listOf = (raw: Entry[string]): Raw[] => (Array.isArray(raw) ? [...raw] : [raw])

/** `attribute;range=a-b` in the entry, if any, with the end (`*` = the last). */
function rangedKeyOf(entry: Entry, attribute: string): { key: string; end: string } | undefined {
  for (const key of Object.keys(entry)) {
    const m = RANGED.exec(key)
    if (m !== null && m[1]!.toLowerCase() === attribute.toLowerCase()) return { key, end: m[3]! }
  }
  return undefined
}

/** The attributes of the entry that came back ranged. */
function rangedAttributes(entry: Entry): string[] {
  return Object.keys(entry).flatMap((key) => {
    const m = RANGED.exec(key)
    return m === null ? [] : [m[1]!]
  })
}

/** Sets `attribute` to `values`, dropping every other spelling of it (ldapts adds `member: []` beside `member;range=…`). */
function replace(entry: Entry, attribute: string, values: Raw[]): void {
  for (const key of Object.keys(entry)) {
    const base = RANGED.exec(key)?.[1] ?? key
    if (key !== 'dn' && base.toLowerCase() === attribute.toLowerCase()) delete entry[key]
  }
  entry[attribute] = values as string[] | Buffer[]
}

/** The next chunk of `attribute` from `from` on, or undefined when the entry or the values went away meanwhile. */
async function fetchChunk(client: Client, dn: string, attribute: string, from: number, window: number) {
  const wanted = `${attribute};range=${from}-${from + window - 1}`
  const searchEntries = await client
    .search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [wanted] })
    .then(
      (result) => result.searchEntries,
      (error: unknown) => {
        if ((error as { code?: unknown }).code === 32) return [] // deleted or moved since its page came
        throw error
      },
    )
  const entry = searchEntries[0]
  const found = entry === undefined ? undefined : rangedKeyOf(entry, attribute)
  return found === undefined ? undefined : { ...found, values: listOf(entry![found.key]!) }
}

/**
 * Fetches the rest of a ranged attribute in windows as wide as the first chunk (the server's
 * MaxValRange). Asking for `a-b` rather than `a-*` gets the same answer from AD, and makes servers
 * that do not cap an open range (Samba) answer in the same steps.
 */
async function fetchRest(client: Client, entry: Entry, attribute: string): Promise<void> {
  let ranged = rangedKeyOf(entry, attribute)!
  const values = listOf(entry[ranged.key]!)
  const window = Math.max(1, values.length)
  while (ranged.end !== '*') {
    const chunk = await fetchChunk(client, entry.dn, attribute, Number(ranged.end) + 1, window)
    // Gone meanwhile, or a server that does not move on: keep what was read.
    if (chunk === undefined || chunk.values.length === 0) break
    values.push(...chunk.values)
    ranged = chunk
  }
  replace(entry, attribute, values)
}

/**
 * Completes, in place, every attribute of `entry` the server sent ranged. Ranged values are read
 * as text: AD ranges link attributes (member, memberOf), whose values are DNs.
 */
export async function completeRanges(client: Client, entry: Entry): Promise<void> {
  for (const attribute of rangedAttributes(entry)) await fetchRest(client, entry, attribute)
}

/** Whether any attribute of `entry` came ranged; checked without allocating, for every entry read. */
export function hasRanges(entry: Entry): boolean {
  for (const key in entry) if (key.includes(';range=')) return true
  return false
}
