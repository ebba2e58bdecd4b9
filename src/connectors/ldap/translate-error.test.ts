/**
 * translateLdapError with the errors ldapts raises for what Samba AD and OpenLDAP really answered
 * (messages copied from the test servers), Node's network and TLS errors, and the rule that no
 * message ever carries a password.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { StatusCodeParser } from 'ldapts'
import { isProvisioError, type ProvisioError } from '../../core/index.ts'
import { DnSyntaxError } from './ldap-dn.ts'
import { checkPassword, requireEncryption } from './ldap-password.ts'
import { type LdapErrorContext, translateLdapError, windowsErrorOf } from './translate-error.ts'

/** The error ldapts throws for a result with this code and diagnostic message. */
function ldapts(status: number, errorMessage: string): Error {
  return StatusCodeParser.parse({ status, errorMessage } as Parameters<typeof StatusCodeParser.parse>[0])
}

const AD: LdapErrorContext = {
  action: 'user_create on dir.users',
  location: 'ldaps://127.0.0.1:636',
  flavour: 'ad',
  dn: 'CN=Jansen\\, Jan,OU=Staff,DC=example,DC=test',
}
const LDAP: LdapErrorContext = {
  ...AD,
  location: 'ldaps://127.0.0.1:3636',
  flavour: 'ldap',
  dn: 'uid=jan,ou=people,dc=example,dc=test',
}

/** [server, LDAP code, diagnostic message as the server sent it, expected code, AD's Windows error]. */
const REAL: readonly [string, number, string, string, string | undefined][] = [
  ['Samba', 68, 'Entry CN=u1,OU=wexp,DC=example,DC=test already exists', 'CON_LDAP_ALREADY_EXISTS', undefined],
  ['Samba', 68, "00002071: samldb: samAccountName 'wexpu1' already in use!", 'CON_LDAP_NAME_TAKEN', '2071'],
  [
    'Samba',
    19,
    "0000202F: samldb: userPrincipalName 'w3u1@example.test' is already in use ",
    'CON_LDAP_NAME_TAKEN',
    '202f',
  ],
  ['Samba', 19, "0000202F: samldb: sAMAccountName contains invalid '[' character\n", 'CON_LDAP_CONSTRAINT', '202f'],
  [
    'Samba',
    19,
    '0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 14 characters!',
    'CON_LDAP_PASSWORD_POLICY',
    '52d',
  ],
  [
    'Samba',
    16,
    "0000200A: objectclass_attrs: attribute 'fooBar' on entry 'CN=u6,OU=wexp,DC=example,DC=test' was not found in the schema!",
    'CON_LDAP_SCHEMA_VIOLATION',
    '200a',
  ],
  [
    'Samba',
    32,
    '00002030: objectclass: Cannot delete CN=nobody,OU=wexp,DC=example,DC=test, entry does not exist!',
    'CON_LDAP_NO_SUCH_OBJECT',
    '2030',
  ],
  [
    'Samba',
    32,
    "00000525: specified dn doesn't exist at ../../source4/dsdb/samdb/ldb_modules/extended_dn_store.c:160:extended_dn_handle_fpo_attr",
    'CON_LDAP_NO_SUCH_OBJECT',
    '525',
  ],
  [
    'Samba',
    80,
    '00002095: objectclass: Cannot rename CN=Mover\\, M.,OU=wexp,DC=example,DC=test, parent does not exist!',
    'CON_LDAP_NO_SUCH_OBJECT',
    '2095',
  ],
  [
    'Samba',
    53,
    "00002035: objectclass_attrs: delete protected attribute 'accountExpires' on entry 'CN=u1,OU=wexp,DC=example,DC=test' missing!",
    'CON_LDAP_UNWILLING',
    '2035',
  ],
  [
    'Samba',
    53,
    'Attribute member already deleted for target GUID e28a38e0-16e1-474d-94d2-f81bc32bd3d5',
    'CON_LDAP_UNWILLING',
    undefined,
  ],
  [
    'Samba',
    66,
    '00002015: subtree_delete: Unable to delete a non-leaf node (it has 5 children)!',
    'CON_LDAP_NOT_LEAF',
    '2015',
  ],
  ['OpenLDAP', 68, '', 'CON_LDAP_ALREADY_EXISTS', undefined],
  ['OpenLDAP', 65, "object class 'inetOrgPerson' requires attribute 'sn'", 'CON_LDAP_SCHEMA_VIOLATION', undefined],
  ['OpenLDAP', 65, '', 'CON_LDAP_SCHEMA_VIOLATION', undefined],
  ['OpenLDAP', 17, 'fooBar: attribute type undefined', 'CON_LDAP_SCHEMA_VIOLATION', undefined],
  ['OpenLDAP', 20, 'modify/add: member: value #0 already exists', 'CON_LDAP_CONSTRAINT', undefined],
  ['OpenLDAP', 21, 'member: value #0 invalid per syntax', 'CON_LDAP_INVALID_VALUE', undefined],
  ['OpenLDAP', 34, 'invalid DN', 'CON_LDAP_INVALID_VALUE', undefined],
  ['OpenLDAP', 32, 'new superior not found', 'CON_LDAP_NO_SUCH_OBJECT', undefined],
  ['OpenLDAP', 66, 'subordinate objects must be deleted first', 'CON_LDAP_NOT_LEAF', undefined],
  ['OpenLDAP', 16, 'modify/delete: member: no such value', 'CON_LDAP_FAILED', undefined],
]

