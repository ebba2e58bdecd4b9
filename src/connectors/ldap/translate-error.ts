/**
 * The LDAP connector's error boundary: whatever ldapts, TLS or the network threw becomes one
 * CON_LDAP_ error with a hint and a retry meaning. Classification reads the LDAP result code, Node's
 * system and TLS error codes and, on AD, the Windows error in the diagnostic message (`data 52e`,
 * `0000052D: Constraint violation`); free text only where nothing else tells.
 *
 * Only what ldapts, TLS or the network threw is translated: a programming error inside a
 * `session.use` (a TypeError, a DnSyntaxError) is a bug, not a directory failure, and becomes
 * BUG_UNEXPECTED with the original as cause instead of an operational CON_LDAP_FAILED.
 *
 * INVARIANT: no message built here contains a password. ldapts never puts one in an error, and no
 * request carries one that a directory could echo: passwords go in unicodePwd or a Password Modify
 * operation, whose errors AD and OpenLDAP state without the value. Directory messages may name other
 * values (Samba echoes the sAMAccountName already in use): these are row data, not secrets, and
 * secret attributes are never columns (ldap-table.ts).
 */
import { InvalidAsn1Error, MessageParserError, ResultCodeError } from 'ldapts'
import { coreError, ProvisioError } from '../../core/index.ts'
import { DnSyntaxError } from './ldap-dn.ts'
import { ldapError, type LdapErrorCode } from './ldap-errors.ts'
import type { LdapFlavour } from './ldap-schema.ts'

export interface LdapErrorContext {
  /** What was being done, without values: `user_create on users`, `Cannot read table users`. */
  readonly action: string
  /** The server's URL(s), for messages. */
  readonly location: string
  readonly flavour: LdapFlavour
  /** The failure happened while connecting or binding (a 32 then means the bind DN, not an entry). @default false */
  readonly connecting?: boolean | undefined
  /** The failure is of a search's base (32 means the base DN does not exist). @default false */
  readonly searchBase?: string | undefined
  /** The operation's DN, for messages. */
  readonly dn?: string | undefined
  /**
   * The failure happened on a connection whose TLS handshake had not completed (ldaps://, or
   * StartTLS after the server agreed): a connection reset there is how OpenLDAP and Samba answer a
   * TLS hello on their plain LDAP port, so the lost connection's hint says so. It stays retryable:
   * a reset may as well be the network. @default false
   */
  readonly tlsPending?: boolean | undefined
}

/** LDAP result codes (RFC 4511 §4.1.9) to error codes. */
const BY_RESULT: Readonly<Record<number, LdapErrorCode>> = {
  3: 'CON_LDAP_TIMEOUT', // timeLimitExceeded
  4: 'CON_LDAP_SIZE_LIMIT',
  8: 'CON_LDAP_ENCRYPTION_REQUIRED', // strongerAuthRequired
  13: 'CON_LDAP_ENCRYPTION_REQUIRED', // confidentialityRequired
  17: 'CON_LDAP_SCHEMA_VIOLATION', // undefinedAttributeType
  19: 'CON_LDAP_CONSTRAINT',
  20: 'CON_LDAP_CONSTRAINT', // attributeOrValueExists (only when not made idempotent)
  21: 'CON_LDAP_INVALID_VALUE', // invalidAttributeSyntax
  32: 'CON_LDAP_NO_SUCH_OBJECT',
  34: 'CON_LDAP_INVALID_VALUE', // invalidDNSyntax
  49: 'CON_LDAP_AUTH_FAILED',
  50: 'CON_LDAP_INSUFFICIENT_RIGHTS',
  51: 'CON_LDAP_BUSY',
  52: 'CON_LDAP_BUSY', // unavailable
  53: 'CON_LDAP_UNWILLING',
  64: 'CON_LDAP_INVALID_VALUE', // namingViolation
  65: 'CON_LDAP_SCHEMA_VIOLATION', // objectClassViolation
  66: 'CON_LDAP_NOT_LEAF',
  67: 'CON_LDAP_SCHEMA_VIOLATION', // notAllowedOnRDN
  68: 'CON_LDAP_ALREADY_EXISTS',
  69: 'CON_LDAP_SCHEMA_VIOLATION', // objectClassModsProhibited
  87: 'CON_LDAP_INVALID_FILTER',
}

