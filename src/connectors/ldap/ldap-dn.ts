/**
 * Distinguished names (RFC 4514) and filter values (RFC 4515). Every value that reaches a DN goes
 * through these functions: a surname such as `O'Brien, Jr.` must name one entry, never change the
 * shape of the DN. The connector's own filters are ldapts filter objects (EqualityFilter…), which
 * encode values as they are and need no escaping; escapeFilterValue and equalityFilter write RFC
 * 4515 filter text (`*)(uid=*` stays one value) for those who build filters as text.
 */
import { escapeDnValue } from '../../core/index.ts'

export { escapeDnValue }

/** One attribute-value pair of an RDN (`cn=Jan Jansen`), the value unescaped. */
interface AttributeValue {
  readonly attribute: string
  readonly value: string
}

/** An RDN: usually one pair; several joined with `+` in a multi-valued RDN. */
export type Rdn = readonly AttributeValue[]

const HEX = '0123456789abcdef'

function hexByte(byte: number): string {
  return `\\${HEX[byte >> 4]}${HEX[byte & 15]}`
}

/**
 * Escapes a value for a filter (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL as `\2a`, `\28`, `\29`,
 * `\5c`, `\00`. A Buffer (an objectGUID) is escaped byte by byte.
 *
 * @example `(sAMAccountName=${escapeFilterValue('*)(uid=*')})` // '(sAMAccountName=\\2a\\29\\28uid=\\2a)'
 */
export function escapeFilterValue(value: string | Buffer): string {
  if (Buffer.isBuffer(value)) return [...value].map(hexByte).join('')
  let out = ''
  for (const c of value) {
    if (c === '*') out += '\\2a'
    else if (c === '(') out += '\\28'
    else if (c === ')') out += '\\29'
    else if (c === '\\') out += '\\5c'
    else if (c === '\0') out += '\\00'
    else out += c
  }
  return out
}

/** `(attribute=value)` with the value escaped. */
export function equalityFilter(attribute: string, value: string | Buffer): string {
  return `(${attribute}=${escapeFilterValue(value)})`
}

/** Thrown for text that is not a DN; the message says where. */
export class DnSyntaxError extends Error {
  constructor(
    readonly dn: string,
    readonly position: number,
    reason: string,
  ) {
    super(`'${dn}' is not a valid DN at character ${position + 1}: ${reason}.`)
    this.name = 'DnSyntaxError'
  }
}

function decodeHexPairs(bytes: number[]): string {
  return Buffer.from(bytes).toString('utf8')
}

/**
 * Parses a DN into its RDNs, first (the entry's own) to last, values unescaped (`\,`, `\2C` and
 * multi-byte `\C3\A9` sequences). A `#`-hex value (BER) is kept as written.
 */
export function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = []
  if (dn.trim() === '') return rdns
  let i = 0
  let rdn: AttributeValue[] = []
  while (i <= dn.length) {
    // attribute type
    while (dn[i] === ' ') i++
    const typeStart = i
    while (i < dn.length && dn[i] !== '=' && dn[i] !== ',' && dn[i] !== '+') i++
    const attribute = dn.slice(typeStart, i).trim()
    if (dn[i] !== '=' || attribute === '') throw new DnSyntaxError(dn, i, 'expected attribute=value')
    if (!/^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/.test(attribute)) {
      throw new DnSyntaxError(dn, typeStart, `'${attribute}' is not an attribute type`)
    }
    i++ // '='
    let value = ''
    let pending: number[] = []
    // Where the last escaped character ends, in characters of `value`: trailing spaces up to it stay.
    let lastEscaped = -1
    const flush = () => {
      if (pending.length === 0) return
      // Counted once decoded: `\C3\A9` is two bytes but one character.
      value += decodeHexPairs(pending)
      lastEscaped = value.length
      pending = []
    }
    if (dn[i] === '#') {
      const start = i
      while (i < dn.length && dn[i] !== ',' && dn[i] !== '+') i++
      value = dn.slice(start, i).trim()
    } else {
      while (i < dn.length && dn[i] !== ',' && dn[i] !== '+') {
        const c = dn[i]!
        if (c === '\\') {
          const next = dn.slice(i + 1, i + 3)
          if (/^[0-9A-Fa-f]{2}$/.test(next)) {
            pending.push(parseInt(next, 16))
            i += 3
          } else if (i + 1 < dn.length) {
            flush()
            value += dn[i + 1]
            lastEscaped = value.length
            i += 2
          } else throw new DnSyntaxError(dn, i, 'a backslash ends the DN')
          continue
        }
        if (c === '"' || c === ';' || c === '<' || c === '>') throw new DnSyntaxError(dn, i, `'${c}' must be escaped`)
        flush()
        value += c
        i++
      }
      flush()
      // Unescaped trailing spaces are not part of the value (an escaped one is).
      let end = value.length
      while (end > 0 && value[end - 1] === ' ' && end > lastEscaped) end--
      value = value.slice(0, end)
    }
    rdn.push({ attribute, value })
    if (i >= dn.length) {
      rdns.push(rdn)
      break
    }
    if (dn[i] === ',') {
      rdns.push(rdn)
      rdn = []
    }
    i++
  }
  return rdns
}

