/**
 * AD's ranged retrieval: a server returns at most MaxValRange values of an attribute per request
 * (1500 by default on AD and Samba), as `member;range=0-1499`. The rest is fetched with base-scope
 * searches for `member;range=1500-*`, `member;range=3000-*`… until a range ends in `*`, and merged
 * so that the entry looks as if the server had sent every value at once.
 */
import type { Client, Entry } from 'ldapts'
import { ldapError } from './ldap-errors.ts'
import { attributeKey } from './ldap-values.ts'

const RANGED = /^(.+);range=(\d+)-(\d+|\*)$/i

type Raw = string | Buffer

const listOf = (raw: Entry[string]): Raw[] => (Array.isArray(raw) ? [...raw] : [raw])

/** A ranged key of the entry: the attribute, the key and the end of the range (`*` = the last). */
interface Ranged {
  readonly attribute: string
  readonly key: string
  readonly end: string
}

/** The ranged keys of the entry (`member;range=0-1499`), at most one per attribute. */
function rangedKeys(entry: Entry): Ranged[] {
  return Object.keys(entry).flatMap((key) => {
    const m = RANGED.exec(key)
    return m === null ? [] : [{ attribute: m[1]!, key, end: m[3]! }]
  })
}

/** Sets `attribute` to `values`, dropping its ranged key and other spellings (ldapts adds `member: []` beside `member;range=…`). */
function replace(entry: Entry, ranged: Ranged, values: Raw[]): void {
  delete entry[ranged.key]
  for (let key = attributeKey(entry, ranged.attribute); key !== undefined; key = attributeKey(entry, ranged.attribute))
    delete entry[key]
  entry[ranged.attribute] = values as string[] | Buffer[]
}

/** The next chunk of `attribute` from `from` on, or undefined when the entry or the values went away meanwhile. */
async function fetchChunk(
  client: Client,
  dn: string,
  attribute: string,
  from: number,
  window: number,
): Promise<{ end: string; values: Raw[] } | undefined> {
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
  // Only `attribute` was asked for: its one ranged key is the chunk.
  const found = entry === undefined ? undefined : rangedKeys(entry)[0]
  return found === undefined ? undefined : { end: found.end, values: listOf(entry![found.key]!) }
}

/**
 * Fetches the rest of a ranged attribute in windows as wide as the first chunk (the server's
 * MaxValRange). Asking for `a-b` rather than `a-*` gets the same answer from AD, and makes servers
 * that do not cap an open range (Samba) answer in the same steps. A chunk whose range does not end
 * further on than the last one is a server that would keep answering the same: the read fails
 * rather than loop, or keep a truncated member list that would read as removed members.
 */
async function fetchRest(client: Client, entry: Entry, ranged: Ranged): Promise<void> {
  const values = listOf(entry[ranged.key]!)
  const window = Math.max(1, values.length)
  let end = ranged.end
  while (end !== '*') {
    const chunk = await fetchChunk(client, entry.dn, ranged.attribute, Number(end) + 1, window)
    // Gone meanwhile (the entry, or the values beyond the last range): keep what was read.
    if (chunk === undefined || chunk.values.length === 0) break
    if (chunk.end !== '*' && Number(chunk.end) <= Number(end)) {
      throw ldapError(
        'CON_LDAP_FAILED',
        `Reading ${ranged.attribute} of ${entry.dn}: the server answered the range after ${end} with one that ends at ${chunk.end}, not further on.`,
        {
          hint: 'The directory does not move on in ranged retrieval (MaxValRange): check the server, or read the attribute from another domain controller.',
          details: { dn: entry.dn, attribute: ranged.attribute, end, next: chunk.end },
        },
      )
    }
    values.push(...chunk.values)
    end = chunk.end
  }
  replace(entry, ranged, values)
}

/**
 * Completes, in place, every attribute of `entry` the server sent ranged. Ranged values are read
 * as text: AD ranges link attributes (member, memberOf), whose values are DNs.
 */
export async function completeRanges(client: Client, entry: Entry): Promise<void> {
  for (const ranged of rangedKeys(entry)) await fetchRest(client, entry, ranged)
}

/** Whether any attribute of `entry` came ranged; checked without allocating, for every entry read. */
export function hasRanges(entry: Entry): boolean {
  for (const key in entry) if (key.includes(';range=')) return true
  return false
}
