/**
 * The searches of a table. Reads are paged (RFC 2696) and handed out page by page: the search runs
 * inside `LdapSession.use` on one client (a paging cookie belongs to its connection) while the
 * caller pulls pages at its own pace, never more than one page ahead. Lookups by key and read-backs
 * by DN are plain searches (a size limit, no paging control), so that they never wait behind a read
 * whose consumer is busy between two pages. Attributes AD sent ranged are completed before entries
 * are handed out (ldap-ranged.ts).
 *
 * The paging loop is the connector's own, not ldapts's searchPaginated: that one stops at the first
 * page without entries even when the server sent a cookie (RFC 2696 allows empty pages that are not
 * the last), and a read cut short there would turn the missing rows into deletions. Here the loop
 * ends only when the server's cookie is empty; a consumer that stops early makes the loop send the
 * size-0 request with the cookie, which tells the server to drop the search's state (RFC 2696 §3).
 * The loop uses ldapts's own request path (Client#_send), the one ldapts's paged search uses, as the
 * public API hands no response controls back.
 *
 * OpenLDAP keeps one paged search per connection: a second one on the same connection invalidates
 * the first's cookie ("paged results cookie is invalid"). The pool shares clients between callers,
 * so paged searches on one client wait for each other; plain searches do not.
 */
import {
  type Client,
  type Entry,
  type Filter,
  MessageResponseStatus,
  PagedResultsControl,
  SearchRequest,
  type SearchResponse,
  StatusCodeParser,
} from 'ldapts'
import { coreError } from '../../core/index.ts'
import { KNOWN_BINARY } from './ldap-attributes.ts'
import { ldapError } from './ldap-errors.ts'
import { Handoff } from './ldap-handoff.ts'
import { completeRanges, hasRanges } from './ldap-ranged.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapTablePlan } from './ldap-table.ts'
import { translateLdapError } from './translate-error.ts'

/** One search of a table's entries. */
interface TableSearch {
  readonly base: string
  readonly scope: 'base' | 'one' | 'sub'
  readonly filter: Filter
  /** From {@link requestedAttributes}. */
  readonly attributes: readonly string[]
  /** Attributes to read as Buffers. */
  readonly binaryAttributes: readonly string[]
}

export interface PagedSearch extends TableSearch {
  readonly pageSize: number
}

/**
 * The attributes a search of the table asks for, reads and lookups alike: the plan's (which include
 * what virtual columns and member lists need) and `extra` ones, each once; `1.1` (no attributes)
 * when there are none, where an empty list would mean all of them (on AD with every ranged one).
 */
export function requestedAttributes(plan: LdapTablePlan, extra: readonly string[] = []): string[] {
  const names = new Map<string, string>()
  for (const attribute of [...plan.attributes, ...extra]) {
    if (!names.has(attribute.toLowerCase())) names.set(attribute.toLowerCase(), attribute)
  }
  return names.size === 0 ? ['1.1'] : [...names.values()]
}

const KNOWN_BINARY_BY_NAME = new Map(KNOWN_BINARY.map((name) => [name.toLowerCase(), name]))

/**
 * ldapts matches explicitBufferAttributes against the name the server returns, case-sensitively:
 * ask for the configured spelling, its lower case and the usual spelling of known binary attributes.
 */
function bufferNames(attributes: readonly string[]): string[] {
  const names = new Set<string>()
  for (const attribute of attributes) {
    names.add(attribute).add(attribute.toLowerCase())
    const known = KNOWN_BINARY_BY_NAME.get(attribute.toLowerCase())
    if (known !== undefined) names.add(known)
  }
  return [...names]
}

const timeLimitOf = (session: LdapSession) => Math.ceil(session.config.timeout / 1000)

/** The part of ldapts's Client that sends a request and hands back the whole response, controls included. */
interface RequestPath {
  _nextMessageId(): number
  _send(message: SearchRequest): Promise<SearchResponse | undefined>
}

function requestPath(client: Client): RequestPath {
  const path = client as unknown as Partial<RequestPath>
  if (typeof path._send !== 'function' || typeof path._nextMessageId !== 'function') {
    throw coreError('BUG_UNEXPECTED', 'ldapts no longer has Client#_send: the paged search needs adapting.')
  }
  return path as RequestPath
}

