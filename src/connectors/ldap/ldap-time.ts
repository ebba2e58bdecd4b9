/**
 * Points in time as directories write them, to and from the data model's ISO 8601 UTC strings:
 * GeneralizedTime (RFC 4517 §3.3.13: `20261204210000Z`, AD's `20261204210000.0Z`, fractions of the
 * last given unit, `+hhmm` offsets) and AD's FILETIME integers (100-nanosecond intervals since
 * 1601-01-01 UTC in accountExpires, pwdLastSet, lastLogonTimestamp, lockoutTime…).
 */
import { isFiletimeAttribute } from './ldap-attributes.ts'
import type { LdapFlavour } from './ldap-schema.ts'

const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/i

/** 1601-01-01 to 1970-01-01 in milliseconds. */
const FILETIME_EPOCH_MS = 11_644_473_600_000n

/** FILETIME values that mean "never" rather than a point in time: unset and the largest 64-bit integer. */
const FILETIME_NEVER = new Set(['0', '9223372036854775807'])

/**
 * Whether a column holds AD FILETIME integers: an AD attribute of the catalogue's FILETIME list.
 * Read and write sides both ask this, so that digits are a point in time only where the directory
 * means one (an OpenLDAP employeeNumber of 19700 is no date of 1601).
 */
export function isFiletime(plan: { readonly flavour: LdapFlavour }, column: { readonly attribute: string }): boolean {
  return plan.flavour === 'ad' && isFiletimeAttribute(column.attribute)
}

const MS = { hour: 3_600_000, minute: 60_000, second: 1000 } as const

/**
 * A GeneralizedTime as milliseconds since 1970, or undefined when the text is not one (or names a
 * date that does not exist). The fraction belongs to the last unit given (`2026120421.5Z` is 21:30).
 */
export function parseGeneralizedTime(text: string): number | undefined {
  const m = GENERALIZED.exec(text.trim())
  if (m === null) return undefined
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => (m[i] === undefined ? 0 : Number(m[i])))
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return undefined
  const day = Date.UTC(y!, mo! - 1, d)
  if (new Date(day).getUTCDate() !== d) return undefined // 31 April
  const unit = m[6] !== undefined ? MS.second : m[5] !== undefined ? MS.minute : MS.hour
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * unit)
  let time = day + h! * MS.hour + mi! * MS.minute + s! * MS.second + fraction
  const zone = m[8]!.toUpperCase()
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    time -= sign * (Number(zone.slice(1, 3)) * MS.hour + Number(zone.slice(3, 5) || '0') * MS.minute)
  }
  return time
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

/**
 * ISO 8601 text (`2026-12-04`, `2026-12-04T21:00:00Z`), as some directories keep dates in text
 * attributes: milliseconds since 1970, or undefined. Without a zone the time is taken as UTC.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO.exec(text.trim())
  if (m === null) return undefined
  const zone = (m[8] ?? '').toUpperCase().replace(/^([+-]\d{2}):?(\d{2})$/, '$1$2')
  const compact = `${m[1]}${m[2]}${m[3]}${m[4] ?? '00'}${m[5] ?? '00'}${m[6] ?? '00'}${m[7] === undefined ? '' : `.${m[7]}`}`
  return parseGeneralizedTime(`${compact}${zone === '' ? 'Z' : zone}`)
}

/**
 * A FILETIME integer (as text) as milliseconds since 1970: null for 0 and 9223372036854775807
 * ("never"), undefined when the text is not a FILETIME a Date can hold.
 */
export function parseFiletime(text: string): number | null | undefined {
  const digits = text.trim()
  if (!/^\d+$/.test(digits)) return undefined
  if (FILETIME_NEVER.has(digits.replace(/^0+(?=\d)/, ''))) return null
  const ms = Number(BigInt(digits) / 10_000n - FILETIME_EPOCH_MS)
  return Number.isNaN(new Date(ms).getTime()) ? undefined : ms
}

/** `2026-12-04T21:00:00.000Z` as `20261204210000Z`, with `.fff` when there are milliseconds. */
export function toGeneralizedTime(iso: string): string | undefined {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return undefined
  const text = new Date(time).toISOString() // YYYY-MM-DDTHH:MM:SS.fffZ
  const ms = text.slice(20, 23)
  return `${text.slice(0, 19).replace(/[-T:]/g, '')}${ms === '000' ? '' : `.${ms}`}Z`
}

/** An ISO 8601 time as a FILETIME integer (text). */
export function toFiletime(iso: string): string | undefined {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return undefined
  return String((BigInt(time) + FILETIME_EPOCH_MS) * 10_000n)
}
