/**
 * Directory values to row values and back, without a server: known GUID and SID vectors, FILETIME
 * and GeneralizedTime, every column type, virtual columns and hostile text. The string forms are
 * also checked against Samba's own reading of them in ldap-read.test.ts (`<GUID=…>`, `<SID=…>`).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Entry } from 'ldapts'
import { isProvisioError } from '../../core/index.ts'
import { ldapTable, type LdapColumnSpec } from '../../../test/support/ldap-kit.ts'
import { sidToBuffer, textToBinary } from './ldap-binary.ts'
import { type LdapTablePlan, planTable } from './ldap-table.ts'
import { parseFiletime, parseGeneralizedTime, parseIsoTime, toFiletime, toGeneralizedTime } from './ldap-time.ts'
import {
  attributeKey,
  guidToBuffer,
  guidToString,
  memberValues,
  rowOf,
  searchValue,
  sidToString,
  valuesOf,
} from './ldap-values.ts'

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex')

function plan(
  columns: readonly LdapColumnSpec[],
  flavour: 'ad' | 'ldap' = 'ad',
  options: Record<string, unknown> = {},
  name = 'users',
): LdapTablePlan {
  return planTable(ldapTable(name, columns, { options }), { flavour, baseDN: 'DC=example,DC=test', pageSize: 500 })
}

const DN = 'CN=Jansen\\, Jan,OU=Staff,DC=example,DC=test'
const entry = (attributes: Record<string, string | string[] | Buffer | Buffer[]>): Entry => ({ dn: DN, ...attributes })

function failure(work: () => unknown): Error & { code?: string; hint?: string } {
  try {
    work()
  } catch (error) {
    assert.ok(isProvisioError(error), String(error))
    return error as never
  }
  assert.fail('expected an error')
}

describe('GUID and SID string forms', () => {
  it('shows objectGUID with the first three groups byte-swapped, lower case', () => {
    const bytes = hex('04030201 0605 0807 090a 0b0c0d0e0f10')
    assert.equal(guidToString(bytes), '01020304-0506-0708-090a-0b0c0d0e0f10')
    assert.deepEqual(guidToBuffer('01020304-0506-0708-090A-0B0C0D0E0F10'), bytes)
    assert.deepEqual(guidToBuffer('{01020304-0506-0708-090a-0b0c0d0e0f10}'), bytes)
  })

  it('round-trips random GUIDs and refuses what is not one', () => {
    for (let i = 0; i < 50; i++) {
      const text = crypto.randomUUID()
      assert.equal(guidToString(guidToBuffer(text)!), text)
    }
    for (const bad of ['', '0102030405060708090a0b0c0d0e0f10', '01020304-0506-0708-090a-0b0c0d0e0f1', 'x'.repeat(36)]) {
      assert.equal(guidToBuffer(bad), undefined, bad)
    }
    assert.equal(guidToString(Buffer.alloc(15)), undefined)
  })

  it('shows well-known SIDs as Windows does', () => {
    const administrators = hex('01 02 000000000005 20000000 20020000')
    assert.equal(sidToString(administrators), 'S-1-5-32-544')
    assert.equal(sidToString(hex('01 01 000000000001 00000000')), 'S-1-1-0')
    const domainUser = 'S-1-5-21-3623811015-3361044348-30300820-1013'
    assert.equal(sidToString(sidToBuffer(domainUser)!), domainUser)
    assert.deepEqual(sidToBuffer('S-1-5-32-544'), administrators)
    assert.equal(sidToString(hex('01 00 100000000000')), 'S-1-0x100000000000')
    assert.equal(sidToString(hex('01 02 000000000005 20000000')), undefined) // one sub-authority short
    assert.equal(sidToBuffer('S-1-5-21-4294967296'), undefined)
  })

  it('reads other binary attributes as base64 and back', () => {
    const photo = Buffer.from([0, 255, 1, 254])
    assert.equal(textToBinary('jpegPhoto', photo.toString('base64'))?.equals(photo), true)
    assert.equal(textToBinary('jpegPhoto', 'not base64!'), undefined)
  })
})

describe('points in time', () => {
  it('reads GeneralizedTime with fractions and offsets', () => {
    const iso = (t: string) => new Date(parseGeneralizedTime(t)!).toISOString()
    assert.equal(iso('20261204210000Z'), '2026-12-04T21:00:00.000Z')
    assert.equal(iso('20261204210000.0Z'), '2026-12-04T21:00:00.000Z')
    assert.equal(iso('20261204210000.123456Z'), '2026-12-04T21:00:00.123Z')
    assert.equal(iso('20261204210000,5Z'), '2026-12-04T21:00:00.500Z')
    assert.equal(iso('2026120421.5Z'), '2026-12-04T21:30:00.000Z')
    assert.equal(iso('202612042130Z'), '2026-12-04T21:30:00.000Z')
    assert.equal(iso('20261204230000+0200'), '2026-12-04T21:00:00.000Z')
    assert.equal(iso('20261204190000-02'), '2026-12-04T21:00:00.000Z')
    for (const bad of ['20261204210000', '20260231000000Z', '20261304000000Z', '2026-12-04T21:00:00Z', '']) {
      assert.equal(parseGeneralizedTime(bad), undefined, bad)
    }
  })

  it('reads FILETIME, with 0 and the largest integer meaning never', () => {
    assert.equal(new Date(parseFiletime('116444736000000000')!).toISOString(), '1970-01-01T00:00:00.000Z')
    assert.equal(new Date(parseFiletime('132223104000000000')!).toISOString(), '2020-01-01T00:00:00.000Z')
    assert.equal(parseFiletime('0'), null)
    assert.equal(parseFiletime('9223372036854775807'), null)
    assert.equal(parseFiletime('-1'), undefined)
    assert.equal(toFiletime('2020-01-01T00:00:00.000Z'), '132223104000000000')
  })

  it('reads ISO 8601 text, as dates kept in text attributes are', () => {
    const iso = (t: string) => new Date(parseIsoTime(t)!).toISOString()
    assert.equal(iso('2026-12-04'), '2026-12-04T00:00:00.000Z')
    assert.equal(iso('2026-12-04T23:00:00+02:00'), '2026-12-04T21:00:00.000Z')
    assert.equal(iso('2026-12-04 21:00'), '2026-12-04T21:00:00.000Z')
    assert.equal(parseIsoTime('2026-02-30'), undefined)
  })

  it('writes GeneralizedTime for filters', () => {
    assert.equal(toGeneralizedTime('2026-12-04T21:00:00.000Z'), '20261204210000Z')
    assert.equal(toGeneralizedTime('2026-12-04T21:00:00.250Z'), '20261204210000.250Z')
    assert.equal(toGeneralizedTime('2026-12-04'), '20261204000000Z')
    assert.equal(toGeneralizedTime('not a date'), undefined)
  })
})

describe('rowOf', () => {
  it('types every declared column and matches attribute names case-insensitively', () => {
    const p = plan([
      'objectGUID',
      'objectSid',
      'sAMAccountName',
      'uidNumber:integer',
      'ratio:number',
      'locked:boolean',
      'whenChanged:datetime',
      'accountExpires:datetime',
      'pwdLastSet:date',
      'hired:date',
      'memberOf:string[]',
      'mail',
    ])
    const row = rowOf(
      p,
      entry({
        objectguid: hex('04030201 0605 0807 090a 0b0c0d0e0f10'),
        OBJECTSID: hex('01 02 000000000005 20000000 20020000'),
        samaccountname: 'jjansen',
        uidNumber: '-42',
        ratio: '0.75',
        locked: 'FALSE',
        whenChanged: '20261204210000.0Z',
        accountExpires: '9223372036854775807',
        pwdLastSet: '132223104000000000',
        hired: '2026-12-04',
        memberOf: ['CN=b,DC=x', 'CN=a,DC=x', 'CN=b,DC=x'],
        mail: [],
      }),
    )
    assert.deepEqual(row, {
      objectGUID: '01020304-0506-0708-090a-0b0c0d0e0f10',
      objectSid: 'S-1-5-32-544',
      sAMAccountName: 'jjansen',
      uidNumber: -42,
      ratio: 0.75,
      locked: false,
      whenChanged: '2026-12-04T21:00:00.000Z',
      accountExpires: null,
      pwdLastSet: '2020-01-01',
      hired: '2026-12-04',
      memberOf: ['CN=a,DC=x', 'CN=b,DC=x'],
      mail: null,
    })
  })

  it('gives the virtual columns dn, parent and enabled (AD)', () => {
    const p = plan(['dn', 'parent', 'enabled:boolean', { name: 'where', source: 'parent' }])
    assert.deepEqual(rowOf(p, entry({ userAccountControl: '514' })), {
      dn: DN,
      parent: 'OU=Staff,DC=example,DC=test',
      enabled: false,
      where: 'OU=Staff,DC=example,DC=test',
    })
    assert.equal(rowOf(p, entry({ userAccountControl: '512' }))['enabled'], true)
    assert.equal(rowOf(p, entry({}))['enabled'], null)
  })

  it('reads enabled from the disable option on OpenLDAP, and null without it', () => {
    const disable = { attribute: 'employeeType', disabledValue: 'disabled' }
    const p = plan(['enabled:boolean'], 'ldap', { disable })
    assert.deepEqual(rowOf(p, entry({ employeeType: ['staff', 'disabled'] })), { enabled: false })
    assert.deepEqual(rowOf(p, entry({ employeeType: 'staff' })), { enabled: true })
    assert.deepEqual(rowOf(p, entry({})), { enabled: true })
    assert.deepEqual(rowOf(plan(['enabled:boolean'], 'ldap'), entry({})), { enabled: null })
    const flag = plan(['enabled:boolean'], 'ldap', { disable: { attribute: 'x-locked', disabledValue: true } })
    assert.deepEqual(rowOf(flag, entry({ 'x-locked': 'TRUE' })), { enabled: false })
  })

  it('keeps hostile text exactly', () => {
    const hostile = ['*)(uid=*', 'O\'Brien, "Jr."', 'a\\b\u0000c', ' lead', 'Zoë Ødegård 王', '#x;<>+=']
    const p = plan(hostile.map((_, i) => ({ name: `c${i}`, source: `a${i}` })))
    const row = rowOf(p, entry(Object.fromEntries(hostile.map((v, i) => [`a${i}`, v]))))
    assert.deepEqual(Object.values(row), hostile)
  })

  it('names the entry, attribute and column of a value that does not fit', () => {
    const e = failure(() => rowOf(plan(['uidNumber:integer']), entry({ uidNumber: '12a' })))
    assert.equal(e.code, 'CON_LDAP_UNREADABLE_VALUE')
    assert.match(
      e.message,
      /dir\.users\.uidNumber: uidNumber of CN=Jansen\\, Jan,OU=Staff.* is "12a", not a whole number/,
    )
    const big = failure(() => rowOf(plan(['lastLogon:integer']), entry({ lastLogon: '133000000000000000' })))
    assert.match(big.hint!, /FILETIME.*datetime/)
    for (const [type, value] of [
      ['boolean', 'yes'],
      ['datetime', 'yesterday'],
      ['date', '2026-02-30'],
      ['datetime', '20261204210000+9'],
      ['number', '1,5'],
    ] as const) {
      assert.equal(failure(() => rowOf(plan([`x:${type}`]), entry({ x: value }))).code, 'CON_LDAP_UNREADABLE_VALUE')
    }
    const e2 = failure(() => rowOf(plan(['enabled:boolean']), entry({ userAccountControl: 'x' })))
    assert.match(e2.message, /userAccountControl of CN=Jansen/)
    const e3 = failure(() => rowOf(plan(['parent']), { dn: 'not a dn' }))
    assert.match(e3.message, /dir\.users\.parent: dn of not a dn is "not a dn", not a DN/)
  })

  it('refuses several values in a single-valued column rather than keep one', () => {
    const e = failure(() => rowOf(plan(['cn']), entry({ cn: ['Jan', 'Jan Jansen'] })))
    assert.equal(e.code, 'CON_LDAP_UNREADABLE_VALUE')
    assert.match(e.message, /cn of CN=Jansen.* is "Jan", "Jan Jansen", not one value \(it has 2\)/)
    assert.match(e.hint!, /string\[\]/)
  })

  it('gives the group DN on a memberships table and leaves member to the reader', () => {
    const p = plan(['group', 'member', 'cn'], 'ad', {}, 'memberships')
    assert.deepEqual(rowOf(p, entry({ cn: 'Staff', member: ['CN=a', 'CN=b'] })), {
      group: DN,
      member: null,
      cn: 'Staff',
    })
  })

  it('finds values case-insensitively and treats an empty list as absent', () => {
    assert.deepEqual(valuesOf(entry({ MAIL: ['a', 'b'] }), 'mail'), ['a', 'b'])
    assert.deepEqual(valuesOf(entry({ mail: [] }), 'Mail'), [])
    assert.deepEqual(valuesOf(entry({}), 'dn'), [])
    assert.equal(attributeKey(entry({ MAIL: 'a', mail2: 'b' }), 'Mail'), 'MAIL')
    assert.equal(attributeKey(entry({ mail: 'a' }), 'dn'), undefined)
  })

  it("reads digits as FILETIME only in AD's FILETIME attributes, and refuses them elsewhere", () => {
    // AD, a FILETIME attribute: a point in time.
    assert.deepEqual(rowOf(plan(['pwdLastSet:date']), entry({ pwdLastSet: '132223104000000000' })), {
      pwdLastSet: '2020-01-01',
    })
    // The same attribute on flavour ldap, and digits in other attributes: no FILETIME (1601 + 19700 × 100 ns).
    for (const [flavour, attribute] of [
      ['ldap', 'pwdLastSet'],
      ['ldap', 'employeeNumber'],
      ['ad', 'employeeNumber'],
    ] as const) {
      const e = failure(() => rowOf(plan([`${attribute}:datetime`], flavour), entry({ [attribute]: '19700' })))
      assert.equal(e.code, 'CON_LDAP_UNREADABLE_VALUE', `${flavour} ${attribute}`)
      assert.match(e.message, /is "19700", not a GeneralizedTime/)
      assert.match(e.hint!, /FILETIME attributes/)
    }
    // A FILETIME attribute holding something else is no FILETIME either.
    assert.match(
      failure(() => rowOf(plan(['accountExpires:datetime']), entry({ accountExpires: '20261204210000Z' }))).message,
      /not an AD FILETIME integer/,
    )
    // GeneralizedTime and ISO text read on both flavours.
    assert.deepEqual(rowOf(plan(['t:datetime'], 'ldap'), entry({ t: '20261204210000Z' })), {
      t: '2026-12-04T21:00:00.000Z',
    })
  })

  it("reads a group's member column from member and, on flavour ldap, uniqueMember", () => {
    const members = entry({
      member: ['cn=a,dc=x'],
      uniqueMember: ["cn=b,dc=x#'0101'B", "cn=c\\#'01'B,dc=x", 'cn=d,dc=x'],
    })
    const groups = (flavour: 'ad' | 'ldap', options: Record<string, unknown> = {}) =>
      plan([{ name: 'members', source: 'member', type: 'string[]' }], flavour, options, 'groups')
    // Row values are DNs in the standard spelling: an escaped '#' inside a value needs no escape.
    assert.deepEqual(rowOf(groups('ldap'), members), {
      members: ['cn=a,dc=x', 'cn=b,dc=x', "cn=c#'01'B,dc=x", 'cn=d,dc=x'],
    })
    assert.deepEqual(memberValues(groups('ldap'), members), [
      'cn=a,dc=x',
      'cn=b,dc=x',
      "cn=c\\#'01'B,dc=x",
      'cn=d,dc=x',
    ])
    assert.deepEqual(rowOf(groups('ad'), members), { members: ['cn=a,dc=x'] })
    assert.deepEqual(rowOf(groups('ldap', { memberAttribute: 'member' }), members), { members: ['cn=a,dc=x'] })
  })
})

describe('searchValue', () => {
  const p = plan([
    'objectGUID',
    'objectSid',
    'sAMAccountName',
    'whenChanged:datetime',
    'accountExpires:datetime',
    'flag:boolean',
    'n:integer',
    'jpegPhoto',
    'dn',
    'enabled:boolean',
  ])
  const col = (name: string) => p.columns.find((c) => c.column.name === name)!

  it('turns row values into assertion values', () => {
    assert.deepEqual(
      searchValue(p, col('objectGUID'), '01020304-0506-0708-090a-0b0c0d0e0f10'),
      hex('04030201 0605 0807 090a 0b0c0d0e0f10'),
    )
    assert.deepEqual(searchValue(p, col('objectSid'), 'S-1-5-32-544'), hex('01 02 000000000005 20000000 20020000'))
    assert.equal(searchValue(p, col('sAMAccountName'), '*)(uid=*'), '*)(uid=*')
    assert.equal(searchValue(p, col('whenChanged'), '2026-12-04T21:00:00.000Z'), '20261204210000Z')
    assert.equal(searchValue(p, col('accountExpires'), '2020-01-01T00:00:00.000Z'), '132223104000000000')
    assert.equal(searchValue(p, col('flag'), true), 'TRUE')
    assert.equal(searchValue(p, col('n'), 7), '7')
    assert.deepEqual(searchValue(p, col('jpegPhoto'), 'AP8='), Buffer.from([0, 255]))
    assert.equal(searchValue(p, col('dn'), DN), DN)
  })

  it('refuses what cannot be an equality assertion', () => {
    for (const [name, value] of [
      ['objectGUID', 'not-a-guid'],
      ['sAMAccountName', null],
      ['sAMAccountName', ['a']],
      ['whenChanged', 'yesterday'],
      ['enabled', true],
    ] as const) {
      assert.equal(failure(() => searchValue(p, col(name), value)).code, 'CON_LDAP_INVALID_VALUE', name)
    }
  })

  it('keeps entryUUID as text on OpenLDAP', () => {
    const q = plan(['entryUUID'], 'ldap')
    const uuid = '5e0f1d3a-8a0e-103f-9b1c-6d2f4c9a7e11'
    assert.equal(searchValue(q, q.columns[0]!, uuid), uuid)
  })
})
