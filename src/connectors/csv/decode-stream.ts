/**
 * Streams a file as decoded text, chunk by chunk, never holding the whole file.
 *
 * Byte order marks: EF BB BF (UTF-8), FF FE (UTF-16 LE) and FE FF (UTF-16 BE) are recognised and
 * skipped, and **a BOM wins over the declared encoding**: a file declared `utf-8` that starts with a
 * UTF-16 BOM is read as UTF-16. A BOM is unambiguous in practice, while the declared encoding is often
 * a guess copied from another system.
 *
 * Invalid bytes: each chunk is decoded with a fatal decoder. `TextDecoder` throws without saying
 * where, so on failure the first invalid sequence is located byte-wise and the file's prefix is
 * decoded again to turn that byte offset into a line and column. The happy path pays nothing for it.
 */
import { createReadStream } from 'node:fs'
import { type ByteDecoder, createByteDecoder } from './byte-decoders.ts'
import { csvError } from './csv-errors.ts'
import { toFsError } from './csv-files.ts'
import type { CsvEncoding } from './csv-schema.ts'
import { type InvalidBytes, toHex } from './find-invalid-bytes.ts'
import { LinePosition, type TextPosition } from './line-position.ts'

/** Size of the chunks read from disk. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024

/** How {@link decodeFile} reads. */
export interface DecodeOptions {
  /** The declared encoding; a BOM overrides it. */
  readonly encoding: CsvEncoding
  /** The file as messages name it (project-relative). */
  readonly displayPath: string
  /** Bytes per read; small values exercise chunk boundaries in tests. @default 1 MiB */
  readonly chunkSize?: number | undefined
}

/** A recognised byte order mark. */
export interface Bom {
  readonly encoding: CsvEncoding
  readonly length: number
}

/** The BOM at the start of `bytes`, if any. Needs the first 3 bytes (or the whole file when shorter). */
export function detectBom(bytes: Uint8Array): Bom | undefined {
  const [a, b, c] = bytes
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 }
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 }
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 }
  return undefined
}

interface DecodeState {
  readonly decoder: ByteDecoder
  readonly bomLength: number
  readonly declared: CsvEncoding
}

function startDecoding(head: Uint8Array, declared: CsvEncoding): DecodeState {
  const bom = detectBom(head)
  return { decoder: createByteDecoder(bom?.encoding ?? declared), bomLength: bom?.length ?? 0, declared }
}

/**
 * Yields the decoded text of `filePath`, one piece per chunk (empty pieces are skipped).
 * Throws CON_CSV_INVALID_ENCODING with line, column and the offending bytes in hex.
 */
export async function* decodeFile(filePath: string, options: DecodeOptions): AsyncGenerator<string, void, undefined> {
  const stream = createReadStream(filePath, { highWaterMark: options.chunkSize ?? DEFAULT_CHUNK_SIZE })
  let state: DecodeState | undefined
  let pending: Uint8Array = new Uint8Array(0)
  /** File offset of `pending[0]`. */
  let offset = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let bytes: Uint8Array = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      if (state === undefined) {
        if (bytes.length < 3) {
          pending = bytes
          continue
        }
        state = startDecoding(bytes, options.encoding)
        bytes = bytes.subarray(state.bomLength)
        offset = state.bomLength
      }
      const complete = bytes.length - state.decoder.incompleteTail(bytes)
      const text = await decodeChecked(filePath, options, state, bytes.subarray(0, complete), offset)
      offset += complete
      pending = bytes.slice(complete) // a copy: the read buffer is not ours to keep
      if (text !== '') yield text
    }
    if (state === undefined) {
      if (pending.length === 0) return
      state = startDecoding(pending, options.encoding)
      pending = pending.subarray(state.bomLength)
      offset = state.bomLength
    }
    // Bytes still pending at the end are a character cut off by the end of the file.
    if (pending.length > 0) {
      const text = await decodeChecked(filePath, options, state, pending, offset)
      if (text !== '') yield text
    }
  } catch (error) {
    throw toFsError(error, { kind: 'file', path: filePath })
  } finally {
    stream.destroy()
  }
}

async function decodeChecked(
  filePath: string,
  options: DecodeOptions,
  state: DecodeState,
  bytes: Uint8Array,
  offset: number,
): Promise<string> {
  try {
    return state.decoder.decode(bytes)
  } catch {
    const bad = state.decoder.findInvalid(bytes) ?? { offset: 0, length: Math.min(bytes.length, 4) }
    const position = await locateByteOffset(filePath, state, offset + bad.offset, options.chunkSize)
    throw invalidEncodingError(options, state, position, bytes, bad, offset + bad.offset)
  }
}

/** Decodes the (valid) bytes before `target` again, counting lines: runs only after a failure. */
async function locateByteOffset(
  filePath: string,
  state: DecodeState,
  target: number,
  chunkSize: number | undefined,
): Promise<TextPosition> {
  const position = new LinePosition()
  if (target <= state.bomLength) return position
  const decoder = createByteDecoder(state.decoder.encoding)
  const stream = createReadStream(filePath, {
    start: state.bomLength,
    end: target - 1,
    highWaterMark: chunkSize ?? DEFAULT_CHUNK_SIZE,
  })
  let pending: Uint8Array = new Uint8Array(0)
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const bytes = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
    const complete = bytes.length - decoder.incompleteTail(bytes)
    position.advance(decoder.decode(bytes.subarray(0, complete)))
    pending = bytes.slice(complete)
  }
  return position
}

const ENCODING_NAMES: Record<CsvEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252',
}

function describeProblem(encoding: CsvEncoding, bad: InvalidBytes, hex: string): string {
  if (encoding === 'utf-8') return `the bytes ${hex} are not valid UTF-8`
  if (bad.length === 1) return `the file ends with a single byte (${hex}); UTF-16 files have an even number of bytes`
  return `the bytes ${hex} are an unpaired UTF-16 surrogate`
}

function encodingHint(state: DecodeState): string {
  const actual = state.decoder.encoding
  if (actual !== state.declared) {
    return `The file starts with a ${ENCODING_NAMES[actual]} byte order mark, which overrides encoding: ${state.declared}; the file is damaged or was written with a wrong byte order mark. Re-export it.`
  }
  if (actual === 'utf-8') {
    return 'The file is probably not UTF-8 (Windows exports often write é as the single byte E9): set `encoding: windows-1252` in the config or the table options, or re-export the file as UTF-8.'
  }
  return 'The file is damaged or not UTF-16: check `encoding:` (utf-8, utf-16le, utf-16be, windows-1252), or re-export the file.'
}

function invalidEncodingError(
  options: DecodeOptions,
  state: DecodeState,
  position: TextPosition,
  bytes: Uint8Array,
  bad: InvalidBytes,
  fileOffset: number,
) {
  const encoding = state.decoder.encoding
  const hex = toHex(bytes.subarray(bad.offset, bad.offset + bad.length))
  const problem = describeProblem(encoding, bad, hex)
  const where = `${options.displayPath} line ${position.line}, column ${position.column}`
  const message = `${where}: ${problem} (byte offset ${fileOffset}).`
  const hint = encodingHint(state)
  return csvError('CON_CSV_INVALID_ENCODING', `Invalid ${ENCODING_NAMES[encoding]} in ${message}`, {
    hint,
    details: { byteOffset: fileOffset, bytes: hex, encoding },
    issues: [
      {
        code: 'CON_CSV_INVALID_ENCODING',
        message: `${problem}.`,
        hint,
        file: options.displayPath,
        line: position.line,
        column: position.column,
        value: hex,
      },
    ],
  })
}