/** Windows errors AD puts in its diagnostic message, to the clearer codes. */
const BY_WINDOWS_ERROR: Readonly<Record<string, LdapErrorCode>> = {
  '52d': 'CON_LDAP_PASSWORD_POLICY', // ERROR_PASSWORD_RESTRICTION
  '524': 'CON_LDAP_NAME_TAKEN', // ERROR_USER_EXISTS (sAMAccountName)
  '527': 'CON_LDAP_NAME_TAKEN',
  '2071': 'CON_LDAP_ALREADY_EXISTS', // ERROR_DS_OBJ_STRING_NAME_EXISTS
  '21c8': 'CON_LDAP_NAME_TAKEN', // ERROR_DS_ATTRIBUTE_OWNED_BY_SAM… / duplicate UPN (Samba)
  '2035': 'CON_LDAP_UNWILLING', // ERROR_DS_UNWILLING_TO_PERFORM
  '2095': 'CON_LDAP_NO_SUCH_OBJECT', // ERROR_DS_NO_PARENT_OBJECT: Samba's (LDAP 80) answer to a move into a missing OU
}

/** AD bind failures: `data 52e` and friends say why the credentials were refused. */
const BIND_REASONS: Readonly<Record<string, string>> = {
  '525': 'the bind account does not exist',
  '52e': 'the password is wrong',
  '530': 'the bind account may not log on at this time',
  '531': 'the bind account may not log on from this workstation',
  '532': 'the password of the bind account has expired',
  '533': 'the bind account is disabled',
  '701': 'the bind account has expired',
  '773': 'the bind account must change its password',
  '775': 'the bind account is locked out',
}

const NETWORK_CODES: Readonly<Record<string, LdapErrorCode>> = {
  ECONNREFUSED: 'CON_LDAP_UNREACHABLE',
  ENOTFOUND: 'CON_LDAP_UNREACHABLE',
  EAI_AGAIN: 'CON_LDAP_UNREACHABLE',
  EHOSTUNREACH: 'CON_LDAP_UNREACHABLE',
  ENETUNREACH: 'CON_LDAP_UNREACHABLE',
  ETIMEDOUT: 'CON_LDAP_UNREACHABLE',
  ECONNRESET: 'CON_LDAP_CONNECTION_LOST',
  EPIPE: 'CON_LDAP_CONNECTION_LOST',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'CON_LDAP_TLS_UNTRUSTED',
  UNABLE_TO_GET_ISSUER_CERT: 'CON_LDAP_TLS_UNTRUSTED',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'CON_LDAP_TLS_UNTRUSTED',
  SELF_SIGNED_CERT_IN_CHAIN: 'CON_LDAP_TLS_UNTRUSTED',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'CON_LDAP_TLS_UNTRUSTED',
  CERT_UNTRUSTED: 'CON_LDAP_TLS_UNTRUSTED',
  CERT_HAS_EXPIRED: 'CON_LDAP_TLS_UNTRUSTED',
  CERT_NOT_YET_VALID: 'CON_LDAP_TLS_UNTRUSTED',
  ERR_TLS_CERT_ALTNAME_INVALID: 'CON_LDAP_TLS_NAME_MISMATCH',
  ERR_SSL_WRONG_VERSION_NUMBER: 'CON_LDAP_TLS_FAILED',
  EPROTO: 'CON_LDAP_TLS_FAILED',
}

interface RawError {
  readonly code?: unknown
  readonly message?: unknown
}

/** The Windows error in an AD diagnostic message: `data 52e,` or a leading `0000052D:`. */
export function windowsErrorOf(message: string): string | undefined {
  const data = /\bdata ([0-9a-f]+)\b/i.exec(message)
  if (data !== null) return data[1]!.toLowerCase()
  const leading = /^0*([0-9a-f]+):/i.exec(message)
  return leading === null ? undefined : leading[1]!.toLowerCase()
}

type Classified = { code: LdapErrorCode; ldapCode?: number; adError?: string }

