/**
 * DNs and filter values: escaping and parsing with hostile values (RFC 4514, RFC 4515), and the
 * same values as real entries on both directories: created under OUs named just as badly, found
 * again with equalityFilter, and their DNs as the server spells them parsed back.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type FreshOu, freshOu, skipReason, TEST_DIRECTORIES } from '../../../test/support/ldap-servers.ts'
import {
  canonicalDn,
  childDn,
  DnSyntaxError,
  equalityFilter,
  escapeDnValue,
  escapeFilterValue,
  formatDn,
  isWithin,
  normalizeDn,
  parentDn,
  parseDn,
} from './ldap-dn.ts'

/** Values that break DNs and filters that are built by splicing text. */
const HOSTILE = [
  'Jansen, Jan',
  'a+b',
  'Say "hi"',
  '*',
  '*)(cn=*',
  '(paren)',
  'back\\slash',
  'trailing\\',
  'nul\u0000byte',
  '#hash',
  'in#side',
  ' lead',
  'trail ',
  '  ',
  'a=b',
  '<>;',
  'Zoë',
  'Ødegård',
  '王',
  'x\ny',
  'O\'Brien, Jr. (Sales) + "Ops" <eu>; =1',
]

describe('escapeDnValue', () => {
  it('escapes the special characters, leading # and space, trailing space and NUL', () => {
    assert.equal(escapeDnValue('Jansen, Jan'), 'Jansen\\, Jan')
    assert.equal(escapeDnValue('a+b"c\\d;e<f>g=h'), 'a\\+b\\"c\\\\d\\;e\\<f\\>g\\=h')
    assert.equal(escapeDnValue('#x#'), '\\#x#')
    assert.equal(escapeDnValue(' x '), '\\ x\\ ')
    assert.equal(escapeDnValue(' '), '\\ ')
    assert.equal(escapeDnValue('  '), '\\ \\ ')
    assert.equal(escapeDnValue('a\u0000b'), 'a\\00b')
    assert.equal(escapeDnValue('Zoë Ødegård 王 *()'), 'Zoë Ødegård 王 *()')
  })
})

describe('escapeFilterValue and equalityFilter', () => {
  it('escapes *, (, ), \\ and NUL, and nothing else', () => {
    assert.equal(escapeFilterValue('*)(uid=*'), '\\2a\\29\\28uid=\\2a')
    assert.equal(escapeFilterValue('back\\slash\u0000'), 'back\\5cslash\\00')
    assert.equal(escapeFilterValue('Zoë, "王" +=<>;#'), 'Zoë, "王" +=<>;#')
    assert.equal(equalityFilter('cn', '*'), '(cn=\\2a)')
  })

  it('escapes a Buffer byte by byte', () => {
    assert.equal(escapeFilterValue(Buffer.from([0x00, 0x2a, 0xff, 0x10])), '\\00\\2a\\ff\\10')
  })
})

