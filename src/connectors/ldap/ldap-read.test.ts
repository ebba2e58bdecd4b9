/**
 * Reading tables from the real directories: paged full reads, every column type and the string
 * forms of objectGUID, objectSid and entryUUID, the virtual columns, multi-valued attributes,
 * memberships, AD's ranged retrieval (a group of more than 1,500 members), incremental reads, and
 * what goes wrong (a bad filter, a missing base, a value that does not fit, an aborted read).
 * Every test works in an OU of its own.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Attribute, Change, type Client, PagedResultsControl, SearchRequest } from 'ldapts'
import { isProvisioError, type Row } from '../../core/index.ts'
import { ldapTable, planOf, readPages, rowsOf, sessionOf } from '../../../test/support/ldap-kit.ts'
import {
  type FreshOu,
  freshOu,
  skipReason,
  TEST_DIRECTORIES,
  type TestDirectory,
} from '../../../test/support/ldap-servers.ts'
import { canonicalDn, childDn, normalizeDn } from './ldap-dn.ts'
import { lookupEntry } from './ldap-lookup.ts'
import { completeRanges } from './ldap-ranged.ts'
import { readEntries } from './ldap-read.ts'
import type { LdapSession } from './ldap-session.ts'

const byName = (a: Row, b: Row) => String(a['name']).localeCompare(String(b['name']))
const unique = `${process.pid}${Date.now().toString(36)}`.slice(-10)

async function rejection(work: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  try {
    await work
  } catch (error) {
    return error as never
  }
  assert.fail('expected a rejection')
}

/** The test's people: `name` (cn) with awkward characters, one disabled, one with two mail addresses. */
const PEOPLE = [
  { name: 'Jansen, Jan', given: 'Jan', mail: ['jan@example.test'], enabled: true },
  { name: 'O\'Brien "Bob"', given: 'Bob', mail: ['bob@example.test', 'bobby@example.test'], enabled: false },
  { name: 'Zoë Ødegård', given: 'Zoë', mail: [], enabled: true },
  { name: '王 伟', given: '伟', mail: ['wang@example.test'], enabled: true },
  { name: '*)(cn=*', given: 'Star', mail: ['star@example.test'], enabled: true },
]

function adUser(person: (typeof PEOPLE)[number], i: number): Record<string, string | string[]> {
  return {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: `rd${unique}${i}`,
    givenName: person.given,
    sn: `Sn${i}`,
    // 0x20 PASSWD_NOTREQD lets an account without a password be enabled; 0x2 disables it.
    userAccountControl: String(0x200 | 0x20 | (person.enabled ? 0 : 0x2)),
    ...(person.mail.length === 0 ? {} : { proxyAddresses: person.mail.map((m) => `smtp:${m}`) }),
    msNPAllowDialin: i % 2 === 0 ? 'TRUE' : 'FALSE',
  }
}

function ldapUser(person: (typeof PEOPLE)[number], i: number): Record<string, string | string[]> {
  return {
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    cn: person.name,
    uid: `rd${unique}${i}`,
    givenName: person.given,
    sn: `Sn${i}`,
    employeeNumber: String(1000 + i),
    ...(person.mail.length === 0 ? {} : { mail: person.mail }),
    ...(person.enabled ? {} : { employeeType: 'disabled' }),
  }
}

/** The people under `ou`, named by cn; their DNs in PEOPLE's order. */
async function addPeople(server: TestDirectory, client: Client, ou: string): Promise<string[]> {
  const dns: string[] = []
  for (const [i, person] of PEOPLE.entries()) {
    const dn = childDn('cn', person.name, ou)
    await client.add(dn, server.kind === 'ad' ? adUser(person, i) : ldapUser(person, i))
    dns.push(dn)
  }
  return dns
}

async function addGroup(server: TestDirectory, client: Client, dn: string, members: readonly string[]): Promise<void> {
  if (server.kind === 'ad') {
    await client.add(dn, {
      objectClass: ['top', 'group'],
      sAMAccountName: `g${unique}${dn.length}${members.length}`,
      ...(members.length === 0 ? {} : { member: [...members] }),
    })
  } else {
    await client.add(dn, { objectClass: ['top', 'groupOfNames'], member: [...members] })
  }
}

