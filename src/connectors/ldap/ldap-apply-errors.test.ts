/**
 * What goes wrong when writing to the real directories, and the CON_LDAP_ code each failure gets:
 * an existing DN, a taken sAMAccountName, a password the domain refuses, a missing entry, an
 * attribute the schema lacks; values refused before anything is sent (proven with a session whose
 * server does not exist); and no password in any message. Lookups are here too.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { ProvisioError } from '../../core/index.ts'
import {
  apply,
  type Fixture,
  fixtureOf,
  key,
  newUser,
  release,
  rowOfResult,
  unique,
  failure,
} from '../../../test/support/ldap-apply-kit.ts'
import { ldapTable, planOf, sessionOf } from '../../../test/support/ldap-kit.ts'
import { AD_SERVER, LDAP_SERVER, skipReason, type TestDirectory } from '../../../test/support/ldap-servers.ts'
import { childDn, normalizeDn } from './ldap-dn.ts'
import { lookupEntry } from './ldap-lookup.ts'

/** Everything an error shows: message, hint, details and the causes' messages. */
function shown(error: ProvisioError): string {
  const causes: string[] = []
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) causes.push(cause.message)
  return JSON.stringify({ message: error.message, hint: error.hint, details: error.details, causes })
}

/** A fixture whose session points at a port where nothing listens: any request would fail as unreachable. */
function offline(f: Fixture, url: string) {
  return { ...f, session: sessionOf(f.server, { url }) }
}

/** A fine-grained password policy (AD) for one account: the domain's own policy stays as it is. */
async function withPasswordPolicy(f: Fixture, appliesTo: string, work: () => Promise<void>): Promise<void> {
  const dn = `CN=provisio-test-${unique},CN=Password Settings Container,CN=System,${f.server.baseDN}`
  await f.ou.client.add(dn, {
    objectClass: ['top', 'msDS-PasswordSettings'],
    'msDS-PasswordSettingsPrecedence': '10',
    'msDS-PasswordReversibleEncryptionEnabled': 'FALSE',
    'msDS-PasswordHistoryLength': '0',
    'msDS-PasswordComplexityEnabled': 'TRUE',
    'msDS-MinimumPasswordLength': '14',
    'msDS-MinimumPasswordAge': '0',
    'msDS-MaximumPasswordAge': '-9223372036854775808',
    'msDS-LockoutThreshold': '0',
    'msDS-LockoutObservationWindow': '-600000000',
    'msDS-LockoutDuration': '-600000000',
    'msDS-PSOAppliesTo': appliesTo,
  })
  try {
    await work()
  } finally {
    await f.ou.client.del(dn)
  }
}

/** An objectGUID / entryUUID no entry has. */
const MISSING_ID = '0badc0de-0000-4000-8000-000000000000'

