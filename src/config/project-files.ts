/**
 * Finding and decoding a project's YAML files. Files are read as bytes and decoded strictly, so a
 * file saved in Latin-1 is reported at the first bad byte instead of silently turning into `�`.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Position } from './yaml-positions.ts'

const YAML_FILE = /\.ya?ml$/i

/**
 * Every *.yaml and *.yml file under `dir`, recursively, as sorted `/`-separated relative paths.
 * Skips node_modules and folders whose name starts with '.' (.git, .provisio data); symbolic links
 * to folders are not followed, so a link cycle cannot hang the loader.
 */
export async function findYamlFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true })
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
        await walk(child)
      } else if ((entry.isFile() || entry.isSymbolicLink()) && YAML_FILE.test(entry.name)) {
        found.push(child)
      }
    }
  }
  await walk('')
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** Whether `dir` exists and is a folder. */
export async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory()
  } catch {
    return false
  }
}

/** A file's text, or the position of its first byte that is not valid UTF-8. */
export type DecodedFile = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly at: Position }

/** Reads a file as bytes and decodes it strictly as UTF-8. */
export async function readUtf8(file: string): Promise<DecodedFile> {
  return decodeUtf8(await readFile(file))
}

/** Decodes strictly; a leading byte order mark is skipped. */
export function decodeUtf8(bytes: Uint8Array): DecodedFile {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { ok: false, at: firstInvalidByte(bytes) }
  }
}

/**
 * Line and column of the first invalid byte. A streaming decoder accepts any prefix that is valid so
 * far (an incomplete last sequence is not yet an error), so validity of prefixes is monotone and a
 * binary search finds the shortest invalid prefix.
 */
function firstInvalidByte(bytes: Uint8Array): Position {
  const isValidPrefix = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true })
      return true
    } catch {
      return false
    }
  }
  let low = 0
  let high = bytes.length
  while (low < high) {
    const mid = Math.floor((low + high) / 2)
    if (isValidPrefix(mid + 1)) low = mid + 1
    else high = mid
  }
  const offset = sequenceStart(bytes, Math.min(low, bytes.length - 1))
  const before = bytes.subarray(0, offset)
  const lineStart = before.lastIndexOf(0x0a) + 1
  let line = 1
  for (const byte of before) if (byte === 0x0a) line += 1
  const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1
  return { line, column }
}

/**
 * The decoder notices a truncated sequence only at the byte after it (`caf\xe9\n` fails at the
 * newline); point at the lead byte of that sequence instead, which is the byte the user must fix.
 */
function sequenceStart(bytes: Uint8Array, failedAt: number): number {
  for (let j = failedAt - 1; j >= Math.max(0, failedAt - 3); j -= 1) {
    const byte = bytes[j] ?? 0
    if (byte < 0x80) return failedAt
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2
      return j + length > failedAt ? j : failedAt
    }
  }
  return failedAt
}