const modify = (client: Client, dn: string, type: string, values: string[], operation: 'replace' | 'add' = 'replace') =>
  client.modify(dn, new Change({ operation, modification: new Attribute({ type, values }) }))

/** The users table of each flavour, with a `name` column (cn) to sort by. */
function usersTable(server: TestDirectory, base: string, extra: Record<string, unknown> = {}) {
  const ad = server.kind === 'ad'
  return ldapTable(
    'users',
    ad
      ? [
          'objectGUID',
          'objectSid',
          'dn',
          'parent',
          'enabled:boolean',
          { name: 'name', source: 'cn' },
          'givenName',
          { name: 'login', source: 'sAMAccountName' },
          'proxyAddresses:string[]',
          'userAccountControl:integer',
          'msNPAllowDialin:boolean',
          'whenCreated:datetime',
          { name: 'createdOn', source: 'whenCreated', type: 'date' },
        ]
      : [
          'entryUUID',
          'dn',
          'parent',
          'enabled:boolean',
          { name: 'name', source: 'cn' },
          'givenName',
          { name: 'login', source: 'uid' },
          { name: 'mail', source: 'mail', type: 'string[]' },
          'employeeNumber:integer',
          'createTimestamp:datetime',
          { name: 'createdOn', source: 'createTimestamp', type: 'date' },
        ],
    {
      primaryKey: ad ? 'objectGUID' : 'entryUUID',
      referenceKeys: ['dn'],
      options: { base, ...(ad ? {} : { disable: { attribute: 'employeeType', disabledValue: 'disabled' } }), ...extra },
    },
  )
}

