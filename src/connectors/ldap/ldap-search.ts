/**
 * Paged searches (RFC 2696) handed out page by page: the search runs inside `LdapSession.use` on
 * one client (a paging cookie belongs to its connection) while the caller pulls pages at its own
 * pace, never more than one page ahead. Attributes AD sent ranged are completed before a page is
 * handed out (ldap-ranged.ts).
 *
 * OpenLDAP keeps one paged search per connection: a second one on the same connection invalidates
 * the first's cookie ("paged results cookie is invalid"). The pool shares clients between callers,
 * so paged searches on one client wait for each other.
 */
import type { Client, Entry, Filter } from 'ldapts'
import { completeRanges, hasRanges } from './ldap-ranged.ts'
import type { LdapSession } from './ldap-session.ts'
import { KNOWN_BINARY } from './ldap-table.ts'
import { translateLdapError } from './translate-error.ts'
import { Handoff } from './ldap-handoff.ts'

export interface PagedSearch {
  readonly base: string
  readonly scope: 'base' | 'one' | 'sub'
  readonly filter: Filter
  readonly attributes: readonly string[]
  /** Attributes to read as Buffers. */
  readonly binaryAttributes: readonly string[]
  readonly pageSize: number
  /** What is being done, for messages: `Cannot read table dir.users`. */
  readonly action: string
}

const pagedSearches = new WeakMap<Client, Promise<unknown>>()

/** Runs `work` once no other paged search runs on `client`. */
function oneAtATime<T>(client: Client, work: () => Promise<T>): Promise<T> {
  const run = (pagedSearches.get(client) ?? Promise.resolve()).then(work)
  pagedSearches.set(
    client,
    run.catch(() => undefined),
  )
  return run
}

/**
 * ldapts matches explicitBufferAttributes against the name the server returns, case-sensitively:
 * ask for the configured spelling, its lower case and the usual spelling of known binary attributes.
 */
export function bufferNames(attributes: readonly string[]): string[] {
  const names = new Set<string>()
  for (const attribute of attributes) {
    names.add(attribute).add(attribute.toLowerCase())
    const known = KNOWN_BINARY.find((k) => k.toLowerCase() === attribute.toLowerCase())
    if (known !== undefined) names.add(known)
  }
  return [...names]
}

async function produce(client: Client, search: PagedSearch, timeout: number, pages: Handoff<Entry[]>): Promise<void> {
  const results = client.searchPaginated(search.base, {
    scope: search.scope,
    filter: search.filter,
    attributes: [...search.attributes],
    explicitBufferAttributes: bufferNames(search.binaryAttributes),
    paged: { pageSize: search.pageSize },
    timeLimit: Math.ceil(timeout / 1000),
  })
  for await (const { searchEntries } of results) {
    for (const entry of searchEntries) if (hasRanges(entry)) await completeRanges(client, entry)
    if (!(await pages.put(searchEntries))) return // the caller stopped reading
  }
}

/** The entries of a paged search, page by page. Failures are CON_LDAP_ errors (32 on the base: CON_LDAP_BASE_NOT_FOUND). */
export async function* searchPages(
  session: LdapSession,
  search: PagedSearch,
): AsyncGenerator<Entry[], void, undefined> {
  const pages = new Handoff<Entry[]>()
  const context = { action: search.action, location: session.location, flavour: session.config.flavour }
  const done = session
    .use(search.action, (client) =>
      oneAtATime(client, () => produce(client, search, session.config.timeout, pages)).catch((error: unknown) => {
        throw translateLdapError(error, { ...context, searchBase: search.base })
      }),
    )
    .then(
      () => pages.end(),
      (error: unknown) => pages.end(error),
    )
  try {
    for (let page = await pages.take(); page !== undefined; page = await pages.take()) yield page
  } finally {
    pages.stop()
    await done
  }
}
