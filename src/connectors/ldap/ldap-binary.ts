/**
 * The string forms of AD's binary identifiers, both ways: objectGUID as PowerShell and ADUC show it
 * (`Get-ADUser … | select ObjectGUID`), objectSid as `S-1-5-21-…`. Other binary values are base64.
 */

const GUID = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i

/** Attributes holding a GUID, shown in the GUID form; objectGUID and Exchange's mailbox GUID. */
const GUID_ATTRIBUTES = new Set(['objectguid', 'msexchmailboxguid'])

/** Attributes holding a SID, shown as `S-1-5-21-…`. */
const SID_ATTRIBUTES = new Set(['objectsid', 'sidhistory', 'securityidentifier', 'tokengroups'])

type BinaryForm = 'guid' | 'sid' | 'base64'

/** How a binary attribute's values are shown as text. */
function binaryFormOf(attribute: string): BinaryForm {
  const name = attribute.toLowerCase()
  if (GUID_ATTRIBUTES.has(name)) return 'guid'
  if (SID_ATTRIBUTES.has(name)) return 'sid'
  return 'base64'
}

const hex = (bytes: Buffer, from: number, to: number) => bytes.subarray(from, to).toString('hex')
const reversed = (bytes: Buffer, from: number, to: number) => Buffer.from(bytes.subarray(from, to)).reverse()

/**
 * The 16 bytes of a GUID as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower case. The first three
 * groups are little-endian integers in the bytes (Microsoft's GUID layout), so they are byte-swapped.
 * Undefined when `bytes` is not 16 bytes long.
 */
export function guidToString(bytes: Buffer): string | undefined {
  if (bytes.length !== 16) return undefined
  const first = [reversed(bytes, 0, 4), reversed(bytes, 4, 6), reversed(bytes, 6, 8)].map((b) => b.toString('hex'))
  return `${first.join('-')}-${hex(bytes, 8, 10)}-${hex(bytes, 10, 16)}`
}

/** The bytes of a GUID in its string form (braces and upper case accepted); undefined when it is not one. */
export function guidToBuffer(text: string): Buffer | undefined {
  const m = GUID.exec(text.trim())
  if (m === null) return undefined
  const part = (i: number) => Buffer.from(m[i]!, 'hex')
  return Buffer.concat([part(1).reverse(), part(2).reverse(), part(3).reverse(), part(4), part(5)])
}

/**
 * A SID as `S-1-5-21-…`: revision, the 48-bit big-endian identifier authority (hex above 2^32, as
 * Windows writes it), then the sub-authorities, each a little-endian 32-bit integer. Undefined when
 * the bytes are not a SID.
 */
export function sidToString(bytes: Buffer): string | undefined {
  if (bytes.length < 8) return undefined
  const count = bytes[1]!
  if (bytes.length !== 8 + 4 * count) return undefined
  const authority = bytes.readUIntBE(2, 6)
  const shown = authority >= 2 ** 32 ? `0x${authority.toString(16).toUpperCase().padStart(12, '0')}` : String(authority)
  const parts = [`S-${bytes[0]}`, shown]
  for (let i = 0; i < count; i++) parts.push(String(bytes.readUInt32LE(8 + 4 * i)))
  return parts.join('-')
}

const SID = /^S-(\d{1,3})-(\d+|0x[0-9a-f]{12})((?:-\d+){0,15})$/i

/** The bytes of a SID in its string form; undefined when it is not one. */
export function sidToBuffer(text: string): Buffer | undefined {
  const m = SID.exec(text.trim())
  if (m === null) return undefined
  const revision = Number(m[1])
  const authority = Number(m[2])
  const subs = m[3] === '' ? [] : m[3]!.slice(1).split('-').map(Number)
  if (revision > 255 || !Number.isSafeInteger(authority) || authority >= 2 ** 48) return undefined
  if (subs.some((s) => s >= 2 ** 32)) return undefined
  const bytes = Buffer.alloc(8 + 4 * subs.length)
  bytes[0] = revision
  bytes[1] = subs.length
  bytes.writeUIntBE(authority, 2, 6)
  subs.forEach((s, i) => bytes.writeUInt32LE(s, 8 + 4 * i))
  return bytes
}

/** A binary value of `attribute` as text: GUID or SID form where it is one, else base64. */
export function binaryToText(attribute: string, bytes: Buffer): string {
  const form = binaryFormOf(attribute)
  const text = form === 'guid' ? guidToString(bytes) : form === 'sid' ? sidToString(bytes) : undefined
  return text ?? bytes.toString('base64')
}

/** The bytes a text form of `attribute` stands for (the inverse of {@link binaryToText}); undefined when it is not valid. */
export function textToBinary(attribute: string, text: string): Buffer | undefined {
  const form = binaryFormOf(attribute)
  if (form === 'guid') return guidToBuffer(text)
  if (form === 'sid') return sidToBuffer(text)
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined
  return Buffer.from(text, 'base64')
}