for (const server of TEST_DIRECTORIES.length > 0 ? TEST_DIRECTORIES : [undefined]) {
  const kind = server?.kind ?? 'ldap'
  describe(`ldap reads (${kind})`, { skip: skipReason(kind) }, () => {
    let ou: FreshOu
    let staff: string
    let groups: string
    let people: string[]
    let session: LdapSession

    before(async () => {
      ou = await freshOu(server!, 'read')
      staff = await addOu(ou.client, 'Staff, Sales', ou.dn)
      groups = await addOu(ou.client, 'groups', ou.dn)
      people = await addPeople(server!, ou.client, staff)
      await addGroup(server!, ou.client, childDn('cn', 'Everyone', groups), people)
      await addGroup(server!, ou.client, childDn('cn', 'Few', groups), people.slice(0, 2))
      if (server!.kind === 'ad') await addGroup(server!, ou.client, childDn('cn', 'Empty', groups), [])
      session = sessionOf(server!)
    })
    after(async () => {
      await session?.close()
      await ou?.remove()
    })

    it('reads every entry in pages of the page size, typed, with the virtual columns', async () => {
      const pages = await readPages(session, usersTable(server!, staff, { pageSize: 2 }))
      assert.deepEqual(
        pages.map((p) => p.rows.length),
        [2, 2, 1, 0], // the last, empty page carries the watermark
      )
      for (const page of pages) assert.equal(page.source, `dir.users (${staff})`)
      const rows = rowsOf(pages).sort(byName)
      assert.deepEqual(
        rows.map((r) => r['name']),
        PEOPLE.map((p) => p.name).sort((a, b) => a.localeCompare(b)),
      )
      for (const row of rows) {
        const i = PEOPLE.findIndex((p) => p.name === row['name'])
        const person = PEOPLE[i]!
        assert.equal(normalizeDn(String(row['dn'])), normalizeDn(people[i]!))
        assert.equal(normalizeDn(String(row['parent'])), normalizeDn(staff))
        assert.equal(row['enabled'], person.enabled)
        assert.equal(row['givenName'], person.given)
        assert.equal(row['login'], `rd${unique}${i}`)
        assert.match(String(row['whenCreated'] ?? row['createTimestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
        assert.equal(row['createdOn'], String(row['whenCreated'] ?? row['createTimestamp']).slice(0, 10))
        if (server!.kind === 'ad') {
          assert.deepEqual(
            row['proxyAddresses'],
            person.mail.length === 0 ? null : person.mail.map((m) => `smtp:${m}`).sort(),
          )
          assert.equal(row['userAccountControl'], 0x220 | (person.enabled ? 0 : 2))
          assert.equal(row['msNPAllowDialin'], i % 2 === 0)
        } else {
          assert.deepEqual(row['mail'], person.mail.length === 0 ? null : [...person.mail].sort())
          assert.equal(row['employeeNumber'], 1000 + i)
        }
      }
    })

    it('reads a table of virtual columns only, the parent in the standard spelling of the container', async () => {
      const table = ldapTable('users', ['dn', 'parent'], { options: { base: staff } })
      const rows = rowsOf(await readPages(session, table))
      const { searchEntries } = await ou.client.search(staff, { scope: 'base', attributes: ['1.1'] })
      assert.equal(rows.length, PEOPLE.length)
      // OpenLDAP spells the container `ou=Staff\2C Sales`; rows carry escapeDnValue's `\,` (as escape_dn builds it).
      for (const row of rows) assert.equal(row['parent'], canonicalDn(searchEntries[0]!.dn))
    })

    it('gives objectGUID and objectSid the forms AD itself resolves, and entryUUID as text', async () => {
      const rows = rowsOf(await readPages(session, usersTable(server!, staff)))
      for (const row of rows) {
        if (server!.kind === 'ldap') {
          assert.match(String(row['entryUUID']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
          continue
        }
        assert.match(String(row['objectGUID']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/)
        assert.match(String(row['objectSid']), /^S-1-5-21-\d+-\d+-\d+-\d+$/)
        // Samba resolves <GUID=…> and <SID=…> in its own reading of the string forms.
        for (const base of [`<GUID=${row['objectGUID']}>`, `<SID=${row['objectSid']}>`]) {
          const { searchEntries } = await ou.client.search(base, { scope: 'base', attributes: ['cn'] })
          assert.equal(canonicalDn(searchEntries[0]!.dn), row['dn'], base)
        }
      }
    })

    it('reads the members of each group, one row per pair; an empty group gives none', async () => {
      const table = ldapTable('memberships', ['group', 'member', { name: 'groupName', source: 'cn' }], {
        options: { base: groups },
      })
      const pages = await readPages(session, table)
      assert.equal(pages.at(-1)!.watermark, undefined)
      const pair = (name: unknown, member: unknown, group: unknown) =>
        `${String(name)}|${normalizeDn(String(member))}|${normalizeDn(String(group))}`
      const pairs = rowsOf(pages).map((r) => pair(r['groupName'], r['member'], r['group']))
      const expected = [
        ...people.map((p) => pair('Everyone', p, childDn('cn', 'Everyone', groups))),
        ...people.slice(0, 2).map((p) => pair('Few', p, childDn('cn', 'Few', groups))),
      ]
      assert.deepEqual(pairs.sort(), expected.sort())
    })

    it('reads a group with its member list as a string[] column', async () => {
      const table = ldapTable('groups', [{ name: 'name', source: 'cn' }, 'member:string[]'], {
        options: { base: groups },
      })
      const rows = rowsOf(await readPages(session, table)).sort(byName)
      assert.deepEqual(
        rows.map((r) => [r['name'], (r['member'] as string[] | null)?.length ?? 0]),
        server!.kind === 'ad'
          ? [
              ['Empty', 0],
              ['Everyone', 5],
              ['Few', 2],
            ]
          : [
              ['Everyone', 5],
              ['Few', 2],
            ],
      )
    })

    it('refuses a filter that is not one, naming the table and the option', async () => {
      const error = await rejection(readPages(session, usersTable(server!, staff, { filter: '(cn=*' })))
      assert.equal(error.code, 'CON_LDAP_INVALID_FILTER')
      assert.match(error.message, /table dir\.users \(`options\.filter`\)/)
    })

    it('says which base does not exist', async () => {
      const base = childDn('ou', 'nowhere', ou.dn)
      const error = await rejection(readPages(session, usersTable(server!, base)))
      assert.equal(error.code, 'CON_LDAP_BASE_NOT_FOUND')
      assert.match(error.hint ?? '', /nowhere/)
    })

    it('names the entry and attribute of a value that does not fit its column', async () => {
      const table = ldapTable('users', ['dn', { name: 'n', source: 'givenName', type: 'integer' }], {
        options: { base: staff },
      })
      const error = await rejection(readPages(session, table))
      assert.ok(isProvisioError(error))
      assert.equal(error.code, 'CON_LDAP_UNREADABLE_VALUE')
      assert.match(error.message, /dir\.users\.n: givenName of .*(Staff|staff)/)
    })

    it('refuses digits in a datetime column outside AD FILETIME attributes, rather than read them as 1601', async () => {
      // employeeNumber holds 1000…1004 on OpenLDAP; userAccountControl is an integer on AD, not a FILETIME.
      const attribute = server!.kind === 'ad' ? 'userAccountControl' : 'employeeNumber'
      const table = ldapTable('users', ['dn', `${attribute}:datetime`], { options: { base: staff } })
      const error = await rejection(readPages(session, table))
      assert.equal(error.code, 'CON_LDAP_UNREADABLE_VALUE')
      assert.match(
        error.message,
        new RegExp(`dir\\.users\\.${attribute}: ${attribute} of .* is "\\d+", not a GeneralizedTime`),
      )
      assert.match(error.hint!, /FILETIME attributes/)
    })

    it('answers a lookup while a read on the same connection waits between pages', { timeout: 30_000 }, async () => {
      // One connection, pages of one: the read's consumer looks an entry up before it takes the next page.
      const single = sessionOf(server!, { connections: 1 })
      try {
        const table = usersTable(server!, staff, { pageSize: 1 })
        const plan = planOf(single, table)
        const pages = readEntries(single, plan, { table })[Symbol.asyncIterator]()
        const first = await pages.next()
        assert.ok(first.done !== true)
        const row = await lookupEntry(single, plan, 'login', `rd${unique}3`)
        assert.equal(row?.['name'], PEOPLE[3]!.name)
        let rows = first.value.rows.length
        for (let next = await pages.next(); next.done !== true; next = await pages.next())
          rows += next.value.rows.length
        assert.equal(rows, PEOPLE.length)
      } finally {
        await single.close()
      }
    })

    it('looks entries up with plain searches that ask for what the table reads', async () => {
      const single = sessionOf(server!, { connections: 1 })
      try {
        const sent = await spyOnSearches(single)
        const users = usersTable(server!, staff)
        assert.equal(
          (await lookupEntry(single, planOf(single, users), 'login', `rd${unique}1`))?.['name'],
          PEOPLE[1]!.name,
        )
        // A table of virtual columns only asks for no attributes ('1.1'), as its read does, not for all.
        const virtual = ldapTable('users', ['dn', 'parent'], { options: { base: staff } })
        const byDnRow = await lookupEntry(single, planOf(single, virtual), 'dn', people[1]!)
        assert.equal(normalizeDn(String(byDnRow?.['parent'])), normalizeDn(staff))
        const [byKey, byDn] = sent
        assert.deepEqual([byKey!.paged, byKey!.sizeLimit, byKey!.scope], [undefined, 2, 'sub'])
        assert.ok(byKey!.attributes.includes(server!.kind === 'ad' ? 'sAMAccountName' : 'uid'))
        assert.deepEqual([byDn!.paged, byDn!.sizeLimit, byDn!.scope, byDn!.attributes], [undefined, 1, 'base', ['1.1']])
        const readSent = sent.length
        await readPages(single, virtual)
        const read = sent.slice(readSent)
        assert.deepEqual(read.find((r) => r.paged !== undefined)!.attributes, ['1.1'])
        // On AD the watermark comes from the root DSE, read right before the search on its connection.
        if (server!.kind === 'ad') {
          assert.deepEqual(read[0]!.attributes, ['dsServiceName', 'highestCommittedUSN'])
          assert.equal(read[1]!.paged?.cookie, 0)
        }
      } finally {
        await single.close()
      }
    })

    it('ends a read stopped early on the server: a last request of size 0 with the cookie', async () => {
      const single = sessionOf(server!, { connections: 1 })
      try {
        const sent = await spyOnSearches(single)
        const table = usersTable(server!, staff, { pageSize: 2 })
        for await (const page of readEntries(single, planOf(single, table), { table })) {
          assert.equal(page.rows.length, 2)
          break
        }
        const paged = sent.filter((s) => s.paged !== undefined)
        assert.deepEqual(paged[0]!.paged, { size: 2, cookie: 0 })
        assert.equal(paged.at(-1)!.paged!.size, 0)
        assert.ok(paged.at(-1)!.paged!.cookie > 0)
        // The connection goes on as before.
        assert.equal(rowsOf(await readPages(single, table)).length, PEOPLE.length)
      } finally {
        await single.close()
      }
    })

    if (kind === 'ldap') {
      it('reads the members of groupOfUniqueNames groups beside those of groupOfNames ones', async () => {
        const group = childDn('cn', 'Unique', groups)
        // The second member with the optional UID part of uniqueMember's syntax (RFC 4517 Name and Optional UID).
        await ou.client.add(group, {
          objectClass: ['top', 'groupOfUniqueNames'],
          cn: 'Unique',
          uniqueMember: [people[3]!, `${people[4]!}#'0101'B`],
        })
        try {
          const memberships = ldapTable('memberships', ['group', 'member', { name: 'groupName', source: 'cn' }], {
            options: { base: groups },
          })
          const rows = rowsOf(await readPages(session, memberships))
          assert.deepEqual(
            rows
              .filter((r) => r['groupName'] === 'Unique')
              .map((r) => normalizeDn(String(r['member'])))
              .sort(),
            [people[3]!, people[4]!].map(normalizeDn).sort(),
          )
          assert.equal(rows.filter((r) => r['groupName'] === 'Everyone').length, PEOPLE.length)
          const groupsTable = ldapTable('groups', [{ name: 'name', source: 'cn' }, 'member:string[]'], {
            options: { base: groups },
          })
          const unique = rowsOf(await readPages(session, groupsTable)).find((r) => r['name'] === 'Unique')
          assert.equal((unique?.['member'] as string[] | undefined)?.length, 2)
          // With `memberAttribute` set, only that attribute is read.
          const onlyMember = ldapTable('memberships', ['group', 'member', { name: 'groupName', source: 'cn' }], {
            options: { base: groups, memberAttribute: 'member' },
          })
          assert.ok(!rowsOf(await readPages(session, onlyMember)).some((r) => r['groupName'] === 'Unique'))
        } finally {
          await ou.client.del(group)
        }
      })
    }

    it('stops at an abort between pages and leaves the connection usable', async () => {
      const single = sessionOf(server!, { connections: 1 })
      try {
        const table = usersTable(server!, staff, { pageSize: 1 })
        const controller = new AbortController()
        const seen: number[] = []
        const error = await rejection(
          (async () => {
            for await (const page of readEntries(single, planOf(single, table), { table, signal: controller.signal })) {
              seen.push(page.rows.length)
              controller.abort()
            }
          })(),
        )
        assert.equal(error.name, 'AbortError')
        assert.deepEqual(seen, [1])
        assert.equal(rowsOf(await readPages(single, table)).length, PEOPLE.length)
      } finally {
        await single.close()
      }
    })

    it('runs two paged reads side by side on one connection', async () => {
      const single = sessionOf(server!, { connections: 1 })
      try {
        const table = usersTable(server!, staff, { pageSize: 1 })
        const [a, b] = await Promise.all([readPages(single, table), readPages(single, table)])
        assert.equal(rowsOf(a).length, PEOPLE.length)
        assert.equal(rowsOf(b).length, PEOPLE.length)
      } finally {
        await single.close()
      }
    })

    describe('incremental reads', () => {
      const prefix = server?.kind === 'ad' ? 'ad-usn:' : 'ldap-ts:'

      it('returns a watermark on the last page of a full read, also of an empty table', async () => {
        const pages = await readPages(session, usersTable(server!, staff, { pageSize: 2 }))
        assert.deepEqual(
          pages.map((p) => [p.rows.length, p.watermark === undefined]),
          [
            [2, true],
            [2, true],
            [1, true],
            [0, false],
          ],
        )
        assert.ok(pages.at(-1)!.watermark!.startsWith(prefix))
        assert.ok(pages.every((p) => p.delta === undefined))
        const empty = await readPages(session, usersTable(server!, groups))
        assert.deepEqual(
          empty.map((p) => [p.rows.length, p.watermark?.startsWith(prefix)]),
          [[0, true]],
        )
      })

      it('reads only what changed since the watermark, marked delta', async () => {
        const table = usersTable(server!, staff, { pageSize: 2 })
        let since = (await readPages(session, table)).at(-1)!.watermark!
        if (server!.kind === 'ldap') {
          // The watermark lies five minutes back (clock skew): start after the people were made instead.
          since = `ldap-ts:${await serverTimeAfterSetup(ou.client, staff)}`
        }
        await modify(ou.client, people[2]!, 'givenName', ['Zoë-Changed'])
        const pages = await readPages(session, table, { since })
        assert.ok(pages.length >= 1)
        assert.ok(pages.every((p) => p.delta === true))
        assert.deepEqual(
          rowsOf(pages).map((r) => [r['name'], r['givenName']]),
          [[PEOPLE[2]!.name, 'Zoë-Changed']],
        )
        assert.ok(pages.at(-1)!.watermark!.startsWith(prefix))
        // Nothing changed since the newest watermark (AD: exact; ldap: the skew allowance rereads).
        if (server!.kind === 'ad') {
          const none = await readPages(session, table, { since: pages.at(-1)!.watermark })
          assert.deepEqual(
            none.map((p) => [p.rows.length, p.delta]),
            [[0, true]],
          )
        }
      })

      if (kind === 'ldap') {
        it('reads from its own watermark what changed since its read minus the clock skew, and no more', async () => {
          // The session's clock runs five minutes (the skew allowance) and a second ahead of the
          // server's, so the watermark of a full read falls right after the last change so far.
          const after = await serverTimeAfterSetup(ou.client, staff)
          const clock = { now: () => new Date(Date.parse(isoOf(after)) + 5 * 60_000) }
          const ahead = sessionOf(server!, {}, clock)
          try {
            const table = usersTable(server!, staff)
            const since = (await readPages(ahead, table)).at(-1)!.watermark!
            assert.equal(since, `ldap-ts:${after}`)
            await modify(ou.client, people[1]!, 'givenName', ['Bob-Changed'])
            const pages = await readPages(ahead, table, { since })
            assert.ok(pages.every((p) => p.delta === true))
            // The changed entry is read; those changed before the watermark are not.
            assert.deepEqual(
              rowsOf(pages).map((r) => [r['name'], r['givenName']]),
              [[PEOPLE[1]!.name, 'Bob-Changed']],
            )
          } finally {
            await ahead.close()
          }
        })
      }

      it('reads in full from a watermark of another server or another form', async () => {
        const table = usersTable(server!, staff)
        const foreign = [
          'ad-usn:CN=NTDS Settings,CN=DC9,CN=Servers,CN=Site,CN=Sites,CN=Configuration,DC=other,DC=test:5',
          'ldap-ts:not-a-time',
          'ad-usn:not a dn:5',
          'something else',
          server!.kind === 'ad' ? 'ldap-ts:20260101000000Z' : 'ad-usn:CN=x:5',
        ]
        for (const since of foreign) {
          const pages = await readPages(session, table, { since })
          assert.equal(rowsOf(pages).length, PEOPLE.length, since)
          assert.ok(
            pages.every((p) => p.delta === undefined),
            since,
          )
          assert.ok(pages.at(-1)!.watermark!.startsWith(prefix), since)
        }
      })

      it('never reads memberships or tables with memberOf incrementally', async () => {
        const since = (await readPages(session, usersTable(server!, staff))).at(-1)!.watermark!
        const memberships = ldapTable('memberships', ['group', 'member'], { options: { base: groups } })
        const withMemberOf = ldapTable('users', ['dn', 'memberOf:string[]'], { options: { base: staff } })
        for (const table of [memberships, withMemberOf]) {
          const pages = await readPages(session, table, { since })
          assert.ok(rowsOf(pages).length > 0)
          assert.ok(pages.every((p) => p.delta === undefined && p.watermark === undefined))
        }
      })
    })
  })
}

/** `20261204210000Z` as ISO 8601. */
const isoOf = (generalized: string) =>
  generalized.replace(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')

interface SentSearch {
  readonly scope: string
  readonly attributes: readonly string[]
  readonly sizeLimit: number
  /** The paged results control: its size and the length of its cookie. */
  readonly paged: { size: number; cookie: number } | undefined
}

/**
 * Records every search request the (single) client of `session` sends from now on, as the server
 * receives it: a look at the wire, the directory answers as usual.
 */
async function spyOnSearches(session: LdapSession): Promise<SentSearch[]> {
  const sent: SentSearch[] = []
  await session.use('Spy', async (client) => {
    const path = client as unknown as { _send(message: unknown): Promise<unknown> }
    const send = path._send.bind(client)
    path._send = (message: unknown) => {
      if (message instanceof SearchRequest) {
        const control = message.controls?.find((c) => c instanceof PagedResultsControl)
        sent.push({
          scope: message.scope,
          attributes: [...message.attributes],
          sizeLimit: message.sizeLimit,
          paged:
            control === undefined
              ? undefined
              : { size: control.value?.size ?? -1, cookie: control.value?.cookie?.length ?? 0 },
        })
      }
      return send(message)
    }
  })
  return sent
}

/** Adds an OU named `name` (escaped) under `parent`. */
async function addOu(client: Client, name: string, parent: string): Promise<string> {
  const dn = childDn('ou', name, parent)
  await client.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: name })
  return dn
}

/**
 * A GeneralizedTime after every entry under `base` was last modified, and after which the server's
 * clock has moved on (modifyTimestamp counts whole seconds).
 */
async function serverTimeAfterSetup(client: Client, base: string): Promise<string> {
  const { searchEntries } = await client.search(base, { scope: 'sub', attributes: ['modifyTimestamp'] })
  const latest = searchEntries
    .map((e) => String(e['modifyTimestamp']))
    .sort()
    .at(-1)!
  const next = new Date(
    Date.parse(latest.replace(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')) + 1000,
  )
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, next.getTime() - Date.now()) + 1100))
  return next.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
}

describe('ranged retrieval (ad)', { skip: skipReason('ad') }, () => {
  const server = TEST_DIRECTORIES.find((s) => s.kind === 'ad')!
  const MEMBERS = 1600
  let ou: FreshOu
  let group: string
  let session: LdapSession

  before(async () => {
    ou = await freshOu(server, 'ranged')
    const contacts = await addOu(ou.client, 'contacts', ou.dn)
    const dns = Array.from({ length: MEMBERS }, (_, i) => childDn('CN', `c${String(i).padStart(4, '0')}`, contacts))
    // Contacts are the cheapest members (no account); 16 adds at a time.
    for (let i = 0; i < dns.length; i += 16) {
      await Promise.all(dns.slice(i, i + 16).map((dn) => ou.client.add(dn, { objectClass: ['top', 'contact'] })))
    }
    group = childDn('CN', 'Big', ou.dn)
    await addGroup(server, ou.client, group, dns)
    session = sessionOf(server)
  })
  after(async () => {
    await session?.close()
    await ou?.remove()
  })

  it('completes a ranged attribute in steps as wide as the first', async () => {
    // Samba does not cap an unranged `member` at its MaxValRange (1500) as Windows does: ask for
    // the first 500 as a DC with MaxValRange=500 would send them, and let completeRanges fetch the rest.
    const { searchEntries } = await ou.client.search(group, { scope: 'base', attributes: ['member;range=0-499'] })
    const entry = searchEntries[0]!
    assert.equal((entry['member;range=0-499'] as string[]).length, 500)
    const second = await ou.client.search(group, { scope: 'base', attributes: ['member;range=500-999'] })
    assert.ok('member;range=500-999' in second.searchEntries[0]!, 'Samba answers a bounded range in kind')
    await completeRanges(ou.client, entry)
    assert.deepEqual(
      Object.keys(entry).filter((k) => /member/i.test(k)),
      ['member'],
    )
    assert.equal(new Set(entry['member'] as string[]).size, MEMBERS)
  })

  it('fetches every member for a memberships table and a string[] column', async () => {
    const memberships = ldapTable('memberships', ['group', 'member'], { options: { base: ou.dn } })
    const rows = rowsOf(await readPages(session, memberships))
    assert.equal(rows.length, MEMBERS)
    assert.equal(new Set(rows.map((r) => r['member'])).size, MEMBERS)
    assert.ok(rows.every((r) => r['group'] === group))
    const groups = ldapTable('groups', ['dn', 'member:string[]'], { options: { base: ou.dn } })
    const [row] = rowsOf(await readPages(session, groups))
    assert.equal((row!['member'] as string[]).length, MEMBERS)
  })
})
