/**
 * Finding and decoding a project's YAML files. Files are read as bytes and decoded strictly, so a
 * file saved in Latin-1 is reported at the first bad byte instead of silently turning into `�`.
 *
 * Every read can go through an overlay: the project as it would be after an edit, with some files'
 * new text (or their removal) held in memory. An edit is then checked exactly as the written project
 * would be, without writing or copying anything.
 */
import { existsSync, readFileSync } from 'node:fs'
import { lstat, readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { coreError } from '../core/index.ts'
import type { Position } from './yaml-positions.ts'

const YAML_FILE = /\.ya?ml$/i

/**
 * Project-relative files (`/` separators, as loadProject names them) → their new text, or null when
 * the edit removes the file. Files not in it are read from the project folder as they are.
 */
export type ProjectOverlay = ReadonlyMap<string, string | null>

const NO_OVERLAY: ProjectOverlay = new Map()

/**
 * Throws BUG_UNEXPECTED unless every file of `files` is a plain relative path inside `dir` that is not
 * reached through a linked folder or a file: the API checks the paths it accepts before (a document's
 * file, a file edit's path), so a path that gets here otherwise is a bug, and it must not make the
 * check read (or, once written, the edit write) anywhere else than where the loader looks.
 */
export async function checkOverlay(dir: string, files: ProjectOverlay): Promise<void> {
  for (const file of files.keys()) {
    const parts = file.split('/')
    if (
      path.isAbsolute(file) ||
      path.win32.isAbsolute(file) ||
      /[\\\0]/.test(file) ||
      parts.some((p) => p === '' || p === '.' || p === '..')
    ) {
      throw coreError('BUG_UNEXPECTED', `The overlay file '${file}' is not a plain path relative to the project.`)
    }
    for (let i = 1; i < parts.length; i++) {
      const folder = await lstat(path.join(dir, ...parts.slice(0, i))).catch(() => undefined)
      if (folder === undefined) break
      if (!folder.isDirectory()) {
        throw coreError(
          'BUG_UNEXPECTED',
          `The overlay file '${file}' is reached through '${parts.slice(0, i).join('/')}', which is not a folder of the project.`,
        )
      }
    }
  }
}

/** Whether the loader's walk of the folders would list `file` (a checked overlay path) if it existed. */
function isListed(file: string): boolean {
  const parts = file.split('/')
  const folders = parts.slice(0, -1)
  return YAML_FILE.test(parts.at(-1) ?? '') && !folders.some((f) => f === 'node_modules' || f.startsWith('.'))
}

/**
 * Every *.yaml and *.yml file under `dir`, recursively, as sorted `/`-separated relative paths.
 * Skips node_modules and folders whose name starts with '.' (.git, .provisio data); symbolic links
 * to folders are not followed, so a link cycle cannot hang the loader. With `files` (checked by
 * {@link checkOverlay}), a file it adds is listed and one it removes is not.
 */
export async function findYamlFiles(dir: string, files: ProjectOverlay = NO_OVERLAY): Promise<string[]> {
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
  for (const [file, text] of files) {
    const at = found.indexOf(file)
    if (text === null && at >= 0) found.splice(at, 1)
    else if (text !== null && at < 0 && isListed(file)) found.push(file)
  }
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

/**
 * The project file `file` (relative, `/`-separated) of `dir` as {@link readUtf8} decodes it, its
 * text in `files` when the overlay has it. That text goes through the same decoding as the bytes
 * written would (a byte order mark dropped, a lone surrogate a U+FFFD), so positions are the same.
 */
export async function readProjectUtf8(dir: string, file: string, files: ProjectOverlay = NO_OVERLAY) {
  const text = files.get(file)
  if (text === undefined || text === null) return readUtf8(path.join(dir, ...file.split('/')))
  return decodeUtf8(Buffer.from(text, 'utf8'))
}

/**
 * The project file `file`'s text as written (leniently decoded, a byte order mark kept), from
 * `files` when the overlay has it, or undefined when it cannot be read.
 */
export function projectFileTextSync(dir: string, file: string, files: ProjectOverlay = NO_OVERLAY): string | undefined {
  const text = files.get(file)
  if (text === null) return undefined
  if (text !== undefined) return Buffer.from(text, 'utf8').toString('utf8')
  try {
    return readFileSync(path.join(dir, ...file.split('/')), 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Whether `target` (a path relative to `dir`, or absolute) names an existing entry, as the project
 * would be with `files`: a file the overlay adds exists, one it removes does not.
 */
export function projectPathExists(dir: string, target: string, files: ProjectOverlay = NO_OVERLAY): boolean {
  const absolute = path.resolve(dir, target)
  const relative = path.relative(path.resolve(dir), absolute).split(path.sep).join('/')
  const text = files.get(relative)
  if (text !== undefined) return text !== null
  return existsSync(absolute)
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
