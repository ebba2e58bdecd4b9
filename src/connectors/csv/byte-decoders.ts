/**
 * One decoder per supported encoding. Each decodes whole characters only: the stream carries the
 * bytes of a character cut by a chunk boundary over to the next chunk (`incompleteTail`), so the
 * bytes handed to `decode` are known exactly and an error can be positioned.
 */
import type { CsvEncoding } from './csv-schema.ts'
import {
  findInvalidUtf16,
  findInvalidUtf8,
  type InvalidBytes,
  utf16IncompleteTail,
  utf8IncompleteTail,
} from './find-invalid-bytes.ts'

/** Decodes complete characters of one encoding. */
export interface ByteDecoder {
  readonly encoding: CsvEncoding
  /** Bytes at the end of `bytes` that begin a character which is not complete yet. */
  incompleteTail(bytes: Uint8Array): number
  /** Decodes `bytes`; throws when they are not valid in the encoding. */
  decode(bytes: Uint8Array): string
  /** The first invalid sequence in `bytes`, for the error message after `decode` threw. */
  findInvalid(bytes: Uint8Array): InvalidBytes | undefined
}

function textDecoder(label: 'utf-8' | 'utf-16le' | 'utf-16be') {
  // ignoreBOM: the stream has already removed a leading BOM; a U+FEFF later in the file is data.
  return new TextDecoder(label, { fatal: true, ignoreBOM: true })
}

function utf8Decoder(): ByteDecoder {
  const decoder = textDecoder('utf-8')
  return {
    encoding: 'utf-8',
    incompleteTail: utf8IncompleteTail,
    decode: (bytes) => decoder.decode(bytes),
    findInvalid: findInvalidUtf8,
  }
}

function utf16Decoder(encoding: 'utf-16le' | 'utf-16be'): ByteDecoder {
  const decoder = textDecoder(encoding)
  const littleEndian = encoding === 'utf-16le'
  return {
    encoding,
    incompleteTail: (bytes) => utf16IncompleteTail(bytes, littleEndian),
    decode: (bytes) => decoder.decode(bytes),
    findInvalid: (bytes) => findInvalidUtf16(bytes, littleEndian),
  }
}

/**
 * Windows-1252 bytes 0x80–0x9F, per the WHATWG index (https://encoding.spec.whatwg.org/index-windows-1252.txt).
 * Node ≥ 20.18.3 decodes 'windows-1252' as ISO-8859-1 (nodejs/node#56542, #60888), turning € into
 * U+0080, so the mapping is done here instead of by `TextDecoder`.
 */
const WINDOWS_1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178'

const C1_RANGE = /[\u0080-\u009f]/g

function windows1252Decoder(): ByteDecoder {
  return {
    encoding: 'windows-1252',
    incompleteTail: () => 0,
    decode(bytes) {
      const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
      return latin1.replace(C1_RANGE, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c)
    },
    // Every byte has a character in Windows-1252.
    findInvalid: () => undefined,
  }
}

/** A fresh decoder for `encoding`. */
export function createByteDecoder(encoding: CsvEncoding): ByteDecoder {
  switch (encoding) {
    case 'utf-8':
      return utf8Decoder()
    case 'utf-16le':
    case 'utf-16be':
      return utf16Decoder(encoding)
    case 'windows-1252':
      return windows1252Decoder()
  }
}
