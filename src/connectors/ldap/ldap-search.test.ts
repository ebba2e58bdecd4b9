/**
 * The paging loop and ranged retrieval against servers that misbehave in ways the test servers
 * cannot be made to: an empty page that is not the last (RFC 2696 allows it; AD sends one when a
 * page's time runs out), a server repeating its cookie, one whose ranges do not move on. The server
 * is stood in for at ldapts's request path (Client#_send, what the paging loop uses); the real
 * directories show the same loop end early (the size-0 request) in ldap-read.test.ts.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SearchRequest } from 'ldapts'
import {
  Attribute,
  type Client,
  type Entry,
  PagedResultsControl,
  PresenceFilter,
  SearchEntry,
  SearchResponse,
} from 'ldapts'
import { isProvisioError } from '../../core/index.ts'
import { completeRanges } from './ldap-ranged.ts'
import { type PagedSearch, pagesOf } from './ldap-search.ts'

const SEARCH: PagedSearch = {
  base: 'ou=people,dc=example,dc=test',
  scope: 'sub',
  filter: new PresenceFilter({ attribute: 'objectClass' }),
  attributes: ['cn'],
  binaryAttributes: [],
  pageSize: 2,
}

interface Page {
  readonly names: readonly string[]
  readonly cookie: string
}

/**
 * A stand-in for the server: answers the n-th paged request with the n-th page, and records each
 * request's page size and cookie.
 */
function serverOf(pages: readonly Page[]): { client: Client; asked: { size: number; cookie: string }[] } {
  const asked: { size: number; cookie: string }[] = []
  let messageId = 0
  const client = {
    _nextMessageId: () => ++messageId,
    _send: async (request: SearchRequest) => {
      const control = request.controls?.find((c) => c instanceof PagedResultsControl)
      asked.push({ size: control?.value?.size ?? -1, cookie: control?.value?.cookie?.toString() ?? '' })
      const page = control?.value?.size === 0 ? { names: [], cookie: '' } : pages[asked.length - 1]!
      return new SearchResponse({
        messageId: request.messageId,
        searchEntries: page.names.map(
          (name) =>
            new SearchEntry({
              messageId: request.messageId,
              name: `cn=${name},${SEARCH.base}`,
              attributes: [new Attribute({ type: 'cn', values: [name] })],
            }),
        ),
        controls: [new PagedResultsControl({ value: { size: 0, cookie: Buffer.from(page.cookie) } })],
      })
    },
  }
  return { client: client as unknown as Client, asked }
}

async function namesOf(pages: AsyncIterable<Entry[]>): Promise<string[][]> {
  const names: string[][] = []
  for await (const page of pages) names.push(page.map((e) => String(e['cn'])))
  return names
}

describe('the paging loop', () => {
  it('goes on past an empty page that carries a cookie, to the one whose cookie is empty', async () => {
    const { client, asked } = serverOf([
      { names: ['a', 'b'], cookie: 'c1' },
      { names: [], cookie: 'c2' },
      { names: ['c'], cookie: '' },
    ])
    assert.deepEqual(await namesOf(pagesOf(client, SEARCH, 10)), [['a', 'b'], [], ['c']])
    assert.deepEqual(asked, [
      { size: 2, cookie: '' },
      { size: 2, cookie: 'c1' },
      { size: 2, cookie: 'c2' },
    ])
  })

  it('fails when the server answers an empty page with the cookie it was given (it would never end)', async () => {
    const { client } = serverOf([
      { names: ['a', 'b'], cookie: 'c1' },
      { names: [], cookie: 'c1' },
    ])
    const error = await namesOf(pagesOf(client, SEARCH, 10)).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    )
    assert.ok(isProvisioError(error))
    assert.equal(error.code, 'CON_LDAP_FAILED')
    assert.match(error.message, /does not move on/)
  })

  it('ends the search on the server when the consumer stops early: size 0 with the last cookie', async () => {
    const { client, asked } = serverOf([
      { names: ['a', 'b'], cookie: 'c1' },
      { names: ['c', 'd'], cookie: 'c2' },
      { names: ['e'], cookie: '' },
    ])
    for await (const page of pagesOf(client, SEARCH, 10)) {
      assert.equal(page.length, 2)
      break
    }
    assert.deepEqual(asked, [
      { size: 2, cookie: '' },
      { size: 0, cookie: 'c1' },
    ])
    // After the last page there is nothing to end.
    const whole = serverOf([{ names: ['a'], cookie: '' }])
    await namesOf(pagesOf(whole.client, SEARCH, 10))
    assert.deepEqual(whole.asked, [{ size: 2, cookie: '' }])
  })
})

describe('ranged retrieval', () => {
  /** A server that answers every ranged request with `answer` (the key it sends and the values). */
  function rangedServer(answer: (asked: string) => Record<string, string[]>): Client {
    return {
      search: async (dn: string, options: { attributes: string[] }) => ({
        searchEntries: [{ dn, ...answer(options.attributes[0]!) }],
        searchReferences: [],
      }),
    } as unknown as Client
  }

  it('fails when the range does not move on, rather than loop or keep a truncated list', async () => {
    const entry: Entry = { dn: 'CN=Big,DC=x', 'member;range=0-1': ['CN=a', 'CN=b'], member: [] }
    // Asked for 2-3, it answers 0-1 again: a server that would be asked the same forever.
    const error = await completeRanges(
      rangedServer(() => ({ 'member;range=0-1': ['CN=a', 'CN=b'] })),
      entry,
    ).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    )
    assert.ok(isProvisioError(error))
    assert.equal(error.code, 'CON_LDAP_FAILED')
    assert.match(error.message, /member of CN=Big,DC=x: the server answered the range after 1 with one that ends at 1/)
  })

  it('merges the ranges into the attribute, in windows as wide as the first', async () => {
    const entry: Entry = { dn: 'CN=Big,DC=x', 'member;range=0-1': ['CN=a', 'CN=b'], member: [] }
    const asked: string[] = []
    await completeRanges(
      rangedServer((attribute) => {
        asked.push(attribute)
        return attribute === 'member;range=2-3'
          ? { 'member;range=2-3': ['CN=c', 'CN=d'] }
          : { 'member;range=4-*': ['CN=e'] }
      }),
      entry,
    )
    assert.deepEqual(asked, ['member;range=2-3', 'member;range=4-5'])
    assert.deepEqual(entry, { dn: 'CN=Big,DC=x', member: ['CN=a', 'CN=b', 'CN=c', 'CN=d', 'CN=e'] })
  })
})