/** Writes RDNs back as a DN string, values escaped. */
export function formatDn(rdns: readonly Rdn[]): string {
  return rdns.map((rdn) => rdn.map((p) => `${p.attribute}=${escapeDnValue(p.value)}`).join('+')).join(',')
}

/** `attribute=value,parent`, the value escaped. */
export function childDn(attribute: string, value: string, parent: string): string {
  const rdn = `${attribute}=${escapeDnValue(value)}`
  return parent === '' ? rdn : `${rdn},${parent}`
}

/** The DN of the entry's container (`OU=Staff,DC=example,DC=test` of `CN=Jan,OU=Staff,…`); '' for a top entry. */
/** A DN without escapes, quotes, multi-valued RDNs or spaces around separators: already standard. */
const PLAIN_DN =
  /^(?:[A-Za-z][A-Za-z0-9-]*=[^\\,+"<>;=#\s\0](?:[^\\,+"<>;=\0]*[^\\,+"<>;=\s\0])?)(?:,[A-Za-z][A-Za-z0-9-]*=[^\\,+"<>;=#\s\0](?:[^\\,+"<>;=\0]*[^\\,+"<>;=\s\0])?)*$/

/**
 * The standard spelling of a DN: values escaped exactly as {@link escapeDnValue} (and the
 * expression function `escape_dn`) does, attribute names and value case kept. Servers spell the
 * same DN differently (AD writes `;` as `\3B`, OpenLDAP `,` as `\2C`); rows carry this form, so
 * that a DN a mapping builds compares equal to the one collected. Text that is not a DN (a
 * memberUid) is returned as it is.
 */
export function canonicalDn(text: string): string {
  // Most DNs need nothing (`uid=jsmith,ou=people,dc=example,dc=test`): this runs for every entry
  // of a collection, so those are recognised without parsing.
  if (PLAIN_DN.test(text)) return text
  try {
    return formatDn(parseDn(text))
  } catch {
    return text
  }
}

export function parentDn(dn: string): string {
  if (PLAIN_DN.test(dn)) {
    const comma = dn.indexOf(',')
    return comma < 0 ? '' : dn.slice(comma + 1)
  }
  parseDn(dn) // throws for what is not a DN
  // The rest of the DN as written, not re-escaped: the server's own spelling (OpenLDAP writes
  // `\2C`, AD `\,`), so that a child's parent equals the container's dn as the server returns it.
  const end = rdnEnd(dn)
  return end < 0 ? '' : dn.slice(end + 1).trimStart()
}

/** The index of the `,` that ends the first RDN of a valid DN, or -1 for a one-RDN DN. */
function rdnEnd(dn: string): number {
  // An escaped character (or the first digit of a hex pair) is never a separator: skip it.
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === '\\') i++
    else if (dn[i] === ',') return i
  }
  return -1
}

/**
 * A form for comparing DNs: attribute types and values lower-cased, escapes normalised, spaces
 * around separators gone. Two DNs name the same entry when their normal forms are equal.
 */
export function normalizeDn(dn: string): string {
  return normalizedRdns(dn).join(',')
}

function normalizedRdns(dn: string): string[] {
  return parseDn(dn).map((rdn) =>
    [...rdn]
      .map((p) => `${p.attribute.toLowerCase()}=${escapeDnValue(p.value.toLowerCase())}`)
      .sort()
      .join('+'),
  )
}

/** Whether `dn` is `ancestor` or below it. */
export function isWithin(dn: string, ancestor: string): boolean {
  // RDN by RDN: on the text, `cn=a\,ou=Staff,dc=x` would seem to end in `,ou=Staff,dc=x`.
  const a = normalizedRdns(ancestor)
  const d = normalizedRdns(dn)
  const offset = d.length - a.length
  return offset >= 0 && a.every((rdn, i) => d[offset + i] === rdn)
}