for (const server of [LDAP_SERVER, AD_SERVER]) {
  const kind = server === AD_SERVER ? 'ad' : 'ldap'
  describe(`LDAP apply failures on ${kind === 'ad' ? 'Samba AD' : 'OpenLDAP'}`, { skip: skipReason(kind) }, () => {
    let f: Fixture

    before(async () => {
      f = await fixtureOf(server as TestDirectory, 'apply-errors')
    })
    after(() => release(f))

    it('refuses an existing DN with CON_LDAP_ALREADY_EXISTS and LDAP code 68', async () => {
      await apply(f, f.users, 'user_create', newUser(f, 'Twice, T.', 1))
      // Not as sent (an entry as sent is the same create tried again: ldap-apply-recovery.test.ts).
      const error = await failure(apply(f, f.users, 'user_create', newUser(f, 'Twice, T.', 2, { description: 'x' })))
      assert.equal(error.code, 'CON_LDAP_ALREADY_EXISTS')
      assert.equal(error.details?.['ldapCode'], 68)
      assert.match(error.message, /^user_create on dir\.users \(.*Twice\\, T\..*\) at ldaps:/)
    })

    it('refuses a taken sAMAccountName with CON_LDAP_NAME_TAKEN', { skip: kind !== 'ad' }, async () => {
      await apply(f, f.users, 'user_create', newUser(f, 'First holder', 3))
      const error = await failure(apply(f, f.users, 'user_create', { ...newUser(f, 'Second holder', 3) }))
      assert.equal(error.code, 'CON_LDAP_NAME_TAKEN')
      assert.equal(error.details?.['ldapCode'], 68)
    })

    it(
      'refuses a password the policy does not allow with CON_LDAP_PASSWORD_POLICY, never showing it',
      { skip: kind !== 'ad' },
      async () => {
        const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Policy, P.', 4)))
        await withPasswordPolicy(f, String(user['dn']), async () => {
          const password = 'Short1!xyz'
          const error = await failure(apply(f, f.users, 'user_update', { password }, key(f.id, user[f.id]!)))
          assert.equal(error.code, 'CON_LDAP_PASSWORD_POLICY')
          assert.equal(error.details?.['adError'], '52d')
          assert.ok(!shown(error).includes(password), shown(error))
        })
      },
    )

    it(
      'deletes a created entry again when its password cannot be set, never showing it',
      { skip: kind !== 'ldap' },
      async () => {
        // A device may not have a userPassword: the add succeeds, the Password Modify is refused.
        const devices = ldapTable('devices', ['entryUUID', 'cn', 'description'], {
          primaryKey: 'entryUUID',
          options: {
            ...f.users.options,
            objects: 'users',
            objectClasses: ['top', 'device'],
            rdnAttribute: 'cn',
            filter: '(objectClass=device)',
            disable: undefined,
          },
        })
        const password = 'Zoë-secret-2026'
        const error = await failure(apply(f, devices, 'user_create', { cn: 'Printer, 2nd floor', password }))
        assert.equal(error.code, 'CON_LDAP_SCHEMA_VIOLATION', error.message)
        assert.ok(!shown(error).includes(password), shown(error))
        assert.equal(await lookupEntry(f.session, planOf(f.session, devices), 'cn', 'Printer, 2nd floor'), undefined)
      },
    )

    it('reports a missing entry with CON_LDAP_NO_SUCH_OBJECT and a hint to collect again', async () => {
      const error = await failure(apply(f, f.users, 'user_update', { description: 'x' }, key(f.id, MISSING_ID)))
      assert.equal(error.code, 'CON_LDAP_NO_SUCH_OBJECT')
      assert.match(error.hint ?? '', /collect/)
      assert.equal(error.retry, 'never')

      const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Gone, G.', 6)))
      await apply(f, f.users, 'user_delete', {}, key('dn', user['dn']!))
      const again = await failure(apply(f, f.users, 'user_delete', {}, key('dn', user['dn']!)))
      assert.equal(again.code, 'CON_LDAP_NO_SUCH_OBJECT')

      const other = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Mover, M.', 7)))
      const nowhere = childDn(kind === 'ad' ? 'OU' : 'ou', 'Nowhere', f.ou.dn)
      const move = await failure(apply(f, f.users, 'user_move', { parent: nowhere }, key(f.id, other[f.id]!)))
      assert.equal(move.code, 'CON_LDAP_NO_SUCH_OBJECT', move.message)
      assert.match(move.message, /the container .*Nowhere.* does not exist/)
      assert.match(move.hint ?? '', /ou_create/)
    })

    it('reports an attribute the schema lacks with CON_LDAP_SCHEMA_VIOLATION', async () => {
      const users = ldapTable('users', [...f.users.columns, { name: 'fooBar', type: 'string', source: 'fooBar' }], {
        primaryKey: f.id,
        options: f.users.options,
      })
      const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Schema, S.', 8)))
      const error = await failure(apply(f, users, 'user_update', { fooBar: 'x' }, key(f.id, user[f.id]!)))
      assert.equal(error.code, 'CON_LDAP_SCHEMA_VIOLATION')
      assert.match(error.message, /fooBar/)
    })

    it('reports a missing required attribute with CON_LDAP_SCHEMA_VIOLATION', { skip: kind !== 'ldap' }, async () => {
      // sn is mandatory when declared; this table does not declare it, so only the server can say.
      const users = ldapTable('users', ['entryUUID', 'uid', 'cn'], {
        primaryKey: 'entryUUID',
        options: f.users.options,
      })
      const error = await failure(apply(f, users, 'user_create', { uid: 'nosn', cn: 'No Sn' }))
      assert.equal(error.code, 'CON_LDAP_SCHEMA_VIOLATION')
      assert.equal(error.details?.['ldapCode'], 65)
    })

    it('refuses a sAMAccountName AD would refuse, without a round trip', { skip: kind !== 'ad' }, async () => {
      const away = offline(f, 'ldaps://127.0.0.1:1')
      try {
        for (const [sam, why] of [
          ['abcdefghijklmnopqrstu', /longer than 20/],
          ['a[b]', /'\['/],
          ['jan@example', /'@'/],
          ['...', /dots/],
        ] as const) {
          const error = await failure(apply(away, f.users, 'user_create', { name: 'X', sAMAccountName: sam }))
          assert.equal(error.code, 'CON_LDAP_INVALID_VALUE', error.message)
          assert.match(error.message, why)
          assert.match(error.message, /^user_create on dir\.users: sAMAccountName /)
          assert.deepEqual(error.details, { parameter: 'sAMAccountName', value: sam })
        }
        const group = await failure(apply(away, f.groups, 'group_create', { name: 'R&D, Europe' }))
        assert.equal(group.code, 'CON_LDAP_INVALID_VALUE')
        assert.match(group.message, /sAMAccountName \(defaulting to the cn\) "R&D, Europe" contains ','/)
      } finally {
        await away.session.close()
      }
    })

    it('refuses a parent, group or member that is not a DN, or a parent outside the base, without a round trip', async () => {
      const away = offline(f, 'ldaps://127.0.0.1:1')
      try {
        const notDn = await failure(apply(away, f.users, 'user_create', newUser(f, 'P', 9, { parent: 'Staff' })))
        assert.equal(notDn.code, 'CON_LDAP_INVALID_VALUE')
        assert.deepEqual(notDn.details, { parameter: 'parent', value: 'Staff' })
        const outside = await failure(
          apply(away, f.users, 'user_create', newUser(f, 'P', 9, { parent: 'ou=elsewhere,dc=other,dc=test' })),
        )
        assert.equal(outside.code, 'CON_LDAP_INVALID_VALUE')
        assert.match(outside.message, /which is no row of the table \(its rows are within the table's base/)
        const member = await failure(apply(away, f.memberships, 'membership_add', { group: f.ou.dn, member: 'jan' }))
        assert.equal(member.code, 'CON_LDAP_INVALID_VALUE')
        assert.deepEqual(member.details, { parameter: 'member', value: 'jan' })
      } finally {
        await away.session.close()
      }
    })

    it('sends a password only over an encrypted connection to a server whose certificate is checked', async () => {
      const plain = offline(f, 'ldap://127.0.0.1:1')
      const unchecked = {
        ...f,
        session: sessionOf(f.server, { url: 'ldaps://127.0.0.1:1', tls: { rejectUnauthorized: false } }),
      }
      try {
        const password = 'Plain-text-1!'
        const error = await failure(apply(plain, f.users, 'user_create', newUser(f, 'Plain', 10, { password })))
        assert.equal(error.code, 'CON_LDAP_ENCRYPTION_REQUIRED')
        assert.match(error.message, /is not encrypted; nothing was sent/)
        assert.match(error.hint ?? '', /ldaps:\/\//)
        assert.ok(!shown(error).includes(password))
        for (const work of [
          apply(unchecked, f.users, 'user_create', newUser(f, 'Unchecked', 11, { password })),
          apply(unchecked, f.users, 'user_update', { password }, key(f.id, MISSING_ID)),
        ]) {
          const refused = await failure(work)
          assert.equal(refused.code, 'CON_LDAP_ENCRYPTION_REQUIRED', refused.message)
          assert.match(refused.message, /certificate is not checked .*nothing was sent/)
          assert.match(refused.hint ?? '', /config\.tls\.ca/)
          assert.ok(!shown(refused).includes(password))
        }
      } finally {
        await plain.session.close()
        await unchecked.session.close()
      }
    })

    it('refuses to create or move an entry where it would be no row of the table (its base and scope)', async () => {
      const deep = await f.ou.child('deep')
      const users = (scope: string) =>
        ldapTable(
          'users',
          f.users.columns.map((c) => ({ ...c })),
          {
            primaryKey: f.id,
            referenceKeys: ['dn'],
            options: { ...f.users.options, scope },
          },
        )
      const one = users('one')
      const away = offline(f, 'ldaps://127.0.0.1:1')
      try {
        // Refused before anything is sent.
        const below = await failure(apply(away, one, 'user_create', newUser(f, 'Deep, D.', 20, { parent: deep })))
        assert.equal(below.code, 'CON_LDAP_INVALID_VALUE', below.message)
        assert.match(below.message, /no row of the table \(the table's scope is one/)
        assert.deepEqual(below.details, { parameter: 'parent', value: deep })
        const base = await failure(apply(away, users('base'), 'user_create', newUser(f, 'Base, B.', 21)))
        assert.match(
          base.message,
          /^user_create on dir\.users: parent \(defaulting to the table's createIn\) .*scope is base/,
        )
      } finally {
        await away.session.close()
      }
      // Directly below the base is a row of a scope-one table: created, and not moved below it.
      const created = rowOfResult(await apply(f, one, 'user_create', newUser(f, 'Flat, F.', 22)))
      const move = await failure(apply(f, one, 'user_move', { parent: deep }, key(f.id, created[f.id]!)))
      assert.equal(move.code, 'CON_LDAP_INVALID_VALUE', move.message)
      assert.match(move.message, /scope is one/)
      assert.deepEqual(await lookupEntry(f.session, planOf(f.session, one), f.id, created[f.id]!), created)
      // A sub-scope table takes both.
      const moved = rowOfResult(await apply(f, f.users, 'user_move', { parent: deep }, key(f.id, created[f.id]!)))
      assert.equal(normalizeDn(String(moved['parent'])), normalizeDn(deep))
    })

    it('checks operations against the function before sending anything', async () => {
      const away = offline(f, 'ldaps://127.0.0.1:1')
      try {
        const prohibited = await failure(apply(away, f.users, 'user_update', { dn: 'cn=x' }, key(f.id, MISSING_ID)))
        assert.equal(prohibited.code, 'CON_LDAP_INVALID_OPERATION')
        const keyless = await failure(apply(away, f.users, 'user_delete', {}))
        assert.equal(keyless.code, 'CON_LDAP_INVALID_OPERATION')
        const controller = new AbortController()
        controller.abort()
        await assert.rejects(apply(away, f.users, 'user_delete', {}, key(f.id, MISSING_ID), controller.signal), {
          name: 'AbortError',
        })
      } finally {
        await away.session.close()
      }
    })

    it('looks entries up by the primary key, the dn and another column; none is undefined, two are an error', async () => {
      const plan = planOf(f.session, f.users)
      const a = rowOfResult(
        await apply(f, f.users, 'user_create', newUser(f, 'Look *up*', 11, { description: 'twin' })),
      )
      await apply(f, f.users, 'user_create', newUser(f, 'Look (up) 2', 12, { description: 'twin' }))
      assert.deepEqual(await lookupEntry(f.session, plan, f.id, a[f.id]!), a)
      assert.deepEqual(await lookupEntry(f.session, plan, 'dn', a['dn']!), a)
      assert.deepEqual(await lookupEntry(f.session, plan, 'dn', String(a['dn']).toUpperCase()), a)
      assert.equal(await lookupEntry(f.session, plan, f.id, MISSING_ID), undefined)
      assert.equal(await lookupEntry(f.session, plan, 'dn', childDn('cn', 'nobody', f.ou.dn)), undefined)
      assert.equal(
        await lookupEntry(f.session, plan, 'dn', `cn=admin,${f.server.baseDN}`),
        undefined,
        'outside the base',
      )
      assert.equal(await lookupEntry(f.session, plan, 'dn', 'not a dn'), undefined)
      assert.equal(await lookupEntry(f.session, plan, 'description', null), undefined)
      const twins = await failure(lookupEntry(f.session, plan, 'description', 'twin'))
      assert.equal(twins.code, 'CON_LDAP_AMBIGUOUS_KEY')
      const computed = await failure(lookupEntry(f.session, plan, 'enabled', true))
      assert.equal(computed.code, 'CON_LDAP_INVALID_OPERATION')
      const pairs = await failure(lookupEntry(f.session, planOf(f.session, f.memberships), 'group', f.ou.dn))
      assert.equal(pairs.code, 'CON_LDAP_INVALID_OPERATION')
    })

    it('reports a member that does not exist with CON_LDAP_NO_SUCH_OBJECT', { skip: kind !== 'ad' }, async () => {
      const group = rowOfResult(await apply(f, f.groups, 'group_create', { name: `gm${unique}` }))
      const error = await failure(
        apply(f, f.memberships, 'membership_add', { group: group['dn']!, member: childDn('CN', 'Nobody', f.ou.dn) }),
      )
      assert.equal(error.code, 'CON_LDAP_NO_SUCH_OBJECT')
    })
  })
}
