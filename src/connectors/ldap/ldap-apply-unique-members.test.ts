/**
 * Memberships of a groupOfUniqueNames on OpenLDAP: such a group has no `member` attribute, so the
 * connector writes `uniqueMember` when the table does not name a member attribute, and reads it
 * back as the same row a read collects.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { LDAP_SERVER, skipReason } from '../../../test/support/ldap-servers.ts'
import {
  apply,
  type Fixture,
  fixtureOf,
  newUser,
  readAttribute,
  release,
  rowOfResult,
} from '../../../test/support/ldap-apply-kit.ts'
import { readPages, rowsOf } from '../../../test/support/ldap-kit.ts'
import { canonicalDn } from './ldap-dn.ts'

describe('membership_add and _remove on a groupOfUniqueNames (OpenLDAP)', { skip: skipReason('ldap') }, () => {
  let f: Fixture
  before(async () => {
    f = await fixtureOf(LDAP_SERVER!, 'unique')
  })
  after(() => release(f))

  it('writes uniqueMember, idempotently, and returns the row a read collects', async () => {
    const user = rowOfResult(await apply(f, f.users, 'user_create', newUser(f, 'Unique, U.', 90)))
    const group = `cn=Uniques,${f.ou.dn}`
    await f.ou.client.add(group, { objectClass: ['top', 'groupOfUniqueNames'], cn: 'Uniques', uniqueMember: [''] })
    const pair = { group, member: String(user['dn']) }
    const added = await apply(f, f.memberships, 'membership_add', pair)
    assert.equal(added.unchanged, undefined)
    assert.deepEqual((await readAttribute(f, group, 'uniqueMember')).filter((m) => m !== '').map(canonicalDn), [
      pair.member,
    ])
    const collected = rowsOf(await readPages(f.session, f.memberships)).filter((r) => r['group'] === group)
    assert.deepEqual(collected, [added.row])
    assert.equal((await apply(f, f.memberships, 'membership_add', pair)).unchanged, true)
    const removed = await apply(f, f.memberships, 'membership_remove', pair)
    assert.deepEqual(removed.row, added.row)
    assert.equal((await apply(f, f.memberships, 'membership_remove', pair)).unchanged, true)
  })
})