describe('parseDn', () => {
  it('unescapes character and hex escapes, multi-byte UTF-8 included', () => {
    const value = (dn: string) => parseDn(dn)[0]![0]!.value
    assert.equal(value('cn=Jansen\\, Jan,ou=x'), 'Jansen, Jan')
    assert.equal(value('cn=Jansen\\2C Jan,ou=x'), 'Jansen, Jan')
    assert.equal(value('cn=Zo\\C3\\AB'), 'Zoë')
    assert.equal(value('cn=\\c3\\98deg\\C3\\A5rd'), 'Ødegård')
    assert.equal(value('cn=\\E7\\8E\\8B'), '王')
    assert.equal(value('cn=\\#hash'), '#hash')
    assert.equal(value('cn=\\23hash'), '#hash')
    assert.equal(value('cn=\\ lead'), ' lead')
    assert.equal(value('cn=trail\\ ,ou=x'), 'trail ')
    assert.equal(value('cn=trail\\20'), 'trail ')
    assert.equal(value('cn=a\\3Db\\3c\\3E\\3B'), 'a=b<>;')
    assert.equal(value('cn=nul\\00byte'), 'nul\u0000byte')
    assert.equal(value('cn=a\\\\,ou=x'), 'a\\')
    assert.equal(value('cn=x\ny'), 'x\ny')
  })

  it('drops unescaped spaces around separators, also after a hex-escaped character', () => {
    assert.deepEqual(parseDn('cn=Jan , ou=Staff ,dc=x'), [
      [{ attribute: 'cn', value: 'Jan' }],
      [{ attribute: 'ou', value: 'Staff' }],
      [{ attribute: 'dc', value: 'x' }],
    ])
    assert.equal(parseDn('cn=Zo\\C3\\AB  ,ou=x')[0]![0]!.value, 'Zoë')
    assert.equal(parseDn('cn=a\\20 ,ou=x')[0]![0]!.value, 'a ')
  })

  it('reads multi-valued RDNs', () => {
    assert.deepEqual(parseDn('cn=Jan+uid=jj\\+1,ou=x'), [
      [
        { attribute: 'cn', value: 'Jan' },
        { attribute: 'uid', value: 'jj+1' },
      ],
      [{ attribute: 'ou', value: 'x' }],
    ])
    assert.equal(formatDn(parseDn('cn=Jan+uid=jj\\+1,ou=x')), 'cn=Jan+uid=jj\\+1,ou=x')
  })

  it('accepts OIDs as attribute types and an empty DN', () => {
    assert.deepEqual(parseDn('2.5.4.3=x'), [[{ attribute: '2.5.4.3', value: 'x' }]])
    assert.deepEqual(parseDn(''), [])
  })

  it('refuses what is not a DN, saying where', () => {
    for (const [dn, position] of [
      ['cn=a"b', 5],
      ['cn=a;b', 5],
      ['cn=a<b', 5],
      ['cn=a\\', 5],
      ['cn', 3],
      ['cn=a,', 6],
      ['c n=a', 1],
      ['=a', 1],
    ] as const) {
      assert.throws(
        () => parseDn(dn),
        (error: unknown) => error instanceof DnSyntaxError && error.message.includes(`character ${position}`),
        dn,
      )
    }
  })

  it('round-trips every hostile value through childDn and parseDn', () => {
    for (const value of HOSTILE) {
      const dn = childDn('cn', value, 'ou=Staff\\, Sales,dc=example,dc=test')
      assert.deepEqual(parseDn(dn)[0], [{ attribute: 'cn', value }], JSON.stringify(value))
      assert.equal(formatDn(parseDn(dn)), dn)
      assert.equal(parentDn(dn), 'ou=Staff\\, Sales,dc=example,dc=test')
    }
  })

  it('round-trips random values', () => {
    const alphabet = [...',+"\\<>;=#* ()\u0000\nabcZ', 'ë', 'Ø', '王', '😀']
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let n = 0; n < 2000; n++) {
      const value = Array.from(
        { length: 1 + Math.floor(random() * 8) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('')
      const dn = `${childDn('cn', value, childDn('ou', value, 'dc=x'))}`
      const rdns = parseDn(dn)
      assert.equal(rdns[0]![0]!.value, value, JSON.stringify(value))
      assert.equal(rdns[1]![0]!.value, value, JSON.stringify(value))
      assert.equal(normalizeDn(dn), normalizeDn(formatDn(rdns)))
      // The fast path of canonicalDn and parentDn (DNs that need no escapes) agrees with parsing.
      for (const raw of [dn, `cn=${value},ou=${value},dc=x`]) {
        let parsed: string | undefined
        try {
          parsed = formatDn(parseDn(raw))
        } catch {
          parsed = undefined
        }
        if (parsed === undefined) continue
        assert.equal(canonicalDn(raw), parsed, JSON.stringify(raw))
        assert.equal(parentDn(canonicalDn(raw)), formatDn(parseDn(raw).slice(1)), JSON.stringify(raw))
      }
    }
  })
})

describe('parentDn, normalizeDn and isWithin', () => {
  it('gives the parent as the DN spells it', () => {
    assert.equal(parentDn('cn=x,ou=Jansen\\2C Jan,dc=x'), 'ou=Jansen\\2C Jan,dc=x')
    assert.equal(parentDn('CN=a\\,b,OU=Staff,DC=x'), 'OU=Staff,DC=x')
    assert.equal(parentDn('cn=a\\2Cb, ou=x'), 'ou=x')
    assert.equal(parentDn('cn=a\\\\,ou=x'), 'ou=x')
    assert.equal(parentDn('cn=Jan+uid=j\\,1,ou=x'), 'ou=x')
    assert.equal(parentDn('dc=test'), '')
    assert.throws(() => parentDn('not a dn'), DnSyntaxError)
  })

  it('compares DNs whatever their spelling', () => {
    const same = [
      'CN=Jansen\\, Jan,OU=Staff,DC=example,DC=test',
      'cn=jansen\\2c jan,ou=staff,dc=example,dc=test',
      'cn=Jansen\\2C Jan , ou=Staff,dc=Example,dc=Test',
    ]
    for (const dn of same) assert.equal(normalizeDn(dn), normalizeDn(same[0]!))
    assert.equal(normalizeDn('cn=a+uid=b,dc=x'), normalizeDn('UID=B+CN=A,DC=X'))
    assert.notEqual(normalizeDn('cn=a\\,b,dc=x'), normalizeDn('cn=a,cn=b,dc=x'))
  })

  it('tells what is within a subtree, RDN by RDN', () => {
    assert.ok(isWithin('cn=a,ou=Staff,dc=x', 'OU=staff,DC=x'))
    assert.ok(isWithin('ou=Staff,dc=x', 'ou=Staff,dc=x'))
    assert.ok(isWithin('cn=a,dc=x', ''))
    assert.ok(!isWithin('dc=x', 'ou=Staff,dc=x'))
    assert.ok(!isWithin('cn=a,ou=NotStaff,dc=x', 'ou=Staff,dc=x'))
    // One RDN whose value is "a,ou=Staff", directly under dc=x: not within ou=Staff.
    assert.ok(!isWithin('cn=a\\,ou=Staff,dc=x', 'ou=Staff,dc=x'))
  })
})

for (const server of TEST_DIRECTORIES.length > 0 ? TEST_DIRECTORIES : [undefined]) {
  const kind = server?.kind ?? 'ldap'
  describe(`hostile names on the directory (${kind})`, { skip: skipReason(kind) }, () => {
    let ou: FreshOu
    const objectClass = kind === 'ad' ? ['top', 'contact'] : ['top', 'organizationalRole']

    before(async () => {
      ou = await freshOu(server!, 'dn')
    })
    after(async () => {
      await ou?.remove()
    })

    for (const [n, value] of HOSTILE.entries()) {
      it(`finds ${JSON.stringify(value)} and parses the DNs the server returns`, async () => {
        const container = childDn('ou', value, ou.dn)
        await ou.client.add(container, { objectClass: ['top', 'organizationalUnit'], ou: value })
        const entry = childDn('cn', value, container)
        await ou.client.add(entry, { objectClass, cn: value, description: String(n) })
        if (kind === 'ad' && value.includes('\u0000')) after(() => renameAway(ou, entry, container))

        const found = await ou.client.search(ou.dn, { scope: 'sub', filter: equalityFilter('cn', value) })
        assert.equal(found.searchEntries.length, 1, 'the filter matches exactly the one entry')
        const dn = found.searchEntries[0]!.dn
        assert.deepEqual(parseDn(dn)[0], [{ attribute: kind === 'ad' ? 'CN' : 'cn', value }], dn)
        assert.equal(normalizeDn(dn), normalizeDn(entry))
        assert.ok(isWithin(dn, container))

        const ous = await ou.client.search(ou.dn, { scope: 'one', filter: equalityFilter('ou', value) })
        assert.equal(ous.searchEntries.length, 1)
        // The parent as the server spells the container's own DN (OpenLDAP `\2C`, AD `\,`).
        assert.equal(parentDn(dn), ous.searchEntries[0]!.dn)
        assert.equal(parseDn(ous.searchEntries[0]!.dn)[0]![0]!.value, value)
      })
    }

    it(
      'finds an entry with a multi-valued RDN',
      { skip: kind === 'ad' ? 'AD has no multi-valued RDNs' : false },
      async () => {
        const dn = `cn=${escapeDnValue('Jan, J.')}+sn=${escapeDnValue('Jansen+1')},${ou.dn}`
        await ou.client.add(dn, { objectClass: ['top', 'person'], cn: 'Jan, J.', sn: 'Jansen+1' })
        const found = await ou.client.search(ou.dn, { scope: 'one', filter: equalityFilter('sn', 'Jansen+1') })
        const returned = found.searchEntries[0]!.dn
        assert.equal(normalizeDn(returned), normalizeDn(`sn=jansen\\+1+cn=jan\\, j.,${ou.dn}`))
        assert.deepEqual(
          parseDn(returned)[0]!
            .map((p) => p.value)
            .sort(),
          ['Jan, J.', 'Jansen+1'],
        )
        assert.equal(parentDn(returned), ou.dn)
      },
    )
  })
}

/**
 * Samba cannot delete an entry whose name holds a NUL: its tombstone's name collides with an
 * earlier one ("already exists"). Renamed first, the entry and its container delete as usual.
 */
async function renameAway(ou: FreshOu, entry: string, container: string): Promise<void> {
  await ou.client.modifyDN(entry, childDn('CN', 'renamed', container))
  await ou.client.modifyDN(container, 'OU=renamed-nul')
}
