/**
 * Row values to attribute values, and the checks made before anything is sent (sAMAccountName,
 * DNs given as values), plus the pieces of a password request. Pure: no server.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Value } from '../../core/index.ts'
import { ldapTable } from '../../../test/support/ldap-kit.ts'
import { parseDn } from './ldap-dn.ts'
import {
  checkDn,
  checkSamAccountName,
  encodeValue,
  memberPlaceholder,
  rdnForModifyDn,
  shown,
  withDisabled,
} from './ldap-encode.ts'
import { isEncrypted, passwordModifyRequest, unicodePwd } from './ldap-password.ts'
import { type LdapTablePlan, planTable } from './ldap-table.ts'

const AD = { flavour: 'ad', baseDN: 'DC=example,DC=test', pageSize: 500 } as const
const LDAP = { flavour: 'ldap', baseDN: 'dc=example,dc=test', pageSize: 500 } as const

const COLUMNS = [
  'cn',
  'employeeNumber:integer',
  'salary:number',
  'msNPAllowDialin:boolean',
  'birthday:date',
  'validUntil:datetime',
  'accountExpires:datetime',
  'mail:string[]',
  'objectGUID',
  'jpegPhoto',
] as const

const adPlan = planTable(ldapTable('users', [...COLUMNS], { options: { base: 'OU=Staff,DC=example,DC=test' } }), AD)
const ldapPlan = planTable(ldapTable('users', [...COLUMNS]), LDAP)

function encode(plan: LdapTablePlan, column: string, value: Value) {
  return encodeValue(
    'user_update on dir.users',
    plan,
    plan.columns.find((c) => c.column.name === column)!,
    value,
  )
}

function refusal(work: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    work()
  } catch (error) {
    return error as never
  }
  assert.fail('expected a refusal')
}

describe('encodeValue', () => {
  it('writes each column type as its attribute syntax', () => {
    assert.deepEqual(encode(ldapPlan, 'cn', 'Zoë, Ødegård'), ['Zoë, Ødegård'])
    assert.deepEqual(encode(ldapPlan, 'employeeNumber', 42), ['42'])
    assert.deepEqual(encode(ldapPlan, 'salary', 1234.5), ['1234.5'])
    assert.deepEqual(encode(ldapPlan, 'msNPAllowDialin', true), ['TRUE'])
    assert.deepEqual(encode(ldapPlan, 'msNPAllowDialin', false), ['FALSE'])
    assert.deepEqual(encode(ldapPlan, 'birthday', '1990-02-28'), ['19900228000000Z'])
    assert.deepEqual(encode(ldapPlan, 'validUntil', '2026-12-04T21:00:00.000Z'), ['20261204210000Z'])
    assert.deepEqual(encode(ldapPlan, 'validUntil', '2026-12-04T21:00:00.123Z'), ['20261204210000.123Z'])
    assert.deepEqual(encode(ldapPlan, 'mail', ['a@example.test', '', 'b@example.test']), [
      'a@example.test',
      'b@example.test',
    ])
  })

  it("writes AD's FILETIME attributes as integers, and accountExpires' never as 0", () => {
    assert.deepEqual(encode(adPlan, 'accountExpires', '2031-01-02T03:04:05.000Z'), ['135695630450000000'])
    assert.deepEqual(encode(adPlan, 'accountExpires', null), ['0'])
    assert.deepEqual(encode(adPlan, 'validUntil', '2026-12-04T21:00:00.000Z'), ['20261204210000Z'])
    // On OpenLDAP accountExpires is nothing special.
    assert.deepEqual(encode(ldapPlan, 'accountExpires', null), [])
  })

  it('means "no value" by null, an empty text and an empty list', () => {
    for (const value of [null, '', [] as string[], ['']]) assert.deepEqual(encode(ldapPlan, 'cn', value), [])
  })

  it('writes binary attributes from their text forms', () => {
    const [guid] = encode(adPlan, 'objectGUID', '8d3b2c5e-7f0a-4b1c-9d2e-3f4a5b6c7d8e')
    assert.ok(Buffer.isBuffer(guid))
    assert.equal(guid.toString('hex'), '5e2c3b8d0a7f1c4b9d2e3f4a5b6c7d8e')
    assert.deepEqual(encode(adPlan, 'jpegPhoto', Buffer.from('photo').toString('base64')), [Buffer.from('photo')])
    const bad = refusal(() => encode(adPlan, 'jpegPhoto', 'not base64!'))
    assert.equal(bad.code, 'CON_LDAP_INVALID_VALUE')
    assert.deepEqual(bad.details, { parameter: 'jpegPhoto', value: 'not base64!' })
  })

  it('refuses several values for a single-valued column and text that is no date', () => {
    assert.equal(refusal(() => encode(ldapPlan, 'cn', ['a', 'b'])).code, 'CON_LDAP_INVALID_VALUE')
    const date = refusal(() => encode(ldapPlan, 'birthday', 'yesterday'))
    assert.equal(date.code, 'CON_LDAP_INVALID_VALUE')
    assert.match(date.message, /^user_update on dir\.users: birthday "yesterday" is not a date or datetime\.$/)
  })
})

describe('checks before sending', () => {
  const groups = planTable(ldapTable('groups', ['cn']), AD)

  it('allows a sAMAccountName AD allows: at most 20 characters for users, 256 for groups', () => {
    checkSamAccountName('a', adPlan, 'sAMAccountName', 'abcdefghijklmnopqrst')
    checkSamAccountName('a', adPlan, 'sAMAccountName', 'zoë.ødegård-o’brien')
    checkSamAccountName('a', groups, 'sAMAccountName', 'g'.repeat(256))
    assert.match(
      refusal(() => checkSamAccountName('a', adPlan, 's', 'abcdefghijklmnopqrstu')).message,
      /longer than 20/,
    )
    assert.match(refusal(() => checkSamAccountName('a', groups, 's', 'g'.repeat(257))).message, /longer than 256/)
    for (const c of '"/\\[]:;|=,+*?<>@') {
      const error = refusal(() => checkSamAccountName('a', adPlan, 's', `ab${c}cd`))
      assert.equal(error.code, 'CON_LDAP_INVALID_VALUE', c)
    }
    assert.match(refusal(() => checkSamAccountName('a', adPlan, 's', '. .')).message, /only of dots and spaces/)
  })

  it('accepts DNs that parse and refuses others, naming parameter and value', () => {
    assert.equal(
      checkDn('a', 'parent', 'OU=Staff\\, Europe,DC=example,DC=test'),
      'OU=Staff\\, Europe,DC=example,DC=test',
    )
    for (const value of ['', 'Staff', 'OU=a"b,DC=x', 42, null] as Value[]) {
      const error = refusal(() => checkDn('group_create on dir.groups', 'parent', value))
      assert.equal(error.code, 'CON_LDAP_INVALID_VALUE', String(value))
      assert.deepEqual(error.details, { parameter: 'parent', value })
    }
  })
})

describe('account state and group members', () => {
  const ldapUsers = planTable(
    ldapTable('users', ['uid'], { options: { disable: { attribute: 'employeeType', disabledValue: true } } }),
    LDAP,
  )
  const kept = planTable(
    ldapTable('users', ['uid'], {
      options: { disable: { attribute: 'loginShell', disabledValue: '/bin/false', enabledValue: '/bin/bash' } },
    }),
    LDAP,
  )

  it("flips only AD's ACCOUNTDISABLE bit, from NORMAL_ACCOUNT when there is none", () => {
    assert.deepEqual(withDisabled('a', adPlan, [], true), {
      operation: 'replace',
      attribute: 'userAccountControl',
      values: ['514'],
    })
    assert.deepEqual(withDisabled('a', adPlan, [], false).values, ['512'])
    assert.deepEqual(withDisabled('a', adPlan, [String(512 | 0x10000 | 2)], false).values, [String(512 | 0x10000)])
    assert.deepEqual(withDisabled('a', adPlan, [String(512 | 0x10000)], true).values, [String(512 | 0x10000 | 2)])
    const bad = refusal(() => withDisabled('user_create on dir.users', adPlan, ['x12'], true))
    assert.equal(bad.code, 'CON_LDAP_INVALID_VALUE')
    assert.deepEqual(bad.details, { parameter: 'userAccountControl', value: 'x12' })
  })

  it("writes the disable option's values, or deletes the disabled value when enabledValue is null", () => {
    assert.deepEqual(withDisabled('a', ldapUsers, [], true), {
      operation: 'replace',
      attribute: 'employeeType',
      values: ['TRUE'],
    })
    assert.deepEqual(withDisabled('a', ldapUsers, ['TRUE'], false), {
      operation: 'delete',
      attribute: 'employeeType',
      values: ['TRUE'],
    })
    assert.deepEqual(withDisabled('a', kept, [], false), {
      operation: 'replace',
      attribute: 'loginShell',
      values: ['/bin/bash'],
    })
  })

  it("puts the empty DN in place of no member where an ldap group's class requires one", () => {
    const groups = planTable(ldapTable('groups', ['cn', 'member:string[]']), LDAP)
    assert.deepEqual(memberPlaceholder(groups, 'member', []), [''])
    assert.deepEqual(memberPlaceholder(groups, 'Member', ['cn=a']), ['cn=a'])
    assert.deepEqual(memberPlaceholder(groups, 'description', []), [])
    const unique = planTable(ldapTable('groups', ['cn'], { options: { objectClasses: ['groupOfUniqueNames'] } }), LDAP)
    assert.deepEqual(memberPlaceholder(unique, 'uniqueMember', []), [''])
    assert.deepEqual(memberPlaceholder(unique, 'member', []), [])
    const memberships = planTable(ldapTable('memberships', ['group', 'member']), LDAP)
    assert.deepEqual(memberPlaceholder(memberships, 'member', []), [''])
    const posix = planTable(
      ldapTable('memberships', ['group', 'member'], { options: { memberAttribute: 'memberUid' } }),
      LDAP,
    )
    assert.deepEqual(memberPlaceholder(posix, 'memberUid', []), [])
    assert.deepEqual(
      memberPlaceholder(planTable(ldapTable('groups', ['cn']), AD), 'member', []),
      [],
      'AD groups may be empty',
    )
  })
})

describe('messages', () => {
  it('shows values and raw values alike: quoted, joined, binary by size, shortened', () => {
    assert.equal(shown('Zoë'), '"Zoë"')
    assert.equal(shown(['a', 'b']), '"a", "b"')
    assert.equal(shown([Buffer.from([1, 2, 3]), 'x']), '3 bytes, "x"')
    assert.equal(shown(null), 'null')
    assert.equal(shown('x'.repeat(100)).length, 78)
  })
})

describe('DNs of writes', () => {
  it('writes a backslash as \\5c in the new RDN of a modifyDN, so ldapts splits the new DN in the right place', () => {
    assert.equal(rdnForModifyDn([{ attribute: 'cn', value: 'ends with\\' }]), 'cn=ends with\\5c')
    assert.equal(rdnForModifyDn([{ attribute: 'cn', value: 'a\\,b' }]), 'cn=a\\5c\\,b')
    assert.deepEqual(parseDn(`${rdnForModifyDn([{ attribute: 'cn', value: 'x\\\\' }])},dc=test`)[0], [
      { attribute: 'cn', value: 'x\\\\' },
    ])
  })
})

describe('password requests', () => {
  it("encodes AD's unicodePwd as the quoted password in UTF-16LE", () => {
    assert.deepEqual(unicodePwd('Zoë1'), Buffer.from([0x22, 0, 0x5a, 0, 0x6f, 0, 0xeb, 0, 0x31, 0, 0x22, 0]))
  })

  it('encodes the Password Modify request of RFC 3062 with userIdentity [0] and newPasswd [2]', () => {
    assert.equal(
      passwordModifyRequest('uid=a', 'pä').toString('hex'),
      `300c8005${Buffer.from('uid=a').toString('hex')}8203${Buffer.from('pä').toString('hex')}`,
    )
  })

  it('counts a connection as encrypted with ldaps:// everywhere or StartTLS, to a server whose certificate is checked', () => {
    assert.equal(isEncrypted({ url: ['ldaps://a', 'ldaps://b'], startTLS: false }), true)
    assert.equal(isEncrypted({ url: ['ldap://a'], startTLS: true }), true)
    assert.equal(isEncrypted({ url: ['ldaps://a', 'ldap://b'], startTLS: false }), false)
    const unchecked = { rejectUnauthorized: false }
    assert.equal(isEncrypted({ url: ['ldaps://a'], startTLS: false, tls: unchecked }), false)
    assert.equal(isEncrypted({ url: ['ldap://a'], startTLS: true, tls: unchecked }), false)
    assert.equal(isEncrypted({ url: ['ldaps://a'], startTLS: false, tls: { rejectUnauthorized: true } }), true)
  })
})