function shown(error: ProvisioError): string {
  return JSON.stringify({ message: error.message, hint: error.hint, details: error.details })
}

describe('translateLdapError', () => {
  for (const [server, status, message, code, adError] of REAL) {
    it(`${server} ${status} "${message.slice(0, 50)}" → ${code}`, () => {
      const error = translateLdapError(ldapts(status, message), server === 'Samba' ? AD : LDAP)
      assert.equal(error.code, code)
      assert.equal(error.details?.['ldapCode'], status)
      assert.equal(error.details?.['adError'], adError)
      assert.equal(error.retry, 'never')
    })
  }

  it("starts with the action, the DN and the server, then the first line of the directory's words", () => {
    const error = translateLdapError(
      ldapts(19, "0000202F: samldb: sAMAccountName contains invalid '[' character\n"),
      AD,
    )
    assert.equal(
      error.message,
      "user_create on dir.users (CN=Jansen\\, Jan,OU=Staff,DC=example,DC=test) at ldaps://127.0.0.1:636: 0000202F: samldb: sAMAccountName contains invalid '[' character [LDAP 19, AD 202f]",
    )
    const empty = translateLdapError(ldapts(68, ''), LDAP)
    assert.equal(
      empty.message,
      'user_create on dir.users (uid=jan,ou=people,dc=example,dc=test) at ldaps://127.0.0.1:3636: Code: 0x44 [LDAP 68]',
    )
  })

  it("explains AD's bind failures by their Windows error", () => {
    const refused = translateLdapError(
      ldapts(49, '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 533, v1db1'),
      { ...AD, connecting: true },
    )
    assert.equal(refused.code, 'CON_LDAP_AUTH_FAILED')
    assert.equal(refused.details?.['adError'], '533')
    assert.match(refused.hint ?? '', /disabled/)
    const wrong = translateLdapError(
      ldapts(49, '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1'),
      AD,
    )
    assert.match(wrong.hint ?? '', /password is wrong/)
  })

  it('reads the Windows error from "data …" and from a leading code', () => {
    assert.equal(
      windowsErrorOf('80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1'),
      '52e',
    )
    assert.equal(windowsErrorOf('0000052D: Constraint violation - check_password_restrictions'), '52d')
    assert.equal(windowsErrorOf('modify/add: member: value #0 already exists'), undefined)
  })

  it('makes busy servers and lost connections retryable, and passes ProvisioErrors through', () => {
    assert.equal(translateLdapError(ldapts(51, 'busy'), LDAP).retry, 'safe')
    const lost = translateLdapError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), LDAP)
    assert.deepEqual([lost.code, lost.retry], ['CON_LDAP_CONNECTION_LOST', 'safe'])
    const untrusted = translateLdapError(
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      LDAP,
    )
    assert.equal(untrusted.code, 'CON_LDAP_TLS_UNTRUSTED')
    assert.equal(translateLdapError(lost, AD), lost)
  })

  it('keeps a reset during the TLS handshake retryable, with the hint about ldaps:// on a plain port', () => {
    const reset = Object.assign(
      new Error('Client network socket disconnected before secure TLS connection was established'),
      {
        code: 'ECONNRESET',
      },
    )
    const handshake = translateLdapError(reset, { ...LDAP, connecting: true, tlsPending: true })
    assert.deepEqual([handshake.code, handshake.retry], ['CON_LDAP_CONNECTION_LOST', 'safe'])
    assert.match(handshake.hint!, /ldaps:\/\/ URL on a plain LDAP port/)
    // Once TLS is up, a reset is just a lost connection.
    const later = translateLdapError(reset, LDAP)
    assert.equal(later.code, 'CON_LDAP_CONNECTION_LOST')
    assert.doesNotMatch(later.hint!, /plain LDAP port/)
    // A server that answers a TLS hello with something else: TLS failed, not retried.
    const wrongVersion = Object.assign(new Error('ssl3_get_record:wrong version number'), {
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
    })
    const tlsFailed = translateLdapError(wrongVersion, { ...LDAP, connecting: true, tlsPending: true })
    assert.deepEqual([tlsFailed.code, tlsFailed.retry], ['CON_LDAP_TLS_FAILED', 'never'])
    assert.equal(
      translateLdapError(Object.assign(new Error('x'), { code: 'EPROTO' }), LDAP).code,
      'CON_LDAP_TLS_FAILED',
    )
  })

  it('makes programming errors bugs with their cause, not operational directory failures', () => {
    const cases: unknown[] = [
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      new RangeError('Invalid array length'),
      new DnSyntaxError('not a dn', 0, 'expected attribute=value'),
      'a thrown string',
    ]
    for (const thrown of cases) {
      const error = translateLdapError(thrown, LDAP)
      assert.deepEqual([error.code, error.audience], ['BUG_UNEXPECTED', 'bug'], String(thrown))
      assert.equal(error.cause, thrown)
      assert.match(error.message, /^user_create on dir\.users at ldaps:\/\/127\.0\.0\.1:3636: /)
    }
    // What ldapts and the network throw stays a CON_LDAP_ error.
    assert.equal(translateLdapError(new Error('Connection closed'), LDAP).code, 'CON_LDAP_CONNECTION_LOST')
    assert.equal(translateLdapError(new Error('SearchRequest: Operation timed out'), LDAP).code, 'CON_LDAP_TIMEOUT')
    assert.equal(translateLdapError(ldapts(80, 'other'), LDAP).code, 'CON_LDAP_FAILED')
  })

  it('never shows a password: the directory does not echo it, and the connector does not add it', () => {
    const password = 'Zoë-Ødegård!2026'
    // What Samba said when a password was refused: the rule, not the value.
    const policy = translateLdapError(
      ldapts(
        19,
        '0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 14 characters!',
      ),
      { ...AD, action: 'user_update on dir.users' },
    )
    const encryption = (() => {
      try {
        requireEncryption({ url: ['ldap://dc1.example.test'], startTLS: false }, 'user_update on dir.users')
      } catch (error) {
        return error
      }
      assert.fail('expected a refusal')
    })()
    const nul = (() => {
      try {
        checkPassword('user_create on dir.users', `${password}\u0000`)
      } catch (error) {
        return error
      }
      assert.fail('expected a refusal')
    })()
    for (const error of [policy, encryption, nul]) {
      assert.ok(isProvisioError(error))
      assert.ok(!shown(error).includes(password), shown(error))
      assert.ok(!shown(error).includes('Ødegård'), shown(error))
    }
    assert.equal((encryption as ProvisioError).code, 'CON_LDAP_ENCRYPTION_REQUIRED')
  })
})
