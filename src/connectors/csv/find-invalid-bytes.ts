/**
 * Byte-level validators. `TextDecoder` with `fatal: true` says *that* bytes are invalid but not
 * *where*; these functions find the first invalid sequence so the error can name its line and column.
 * They run only after the decoder has failed, so they favour clarity over speed.
 */

/** The first ill-formed sequence in a byte range: where it starts and how many bytes belong to it. */
export interface InvalidBytes {
  readonly offset: number
  readonly length: number
}

/**
 * Length of a well-formed UTF-8 sequence at `i`, or the length of the ill-formed part as a negative
 * number (the "maximal subpart" of Unicode §3.9, at least 1 byte).
 * Table 3-7 of the Unicode standard lists the allowed second bytes per lead byte.
 */
function utf8SequenceAt(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0
  if (b0 < 0x80) return 1
  let need: number
  let lo = 0x80
  let hi = 0xbf
  if (b0 >= 0xc2 && b0 <= 0xdf) need = 1
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 2
    if (b0 === 0xe0) lo = 0xa0
    if (b0 === 0xed) hi = 0x9f // UTF-16 surrogates are not characters
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 3
    if (b0 === 0xf0) lo = 0x90
    if (b0 === 0xf4) hi = 0x8f // above U+10FFFF
  } else return -1
  for (let k = 1; k <= need; k++) {
    const b = bytes[i + k]
    const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf]
    if (b === undefined || b < min || b > max) return -k
  }
  return need + 1
}

/** The first invalid UTF-8 sequence in `bytes`; a sequence cut off by the end counts as invalid. */
export function findInvalidUtf8(bytes: Uint8Array): InvalidBytes | undefined {
  let i = 0
  while (i < bytes.length) {
    const n = utf8SequenceAt(bytes, i)
    if (n < 0) return { offset: i, length: -n }
    i += n
  }
  return undefined
}

function codeUnit(bytes: Uint8Array, i: number, littleEndian: boolean): number {
  const a = bytes[i] ?? 0
  const b = bytes[i + 1] ?? 0
  return littleEndian ? a | (b << 8) : (a << 8) | b
}

/** The first unpaired surrogate in `bytes` (UTF-16), or the odd last byte. */
export function findInvalidUtf16(bytes: Uint8Array, littleEndian: boolean): InvalidBytes | undefined {
  const even = bytes.length - (bytes.length % 2)
  for (let i = 0; i < even; i += 2) {
    const u = codeUnit(bytes, i, littleEndian)
    if (u >= 0xdc00 && u <= 0xdfff) return { offset: i, length: 2 }
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = i + 2 < even ? codeUnit(bytes, i + 2, littleEndian) : -1
      if (next < 0xdc00 || next > 0xdfff) return { offset: i, length: 2 }
      i += 2
    }
  }
  return even === bytes.length ? undefined : { offset: even, length: 1 }
}

/**
 * How many bytes at the end of a UTF-8 chunk start a character that continues in the next chunk.
 * Those bytes are carried over, so each chunk is decoded on its own without a streaming decoder.
 */
export function utf8IncompleteTail(bytes: Uint8Array): number {
  const n = bytes.length
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back] ?? 0
    if ((b & 0xc0) === 0x80) continue // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return need > back ? back : 0
  }
  return 0
}

/** Bytes at the end of a UTF-16 chunk to carry over: an odd byte and a high surrogate waiting for its pair. */
export function utf16IncompleteTail(bytes: Uint8Array, littleEndian: boolean): number {
  const odd = bytes.length % 2
  const last = bytes.length - odd - 2
  if (last < 0) return odd
  const u = codeUnit(bytes, last, littleEndian)
  return u >= 0xd800 && u <= 0xdbff ? odd + 2 : odd
}

/** `E9 20 41` */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')
}