function classify(raw: RawError, context: LdapErrorContext): Classified {
  const message = typeof raw.message === 'string' ? raw.message : ''
  if (typeof raw.code === 'number') {
    const ldapCode = raw.code
    const adError = windowsErrorOf(message)
    let code = BY_RESULT[ldapCode] ?? 'CON_LDAP_FAILED'
    if (adError !== undefined && BY_WINDOWS_ERROR[adError] !== undefined && ldapCode !== 49)
      code = BY_WINDOWS_ERROR[adError]!
    // Samba answers a duplicate sAMAccountName with 68 and its own code 2071 ("samldb: samAccountName
    // 'x' already in use!"), where Windows says 524; it is a name clash, not an existing DN.
    if (ldapCode === 68 && /\bsamldb: (?:samAccountName|userPrincipalName)\b.*already in use/i.test(message)) {
      code = 'CON_LDAP_NAME_TAKEN'
    }
    // Samba answers an attribute its schema lacks with 16 noSuchAttribute ("… was not found in the schema!").
    if (ldapCode === 16 && /not found in the schema/i.test(message)) code = 'CON_LDAP_SCHEMA_VIOLATION'
    // Samba says "Failed to add … account name … already in use" without a Windows code.
    if (ldapCode === 19 && /already (?:in use|exists)|not unique|unique/i.test(message)) code = 'CON_LDAP_NAME_TAKEN'
    if (ldapCode === 19 && /password/i.test(message)) code = 'CON_LDAP_PASSWORD_POLICY'
    if (ldapCode === 53 && /password|unicodePwd/i.test(message) && /encrypt|secure|confidential/i.test(message)) {
      code = 'CON_LDAP_ENCRYPTION_REQUIRED'
    }
    if (ldapCode === 32 && (context.searchBase !== undefined || context.connecting === true))
      code = 'CON_LDAP_BASE_NOT_FOUND'
    return { code, ldapCode, ...(adError === undefined ? {} : { adError }) }
  }
  if (typeof raw.code === 'string' && NETWORK_CODES[raw.code] !== undefined) return { code: NETWORK_CODES[raw.code]! }
  if (/Connection timeout/i.test(message)) return { code: 'CON_LDAP_UNREACHABLE' }
  if (/Operation timed out/i.test(message)) return { code: 'CON_LDAP_TIMEOUT' }
  if (/Connection closed|Socket error|socket hang up|Socket connection not established/i.test(message)) {
    return { code: 'CON_LDAP_CONNECTION_LOST' }
  }
  if (/self[- ]signed|unable to verify|certificate/i.test(message)) return { code: 'CON_LDAP_TLS_UNTRUSTED' }
  if (/wrong version number|packet length too long|handshake/i.test(message)) return { code: 'CON_LDAP_TLS_FAILED' }
  if (/filter|parens|escaped/i.test(message)) return { code: 'CON_LDAP_INVALID_FILTER' }
  return { code: 'CON_LDAP_FAILED' }
}

/** Classes of errors that code throws, never a directory, TLS or the network. */
const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, DnSyntaxError]

/**
 * Whether `error` comes from ldapts, TLS or the network: an LDAP result, a Node system or TLS error
 * (a string `code`), or one of ldapts's plain Errors ("Connection closed…", "…Operation timed out").
 */
function isDirectoryError(error: unknown): boolean {
  if (error instanceof ResultCodeError || error instanceof MessageParserError || error instanceof InvalidAsn1Error) {
    return true // an LDAP result, or an answer that is not LDAP
  }
  if (!(error instanceof Error) || PROGRAMMING_ERRORS.some((kind) => error instanceof kind)) return false
  return typeof (error as RawError).code === 'string' || Object.getPrototypeOf(error) === Error.prototype
}

/**
 * Translates an error of ldapts, TLS or the network into a CON_LDAP_ ProvisioError (a ProvisioError
 * passes through; anything else is a bug: BUG_UNEXPECTED). The message starts with what was being
 * done and where, then the directory's own words.
 */
export function translateLdapError(error: unknown, context: LdapErrorContext): ProvisioError {
  if (error instanceof ProvisioError) return error
  if (!isDirectoryError(error)) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return coreError('BUG_UNEXPECTED', `${context.action} at ${context.location}: ${message}`, { cause: error })
  }
  const raw = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as RawError
  const { code, ldapCode, adError } = classify(raw, context)
  const said = typeof raw.message === 'string' && raw.message !== '' ? raw.message.split('\n')[0]!.trim() : code
  let hint: string | undefined
  if (code === 'CON_LDAP_AUTH_FAILED' && adError !== undefined && BIND_REASONS[adError] !== undefined) {
    hint = `AD says ${BIND_REASONS[adError]} (data ${adError}). Check \`config.bindDN\` and the password in the environment variable \`config.password\` names.`
  }
  if (code === 'CON_LDAP_CONNECTION_LOST' && context.tlsPending === true) {
    hint =
      'The server closed the connection during the TLS handshake. An ldaps:// URL on a plain LDAP port (389) does this: use port 636 for ldaps://, or ldap:// with `startTLS: true`. Otherwise it is the network: tried again automatically.'
  }
  if (code === 'CON_LDAP_BASE_NOT_FOUND' && context.searchBase !== undefined) {
    hint = `The base ${context.searchBase} is not in the directory. Correct \`config.baseDN\` or the table's \`options.base\`.`
  }
  const where = context.dn === undefined ? '' : ` (${context.dn})`
  const codeText = ldapCode === undefined ? '' : ` [LDAP ${ldapCode}${adError === undefined ? '' : `, AD ${adError}`}]`
  return ldapError(code, `${context.action}${where} at ${context.location}: ${said}${codeText}`, {
    ...(hint === undefined ? {} : { hint }),
    details: {
      ...(ldapCode === undefined ? {} : { ldapCode }),
      ...(adError === undefined ? {} : { adError }),
      ...(typeof raw.code === 'string' ? { systemCode: raw.code } : {}),
    },
    cause: error,
  })
}
