/**
 * Setting a password, without ever putting it into a message, an error, a log or a returned row.
 *
 * - AD: the attribute unicodePwd, whose value is the password in double quotes, UTF-16LE encoded.
 *   AD accepts it only over an encrypted connection.
 * - ldap: the Password Modify extended operation (RFC 3062, OID 1.3.6.1.4.1.4203.1.11.1), not a
 *   hash made here. The server then hashes with its own scheme (OpenLDAP's olcPasswordHash, {SSHA}
 *   by default; 389 DS's PBKDF2), applies its password policy (ppolicy quality checks, history,
 *   pwdChangedTime) and stays free to change schemes; a client-made {SSHA} would fix the weakest
 *   common scheme (salted SHA-1) and bypass the policy. OpenLDAP, 389 DS, OpenDJ and ApacheDS all
 *   offer the operation. It needs the entry to exist, so a create adds the entry first.
 *
 * Both flavours refuse to send a password over a connection that is not encrypted, or whose server
 * certificate is not checked (CON_LDAP_ENCRYPTION_REQUIRED, before anything is sent): on the wire,
 * or to whoever is in between, it would be readable.
 */
import { BerWriter, type Client } from 'ldapts'
import type { Value } from '../../core/index.ts'
import { ldapError } from './ldap-errors.ts'
import type { LdapConfig } from './ldap-schema.ts'

/** RFC 3062's Password Modify extended operation. */
const PASSWORD_MODIFY_OID = '1.3.6.1.4.1.4203.1.11.1'

/** What decides whether a password may be sent: the URLs, StartTLS, and whether the certificate is checked. */
type ConnectionSecurity = Pick<LdapConfig, 'url' | 'startTLS'> & {
  readonly tls?: Pick<LdapConfig['tls'], 'rejectUnauthorized'> | undefined
}

/** Why a password may not be sent over the system's connections, or undefined when it may. */
function unsafeFor(config: ConnectionSecurity): { why: string; hint: string } | undefined {
  if (!config.startTLS && !config.url.every((url) => url.toLowerCase().startsWith('ldaps:'))) {
    return {
      why: `${config.url.join(', ')} is not encrypted`,
      hint: 'Use ldaps:// URLs (port 636), or `startTLS: true` with ldap:// URLs.',
    }
  }
  if (config.tls?.rejectUnauthorized === false) {
    return {
      why: "the server's certificate is not checked (`tls.rejectUnauthorized: false`), so whoever answers would receive it",
      hint: 'Give the CA that issued the certificate as `config.tls.ca` and remove `rejectUnauthorized: false` (it is meant only for trying a connection).',
    }
  }
  return undefined
}

/**
 * Whether a password may be sent: every connection is encrypted (every URL ldaps://, or StartTLS)
 * AND made to a server whose certificate was checked. An unchecked certificate encrypts the
 * password for whoever answers, which is no protection against someone in between.
 */
export function isEncrypted(config: ConnectionSecurity): boolean {
  return unsafeFor(config) === undefined
}

/** Throws CON_LDAP_ENCRYPTION_REQUIRED unless {@link isEncrypted}; `action` names the function and table. */
export function requireEncryption(config: ConnectionSecurity, action: string): void {
  const unsafe = unsafeFor(config)
  if (unsafe === undefined) return
  throw ldapError(
    'CON_LDAP_ENCRYPTION_REQUIRED',
    `${action}: a password is sent only over an encrypted connection to a verified server, and ${unsafe.why}; nothing was sent.`,
    { hint: unsafe.hint },
  )
}

/** The password as a non-empty text; the message never shows it. */
export function checkPassword(action: string, value: Value): string {
  if (typeof value !== 'string' || value === '') {
    throw ldapError('CON_LDAP_INVALID_VALUE', `${action}: the password is empty or not a text.`, {
      hint: "Check the mapping's password generator: a password must be a non-empty text.",
      details: { parameter: 'password' },
    })
  }
  if (value.includes('\0')) {
    throw ldapError('CON_LDAP_INVALID_VALUE', `${action}: the password holds a NUL character.`, {
      hint: "Check the mapping's password generator.",
      details: { parameter: 'password' },
    })
  }
  return value
}

/** AD's unicodePwd value: `"password"` in UTF-16LE. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le')
}

/**
 * The request value of a Password Modify operation (RFC 3062 §2):
 * `SEQUENCE { userIdentity [0] OCTET STRING, newPasswd [2] OCTET STRING }` (no oldPasswd: the bind
 * account resets it). Strings are UTF-8.
 */
export function passwordModifyRequest(dn: string, password: string): Buffer {
  const writer = new BerWriter()
  writer.startSequence()
  writer.writeString(dn, 0x80)
  writer.writeString(password, 0x82)
  writer.endSequence()
  return writer.buffer
}

/**
 * Sets `dn`'s password with the Password Modify operation. A server without it answers with
 * protocolError (2): that becomes CON_LDAP_UNWILLING saying so. Other failures are thrown as
 * ldapts raised them, for the caller to translate (they carry no password).
 */
export async function setPasswordByExop(client: Client, dn: string, password: string, action: string): Promise<void> {
  try {
    await client.exop(PASSWORD_MODIFY_OID, passwordModifyRequest(dn, password))
  } catch (error) {
    if ((error as { code?: unknown }).code !== 2) throw error
    throw ldapError(
      'CON_LDAP_UNWILLING',
      `${action} (${dn}): the server does not offer the Password Modify operation (RFC 3062).`,
      {
        hint: 'Enable it on the server (OpenLDAP and 389 DS have it built in), or do not map a password for this system.',
        details: { ldapCode: 2 },
        cause: error,
      },
    )
  }
}