/** One page of a paged search: its entries and the cookie for the next (empty after the last). */
async function requestPage(
  client: Client,
  search: TableSearch,
  timeLimit: number,
  size: number,
  cookie: Buffer,
): Promise<{ entries: Entry[]; cookie: Buffer }> {
  const path = requestPath(client)
  const request = new SearchRequest({
    messageId: path._nextMessageId(),
    baseDN: search.base,
    scope: search.scope,
    filter: search.filter,
    attributes: [...search.attributes],
    explicitBufferAttributes: bufferNames(search.binaryAttributes),
    timeLimit,
    controls: [new PagedResultsControl({ value: { size, cookie } })],
  })
  const response = await path._send(request)
  if (response?.status !== MessageResponseStatus.Success) throw StatusCodeParser.parse(response)
  const control = response.controls?.find((c): c is PagedResultsControl => c instanceof PagedResultsControl)
  return {
    entries: response.searchEntries.map((e) => e.toObject(request.attributes, request.explicitBufferAttributes)),
    cookie: control?.value?.cookie ?? Buffer.alloc(0),
  }
}

/**
 * The pages of a paged search on `client`, until the server's cookie is empty; ranged attributes
 * completed. Stopped early (`return()`), it sends the size-0 request that ends the search on the
 * server. A server that answers an empty page with the cookie it was given would loop: it fails.
 */
export async function* pagesOf(
  client: Client,
  search: PagedSearch,
  timeLimit: number,
): AsyncGenerator<Entry[], void, undefined> {
  let cookie: Buffer = Buffer.alloc(0)
  let done = false
  try {
    for (;;) {
      const page = await requestPage(client, search, timeLimit, search.pageSize, cookie)
      if (page.entries.length === 0 && page.cookie.length > 0 && page.cookie.equals(cookie)) {
        throw ldapError(
          'CON_LDAP_FAILED',
          `The paged search of ${search.base} does not move on: the server answered with no entries and the same cookie.`,
          { details: { base: search.base } },
        )
      }
      cookie = page.cookie
      done = cookie.length === 0
      for (const entry of page.entries) if (hasRanges(entry)) await completeRanges(client, entry)
      yield page.entries
      if (done) return
    }
  } finally {
    if (!done && cookie.length > 0) await requestPage(client, search, timeLimit, 0, cookie).catch(() => undefined)
  }
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

/** A failed search, translated here where its base is known (32 on the base: CON_LDAP_BASE_NOT_FOUND). */
function searchFailure(session: LdapSession, action: string, base: string, error: unknown) {
  return translateLdapError(error, {
    action,
    location: session.currentUrl,
    flavour: session.config.flavour,
    searchBase: base,
  })
}

/**
 * The entries of a paged search, page by page. `prepare` runs on the search's client right before
 * the search and gives it: what must meet the same server as the search (AD's USN watermark) is
 * read there. Failures are CON_LDAP_ errors (32 on the base: CON_LDAP_BASE_NOT_FOUND).
 */
export async function* searchPages(
  session: LdapSession,
  action: string,
  prepare: (client: Client) => Promise<PagedSearch>,
): AsyncGenerator<Entry[], void, undefined> {
  const pages = new Handoff<Entry[]>()
  const done = session
    .use(action, (client) =>
      oneAtATime(client, async () => {
        const search = await prepare(client)
        try {
          for await (const entries of pagesOf(client, search, timeLimitOf(session))) {
            if (!(await pages.put(entries))) return // the caller stopped reading
          }
        } catch (error) {
          throw searchFailure(session, action, search.base, error)
        }
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

/**
 * The entries of one plain search (no paging control), at most `limit` (the server's size limit
 * answer then counts as success): lookups by key and read-backs by DN. Failures are CON_LDAP_
 * errors (32 on the base: CON_LDAP_BASE_NOT_FOUND).
 */
export function searchEntries(
  session: LdapSession,
  action: string,
  search: TableSearch,
  limit: number,
): Promise<Entry[]> {
  return session.use(action, async (client) => {
    try {
      const { searchEntries: entries } = await client.search(search.base, {
        scope: search.scope,
        filter: search.filter,
        attributes: [...search.attributes],
        explicitBufferAttributes: bufferNames(search.binaryAttributes),
        sizeLimit: limit,
        timeLimit: timeLimitOf(session),
      })
      for (const entry of entries) if (hasRanges(entry)) await completeRanges(client, entry)
      return entries
    } catch (error) {
      throw searchFailure(session, action, search.base, error)
    }
  })
}
