/**
 * `discover`: the subschema parser on the descriptions real servers send, and the proposed tables
 * against both directories (types from their schemas, keys, options), which must read as declared.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ldapTable, readPages, sessionOf } from '../../../test/support/ldap-kit.ts'
import {
  type FreshOu,
  freshOu,
  skipReason,
  TEST_DIRECTORIES,
  type TestDirectory,
} from '../../../test/support/ldap-servers.ts'
import { columnOf, discoverDirectory } from './ldap-discover.ts'
import { attributeTypesOf, parseAttributeType } from './ldap-subschema.ts'

describe('subschema attribute types', () => {
  it('parses OpenLDAP and AD descriptions, with inherited syntaxes', () => {
    const types = attributeTypesOf([
      "( 2.5.4.41 NAME 'name' DESC 'RFC4519: common supertype' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{32768} )",
      "( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'RFC4519: it\\27s a name' SUP name )",
      "( 1.2.840.113556.1.4.159 NAME 'accountExpires' SYNTAX '1.2.840.113556.1.4.906' SINGLE-VALUE )",
      "( 1.3.6.1.1.16.4 NAME 'entryUUID' DESC 'UUID of the entry' SYNTAX 1.3.6.1.1.16.1 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
      'not a description',
    ])
    assert.deepEqual(types.get('commonname'), {
      oid: '2.5.4.3',
      names: ['cn', 'commonName'],
      syntax: '1.3.6.1.4.1.1466.115.121.1.15',
      singleValue: false,
      equality: 'caseIgnoreMatch',
    })
    assert.equal(types.get('2.5.4.3')?.names[0], 'cn')
    assert.equal(types.get('accountexpires')?.syntax, '1.2.840.113556.1.4.906')
    assert.equal(types.get('entryuuid')?.singleValue, true)
    assert.equal(parseAttributeType("( 1.2.3 NAME 'x' SUP y DESC ')' )")?.sup, 'y')
  })

  it('types columns from the schema', () => {
    const types = attributeTypesOf([
      "( 1 NAME 'accountExpires' SYNTAX '1.2.840.113556.1.4.906' SINGLE-VALUE )",
      "( 2 NAME 'uSNChanged' SYNTAX '1.2.840.113556.1.4.906' SINGLE-VALUE )",
      "( 3 NAME 'proxyAddresses' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' )",
      "( 4 NAME 'mail' SYNTAX 1.3.6.1.4.1.1466.115.121.1.26{256} )",
      "( 5 NAME 'isCriticalSystemObject' SYNTAX '1.3.6.1.4.1.1466.115.121.1.7' SINGLE-VALUE )",
    ])
    const typeOf = (a: string) => columnOf(a, types)?.type
    assert.equal(typeOf('accountExpires'), 'datetime')
    assert.equal(typeOf('uSNChanged'), 'integer')
    assert.equal(typeOf('proxyAddresses'), 'string[]')
    assert.deepEqual(columnOf('mail', types), { name: 'mail', type: 'string', nativeType: 'IA5 String, multi-valued' })
    // Identifiers compare without case where the directory does; other text keeps its case.
    const caseless = attributeTypesOf([
      "( 6 NAME 'uid' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
      "( 7 NAME 'sn' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
      "( 8 NAME 'sAMAccountName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' SINGLE-VALUE )",
    ])
    assert.equal(columnOf('uid', caseless)?.caseInsensitive, true)
    assert.equal(columnOf('sn', caseless)?.caseInsensitive, undefined)
    assert.equal(columnOf('sAMAccountName', caseless, 'ad')?.caseInsensitive, true)
    assert.equal(columnOf('sAMAccountName', caseless, 'ldap')?.caseInsensitive, undefined)
    assert.equal(columnOf('dn', caseless)?.caseInsensitive, true)
    assert.equal(typeOf('isCriticalSystemObject'), 'boolean')
    assert.equal(typeOf('enabled'), 'boolean')
    assert.equal(columnOf('employeeID', types), undefined)
  })
})

for (const server of TEST_DIRECTORIES.length > 0 ? TEST_DIRECTORIES : [undefined]) {
  const kind = server?.kind ?? 'ldap'
  describe(`ldap discover (${kind})`, { skip: skipReason(kind) }, () => {
    it('proposes users, groups, ous and memberships typed from the schema', async () => {
      const session = sessionOf(server!)
      try {
        const tables = await discoverDirectory(session)
        assert.deepEqual(
          tables.map((t) => [t.name, t.options?.['objects'], t.primaryKey]),
          kind === 'ad'
            ? [
                ['users', 'users', 'objectGUID'],
                ['groups', 'groups', 'objectGUID'],
                ['ous', 'organizationalUnits', 'objectGUID'],
                ['memberships', 'memberships', undefined],
              ]
            : [
                ['users', 'users', 'entryUUID'],
                ['groups', 'groups', 'entryUUID'],
                ['ous', 'organizationalUnits', 'entryUUID'],
                ['memberships', 'memberships', undefined],
              ],
        )
        const users = Object.fromEntries(tables[0]!.columns.map((c) => [c.name, c.type]))
        if (kind === 'ad') {
          assert.deepEqual(tables[0]!.referenceKeys, ['dn', 'sAMAccountName'])
          assert.deepEqual(
            [users['objectGUID'], users['enabled'], users['memberOf'], users['whenChanged'], users['sAMAccountName']],
            ['string', 'boolean', undefined, 'datetime', 'string'],
          )
          assert.equal(tables[1]!.columns.find((c) => c.name === 'groupType')?.type, 'integer')
        } else {
          assert.deepEqual(tables[0]!.referenceKeys, ['dn'])
          assert.deepEqual(
            [users['entryUUID'], users['uid'], users['memberOf'], users['modifyTimestamp'], users['sAMAccountName']],
            ['string', 'string', undefined, 'datetime', undefined],
          )
          assert.equal(users['enabled'], undefined)
        }
        assert.deepEqual(
          tables[3]!.columns.map((c) => [c.name, c.type]),
          [
            ['group', 'string'],
            ['member', 'string'],
          ],
        )
        // What discover proposes reads as proposed, from an OU with one of each.
        const ou = await freshOu(server!, 'discover')
        try {
          await addOneOfEach(server!, ou)
          for (const table of tables) {
            const declared = ldapTable(
              table.name,
              table.columns.map((c) => ({ name: c.name, type: c.type as never })),
              {
                ...(table.primaryKey === undefined ? {} : { primaryKey: table.primaryKey }),
                options: { ...table.options, base: ou.dn },
              },
            )
            const rows = (await readPages(session, declared)).flatMap((p) => p.rows)
            assert.equal(rows.length, 1, table.name)
            assert.ok(Object.values(rows[0]!).every((v) => v !== undefined))
          }
        } finally {
          await ou.remove()
        }
      } finally {
        await session.close()
      }
    })
  })
}

/** A user and a group with that user as its member, in `ou` (itself the one OU). */
async function addOneOfEach(server: TestDirectory, ou: FreshOu): Promise<void> {
  const user = `${server.kind === 'ad' ? 'CN' : 'cn'}=Disco Very,${ou.dn}`
  const group = `${server.kind === 'ad' ? 'CN' : 'cn'}=Disco Group,${ou.dn}`
  const suffix = `${process.pid}${Date.now().toString(36)}`.slice(-8)
  if (server.kind === 'ad') {
    await ou.client.add(user, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: `dv${suffix}`,
    })
    await ou.client.add(group, { objectClass: ['top', 'group'], sAMAccountName: `dg${suffix}`, member: [user] })
  } else {
    await ou.client.add(user, { objectClass: ['inetOrgPerson'], cn: 'Disco Very', sn: 'Very', uid: `dv${suffix}` })
    await ou.client.add(group, { objectClass: ['groupOfNames'], cn: 'Disco Group', member: [user] })
  }
}
