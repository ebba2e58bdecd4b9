/**
 * Every function of the LDAP connector against the real directories (OpenLDAP and Samba AD), each
 * suite in an OU of its own: users, groups, OUs and memberships created, changed, renamed, moved,
 * enabled, disabled and deleted, with names that need escaping everywhere; passwords proven by
 * binding as the new account. Failures are in ldap-apply-errors.test.ts.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Attribute, Change } from 'ldapts'
import { type Row, silentLogger, type Value } from '../../core/index.ts'
import {
  apply,
  bindAs,
  bindRefusal,
  type Fixture,
  fixtureOf,
  HOSTILE,
  key,
  newUser,
  rdnOf,
  readAttribute,
  release,
  rowOfResult,
  unique,
} from '../../../test/support/ldap-apply-kit.ts'
import { configOf, ldapTable, planOf, readPages, rowsOf } from '../../../test/support/ldap-kit.ts'
import { AD_SERVER, LDAP_SERVER, skipReason } from '../../../test/support/ldap-servers.ts'
import { canonicalDn, childDn, normalizeDn, parentDn } from './ldap-dn.ts'
import { ldapConnector } from './ldap-connector.ts'
import { lookupEntry } from './ldap-lookup.ts'

const byMember = (a: Row, b: Row) => String(a['member']).localeCompare(String(b['member']))

for (const server of [LDAP_SERVER, AD_SERVER]) {
  const kind = server === AD_SERVER ? 'ad' : 'ldap'
  describe(`LDAP apply on ${kind === 'ad' ? 'Samba AD' : 'OpenLDAP'}`, { skip: skipReason(kind) }, () => {
    let f: Fixture

    before(async () => {
      f = await fixtureOf(server!, 'apply')
    })
    after(() => release(f))

    it('creates, updates, renames, moves and deletes users with names that need escaping', async () => {
      const target = childDn(kind === 'ad' ? 'OU' : 'ou', 'Staff, "Zoë" + 王 #2', f.ou.dn)
      await f.ou.client.add(target, { objectClass: ['top', 'organizationalUnit'] })
      for (const [i, name] of HOSTILE.entries()) {
        const created = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, name, i, { description: 'new' })))
        assert.equal(created['name'], name)
        assert.equal(normalizeDn(String(created['parent'])), normalizeDn(f.ou.dn))
        assert.match(String(created[f.id]), /^[0-9a-f-]{36}$/)
        const id = key(f.id, created[f.id]!)
        assert.deepEqual(await lookupEntry(f.session, planOf(f.session, f.users), 'dn', created['dn']!), created)

        const updated = rowOfResult(await apply(f, f.users, 'user_update', { description: `updated ${name}` }, id))
        assert.equal(updated['description'], `updated ${name}`)

        const renamedName = `${name}, renamed`
        const renamed = rowOfResult(await apply(f, f.users, 'user_rename', { [rdnOf(f)]: renamedName }, id))
        assert.equal(renamed[rdnOf(f)], renamedName)
        assert.equal(normalizeDn(parentDn(String(renamed['dn']))), normalizeDn(f.ou.dn))

        const moved = rowOfResult(await apply(f, f.users, 'user_move', { parent: target }, id))
        assert.equal(normalizeDn(String(moved['parent'])), normalizeDn(target))
        assert.equal(moved[rdnOf(f)], renamedName)

        assert.deepEqual(await apply(f, f.users, 'user_delete', {}, id), {})
        assert.equal(await lookupEntry(f.session, planOf(f.session, f.users), f.id, created[f.id]!), undefined)
      }
    })

    it('applies and looks up through the Connection the connector opens', async () => {
      const connection = await ldapConnector.open(configOf(server!), {
        projectDir: process.cwd(),
        logger: silentLogger,
        openDatabase: () => Promise.reject(new Error('no databases here')),
      })
      try {
        const schema = ldapConnector.functions!(f.users, configOf(server!))
        const create = schema.find((s) => s.semantics === 'create')!
        const result = await connection.apply(
          {
            id: 'c1',
            table: 'users',
            function: create.name,
            semantics: 'create',
            attributes: newUser(f, 'Via, Connection', 40),
          },
          { table: f.users, function: create },
        )
        const row = rowOfResult(result)
        assert.deepEqual(await connection.lookup!(f.users, 'dn', row['dn']!), row)
        assert.deepEqual(await connection.lookup!(f.users, f.id, row[f.id]!), row)
      } finally {
        await connection.close()
      }
    })

    it('renames to a name ending in a backslash (ldapts splits the new DN at the first unescaped comma)', async () => {
      const created = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'backslash', 50)))
      const id = key(f.id, created[f.id]!)
      const renamed = rowOfResult(await apply(f, f.users, 'user_rename', { [rdnOf(f)]: 'ends with\\' }, id))
      assert.equal(renamed[rdnOf(f)], 'ends with\\')
      assert.equal(normalizeDn(String(renamed['parent'])), normalizeDn(f.ou.dn))
      await apply(f, f.users, 'user_delete', {}, id)
    })

    it('finds the target by the dn and by a reference key too, and reports an unchanged rename or move', async () => {
      const created = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Keyed, K.', 51)))
      const byDn = key('dn', created['dn']!)
      const updated = rowOfResult(await apply(f, f.users, 'user_update', { givenName: 'Kay' }, byDn))
      assert.equal(updated['givenName'], 'Kay')
      const reference = kind === 'ad' ? key('sAMAccountName', created['sAMAccountName']!) : key('uid', created['uid']!)
      const same = await apply(f, f.users, 'user_rename', { [rdnOf(f)]: 'Keyed, K.' }, reference)
      assert.equal(same.unchanged, true)
      const stay = await apply(f, f.users, 'user_move', { parent: f.ou.dn.toUpperCase() }, reference)
      assert.equal(stay.unchanged, true)
      const none = await apply(f, f.users, 'user_update', {}, reference)
      assert.equal(none.unchanged, true)
      assert.equal(none.row?.['dn'], created['dn'])
      // An empty value removes the attribute; removing it again is no error.
      for (let i = 0; i < 2; i++) {
        const cleared = rowOfResult(await apply(f, f.users, 'user_update', { givenName: null }, byDn))
        assert.equal(cleared['givenName'], null)
      }
      await apply(f, f.users, 'user_delete', {}, byDn)
    })

    it('creates and changes groups and OUs', async () => {
      const target = childDn(kind === 'ad' ? 'OU' : 'ou', 'Groups + Teams', f.ou.dn)
      const ou = rowOfResult(await apply(f, f.ous, 'ou_create', { name: 'Groups + Teams', description: 'for groups' }))
      assert.equal(normalizeDn(String(ou['dn'])), normalizeDn(target))
      const ouUpdated = rowOfResult(await apply(f, f.ous, 'ou_update', { description: 'teams' }, key('dn', ou['dn']!)))
      assert.equal(ouUpdated['description'], 'teams')

      const name = 'Team "A", Ødegård'
      const created = rowOfResult(
        await apply(f, f.groups, 'group_create', {
          name,
          description: 'a team',
          ...(kind === 'ad' ? { sAMAccountName: `g${unique}a` } : {}),
        }),
      )
      assert.equal(created['name'], name)
      assert.equal(created['member'], null, 'no members (OpenLDAP: the placeholder reads as none)')
      const id = key(f.id, created[f.id]!)
      const renamed = rowOfResult(await apply(f, f.groups, 'group_rename', { name: `${name} 2` }, id))
      assert.equal(renamed['name'], `${name} 2`)
      const moved = rowOfResult(await apply(f, f.groups, 'group_move', { parent: target }, id))
      assert.equal(normalizeDn(String(moved['parent'])), normalizeDn(target))
      const updated = rowOfResult(await apply(f, f.groups, 'group_update', { description: null }, id))
      assert.equal(updated['description'], null)
      await assert.rejects(apply(f, f.ous, 'ou_delete', {}, key('dn', ou['dn']!)), { code: 'CON_LDAP_NOT_LEAF' })
      assert.deepEqual(await apply(f, f.groups, 'group_delete', {}, id), {})
      assert.deepEqual(await apply(f, f.ous, 'ou_delete', {}, key('dn', ou['dn']!)), {})
    })

    it('adds and removes members idempotently, with names that need escaping', async () => {
      const group = rowOfResult(
        await apply(f, f.groups, 'group_create', {
          name: 'Members, *all* + 王',
          ...(kind === 'ad' ? { sAMAccountName: `g${unique}m` } : {}),
        }),
      )
      const users = []
      for (const [i, name] of HOSTILE.slice(0, 2).entries()) {
        users.push(rowOfResult(await apply(f, f.users, 'user_create', newUser(f, `${name} m`, 60 + i))))
      }
      const pair = (user: Row) => ({ group: group['dn']!, member: user['dn']! })
      for (const user of users) {
        const added = await apply(f, f.memberships, 'membership_add', pair(user))
        assert.equal(added.unchanged, undefined)
        // The row a read collects: the DNs as the server returns them (here the ones the server gave).
        assert.deepEqual(added.row, pair(user))
      }
      const collected = rowsOf(await readPages(f.session, f.memberships)).filter((r) => r['group'] === group['dn'])
      assert.deepEqual(collected.sort(byMember), users.map(pair).sort(byMember))
      const again = await apply(f, f.memberships, 'membership_add', pair(users[0]!))
      assert.equal(again.unchanged, true)
      assert.deepEqual(again.row, pair(users[0]!))
      // OpenLDAP: the empty DN a groupOfNames was created with stays beside the real members.
      const members = (await readAttribute(f, String(group['dn']), 'member')).filter((m) => m !== '')
      assert.deepEqual(members.map(normalizeDn).sort(), users.map((u) => normalizeDn(String(u['dn']))).sort())

      for (const user of users) {
        const removed = await apply(f, f.memberships, 'membership_remove', pair(user))
        assert.equal(removed.unchanged, undefined)
        assert.deepEqual(removed.row, pair(user), 'the collected row, for the engine to remove')
        assert.equal((await apply(f, f.memberships, 'membership_remove', pair(user))).unchanged, true)
      }
      // OpenLDAP's groupOfNames keeps the empty DN as its one member; AD's group is empty.
      assert.deepEqual(await readAttribute(f, String(group['dn']), 'member'), kind === 'ad' ? [] : [''])
    })

    it(
      'removes the last member of a groupOfNames, leaving the empty DN in its place',
      { skip: kind !== 'ldap' },
      async () => {
        const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Only member', 65)))
        const group = rowOfResult(
          await apply(f, f.groups, 'group_create', { name: 'Only one', member: [String(user['dn'])] }),
        )
        assert.deepEqual(group['member'], [user['dn']])
        const pair = { group: group['dn']!, member: user['dn']! }
        assert.equal((await apply(f, f.memberships, 'membership_remove', pair)).unchanged, undefined)
        assert.deepEqual(await readAttribute(f, String(group['dn']), 'member'), [''])
        assert.equal((await apply(f, f.memberships, 'membership_remove', pair)).unchanged, true)
      },
    )

    it('returns after membership_add and _remove the row a read collects, also for DNs the mapping spells otherwise', async () => {
      // A memberships table with another column of the group: the vault identifies such rows by all values.
      const memberships = ldapTable('memberships', ['group', 'member', { name: 'groupName', source: 'cn' }], {
        options: { base: f.ou.dn },
      })
      const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Spelled, S.', 80)))
      const group = rowOfResult(
        await apply(f, f.groups, 'group_create', {
          name: 'Spelled Group',
          ...(kind === 'ad' ? { sAMAccountName: `g${unique}s` } : {}),
        }),
      )
      // As a mapping may write them: lower case, a space after each comma.
      const spelled = (dn: Value | undefined) => String(dn).toLowerCase().replace(/,/g, ', ')
      const given = { group: spelled(group['dn']), member: spelled(user['dn']) }
      const added = await apply(f, memberships, 'membership_add', given)
      const collected = rowsOf(await readPages(f.session, memberships))
      assert.equal(collected.length, 1)
      assert.deepEqual(added.row, collected[0])
      assert.deepEqual(collected[0], { group: group['dn'], member: user['dn'], groupName: 'Spelled Group' })

      const again = await apply(f, memberships, 'membership_add', given)
      assert.equal(again.unchanged, true)
      assert.deepEqual(again.row, collected[0])
      const removed = await apply(f, memberships, 'membership_remove', given)
      assert.equal(removed.unchanged, undefined)
      assert.deepEqual(removed.row, collected[0])
      assert.deepEqual(rowsOf(await readPages(f.session, memberships)), [])
      const gone = await apply(f, memberships, 'membership_remove', given)
      assert.equal(gone.unchanged, true)
      assert.deepEqual(gone.row, collected[0])
    })

    it(
      'returns for a member the group already holds in another spelling the row a read collects',
      { skip: kind !== 'ldap' },
      async () => {
        // OpenLDAP keeps a member value as it was written: another tool wrote this one in lower case.
        const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Held H', 81)))
        const group = rowOfResult(await apply(f, f.groups, 'group_create', { name: 'Held Group' }))
        const held = String(user['dn']).toLowerCase()
        await f.ou.client.modify(
          String(group['dn']),
          new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [held] }) }),
        )
        const collected = rowsOf(await readPages(f.session, f.memberships)).filter((r) => r['group'] === group['dn'])
        assert.deepEqual(collected, [{ group: group['dn'], member: held }])
        assert.notEqual(held, user['dn'])
        const again = await apply(f, f.memberships, 'membership_add', { group: group['dn']!, member: user['dn']! })
        assert.equal(again.unchanged, true)
        assert.deepEqual(again.row, collected[0])
      },
    )

    it('refuses a membership of a group that is no row of the table', async () => {
      const elsewhere = ldapTable('memberships', ['group', 'member'], {
        options: { base: f.ou.dn, filter: '(description=no such group)' },
      })
      const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Outside, O.', 82)))
      const group = rowOfResult(
        await apply(f, f.groups, 'group_create', {
          name: 'Outside Group',
          ...(kind === 'ad' ? { sAMAccountName: `g${unique}o` } : {}),
        }),
      )
      await assert.rejects(apply(f, elsewhere, 'membership_add', { group: group['dn']!, member: user['dn']! }), {
        code: 'CON_LDAP_NO_SUCH_OBJECT',
      })
      assert.deepEqual(
        rowOfResult(await apply(f, f.groups, 'group_update', {}, key('dn', group['dn']!)))['member'],
        null,
      )
    })

    it('empties a group with group_update (OpenLDAP: the empty DN a groupOfNames must hold)', async () => {
      const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Emptied, E.', 83)))
      const group = rowOfResult(
        await apply(f, f.groups, 'group_create', {
          name: 'To Empty',
          member: [String(user['dn'])],
          ...(kind === 'ad' ? { sAMAccountName: `g${unique}e` } : {}),
        }),
      )
      assert.deepEqual(group['member'], [user['dn']])
      const emptied = rowOfResult(await apply(f, f.groups, 'group_update', { member: [] }, key(f.id, group[f.id]!)))
      assert.equal(emptied['member'], null)
      assert.deepEqual(await readAttribute(f, String(group['dn']), 'member'), kind === 'ad' ? [] : [''])
      const filled = rowOfResult(
        await apply(f, f.groups, 'group_update', { member: [String(user['dn'])] }, key(f.id, group[f.id]!)),
      )
      assert.deepEqual(filled['member'], [user['dn']])
      // The directory keeps its own spelling of the DN; the rows carry the standard one.
      assert.deepEqual((await readAttribute(f, String(group['dn']), 'member')).map(canonicalDn), [String(user['dn'])])
    })

    it('creates and enables or disables accounts', { skip: kind !== 'ad' }, async () => {
      const password = 'Zoë-Ødegård!2026'
      const created = rowOfResult(
        await apply(f, f.users, 'user_create', newUser(f, 'Pass, Word', 70, { password, enabled: true })),
      )
      const dn = String(created['dn'])
      assert.equal(created['enabled'], true)
      assert.equal(created['userAccountControl'], 512)
      await bindAs(f.server, dn, password)

      const id = key(f.id, created[f.id]!)
      const disabled = rowOfResult(await apply(f, f.users, 'user_disable', {}, id))
      assert.deepEqual([disabled['enabled'], disabled['userAccountControl']], [false, 514])
      const refusal = await bindRefusal(f.server, dn, password)
      assert.equal(refusal.code, 49)
      assert.match(refusal.message, /data 533/, 'AD says: account disabled')
      assert.equal((await apply(f, f.users, 'user_disable', {}, id)).unchanged, true)

      const enabled = rowOfResult(await apply(f, f.users, 'user_enable', {}, id))
      assert.deepEqual([enabled['enabled'], enabled['userAccountControl']], [true, 512])
      await bindAs(f.server, dn, password)
      assert.equal((await apply(f, f.users, 'user_enable', {}, id)).unchanged, true)

      // A reset: the new password binds, the old one no longer does.
      await apply(f, f.users, 'user_update', { password: `${password}-2` }, id)
      await bindAs(f.server, dn, `${password}-2`)
      assert.equal((await bindRefusal(f.server, dn, password)).code, 49)

      // Other bits of userAccountControl survive a disable (0x10000 DONT_EXPIRE_PASSWORD).
      await apply(f, f.users, 'user_update', { userAccountControl: 512 | 0x10000 }, id)
      const kept = rowOfResult(await apply(f, f.users, 'user_disable', {}, id))
      assert.equal(kept['userAccountControl'], 512 | 0x10000 | 2)
    })

    it(
      'creates an account without a password disabled, and a group with AD defaults',
      { skip: kind !== 'ad' },
      async () => {
        const created = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'No password', 71)))
        assert.deepEqual([created['enabled'], created['userAccountControl']], [false, 514])
        const explicit = rowOfResult(
          await apply(
            f,
            f.users,
            'user_create',
            newUser(f, 'Expires', 72, { accountExpires: '2031-01-02T03:04:05.000Z' }),
          ),
        )
        assert.equal(explicit['accountExpires'], '2031-01-02T03:04:05.000Z')
        const never = rowOfResult(
          await apply(f, f.users, 'user_update', { accountExpires: null }, key(f.id, explicit[f.id]!)),
        )
        assert.equal(never['accountExpires'], null, "AD's never (0)")

        const group = rowOfResult(await apply(f, f.groups, 'group_create', { name: `gd${unique}` }))
        assert.deepEqual([group['sAMAccountName'], group['groupType']], [`gd${unique}`, -2147483646])
      },
    )

    it(
      'sets passwords with Password Modify and disables with the disable option',
      { skip: kind !== 'ldap' },
      async () => {
        const password = 'Zoë-Ødegård!2026'
        const created = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Pass, Word', 70, { password })))
        const dn = String(created['dn'])
        assert.equal(created['enabled'], true)
        await bindAs(f.server, dn, password)
        const stored = await readAttribute(f, dn, 'userPassword')
        assert.match(stored[0]!, /^\{SSHA\}/, 'the server hashed it by its own scheme')

        const id = key(f.id, created[f.id]!)
        await apply(f, f.users, 'user_update', { password: `${password}-2`, description: 'reset' }, id)
        await bindAs(f.server, dn, `${password}-2`)
        assert.equal((await bindRefusal(f.server, dn, password)).code, 49)

        const disabled = rowOfResult(await apply(f, f.users, 'user_disable', {}, id))
        assert.equal(disabled['enabled'], false)
        assert.deepEqual(await readAttribute(f, dn, 'employeeType'), ['disabled'])
        assert.equal((await apply(f, f.users, 'user_disable', {}, id)).unchanged, true)
        const enabled = rowOfResult(await apply(f, f.users, 'user_enable', {}, id))
        assert.equal(enabled['enabled'], true)
        assert.deepEqual(await readAttribute(f, dn, 'employeeType'), [])
        assert.equal((await apply(f, f.users, 'user_enable', {}, id)).unchanged, true)

        const off = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Off', 73, { enabled: false })))
        assert.equal(off['enabled'], false)
      },
    )
  })
}
