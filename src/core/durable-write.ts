/**
 * Durable atomic file writes, shared by every layer that replaces a file the project cannot lose
 * (YAML documents, the secret key, the server's TLS key): the text goes into a temporary file beside
 * the target, is flushed to the disk (fsync) before the rename, and the folder is flushed after it.
 * A rename alone is atomic but not durable: after a power loss the folder may point at a file whose
 * data never reached the disk, leaving an empty or partial file where the old one was.
 *
 * The one place in core that does I/O; it knows nothing of the project's formats.
 */
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { type FileHandle, link, mkdir, open, rename, rm, stat, unlink } from 'node:fs/promises'
import path from 'node:path'

export interface DurableWriteOptions {
  /**
   * The file's permissions, pinned whatever the umask. @default the replaced file's mode, or for a
   * new file 0o666 narrowed by the umask
   */
  readonly mode?: number | undefined
  /**
   * Never replace an existing file: fails with EEXIST instead, as `flag: 'wx'` does (two processes
   * making the same file at once must not overwrite each other's). @default false
   */
  readonly exclusive?: boolean | undefined
}

/** Codes of platforms that refuse to open or fsync a folder (Windows, some network file systems). */
const NO_DIRECTORY_SYNC = new Set(['EISDIR', 'EINVAL', 'EPERM'])
/** Codes of file systems without hard links (FAT, some FUSE mounts): an exclusive write falls back. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'])

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

/** A temporary name beside `file`, hidden and unique, so that a leftover is recognisable. */
function temporaryFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
}

/**
 * Flushes `dir`'s entries (a rename, a new file) to the disk. Platforms that cannot open or fsync a
 * folder refuse with EISDIR, EINVAL or EPERM; there the rename is as durable as the platform allows,
 * so those are ignored rather than failing a write that did happen.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (error) {
    if (!NO_DIRECTORY_SYNC.has(codeOf(error) ?? '')) throw error
  } finally {
    await handle?.close()
  }
}

/** {@link syncDirectory}, synchronously. */
export function syncDirectorySync(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch (error) {
    if (!NO_DIRECTORY_SYNC.has(codeOf(error) ?? '')) throw error
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * The folders a recursive mkdir made, from `dir` up to `created` (the first one it made), each with
 * the folder that holds it: each new entry must be flushed in its parent to survive a power loss.
 */
function madeFolders(dir: string, created: string | undefined): string[] {
  if (created === undefined) return []
  const parents: string[] = []
  for (let folder = path.resolve(dir); ; folder = path.dirname(folder)) {
    parents.push(path.dirname(folder))
    if (folder === path.resolve(created) || folder === path.dirname(folder)) return parents
  }
}

/** `mkdir -p dir`, durably: every folder it makes is flushed in its parent. */
export async function makeDirectoryDurably(dir: string, options: { readonly mode?: number } = {}): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: options.mode })
  for (const parent of madeFolders(dir, created)) await syncDirectory(parent)
}

/** {@link makeDirectoryDurably}, synchronously. */
export function makeDirectoryDurablySync(dir: string, options: { readonly mode?: number } = {}): void {
  const created = mkdirSync(dir, { recursive: true, mode: options.mode })
  for (const parent of madeFolders(dir, created)) syncDirectorySync(parent)
}

/** The mode the new file gets: the option, else the replaced file's (undefined: a new file, default mode). */
async function modeFor(file: string, options: DurableWriteOptions): Promise<number | undefined> {
  if (options.mode !== undefined || options.exclusive === true) return options.mode
  return stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  )
}

function modeForSync(file: string, options: DurableWriteOptions): number | undefined {
  if (options.mode !== undefined || options.exclusive === true) return options.mode
  try {
    return statSync(file).mode & 0o7777
  } catch {
    return undefined
  }
}

/**
 * Writes `data` to `file` durably and atomically: a crash or power loss leaves the old file or the
 * new one, complete, never an empty or half-written one. The folder must exist. On failure the
 * temporary file is removed and the target is unchanged.
 */
export async function writeFileDurably(
  file: string,
  data: string | Uint8Array,
  options: DurableWriteOptions = {},
): Promise<void> {
  const temporary = temporaryFor(file)
  const mode = await modeFor(file, options)
  let created = false
  try {
    // `wx` on the temporary name too: a random name that exists is someone else's file, never ours to overwrite.
    const handle = await open(temporary, 'wx', mode ?? 0o666)
    created = true
    try {
      await handle.writeFile(data, typeof data === 'string' ? 'utf8' : undefined)
      // Created with `mode` narrowed by the umask; the chmod pins it (a kept mode stays exactly as it was).
      if (mode !== undefined) await handle.chmod(mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (options.exclusive === true) await placeExclusively(temporary, file)
    else await rename(temporary, file)
    created = false
  } catch (error) {
    if (created) await rm(temporary, { force: true })
    throw error
  }
  await syncDirectory(path.dirname(file))
}

/** Writes all of `bytes` to `fd` (writeSync may write less than asked). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at)
}

/** {@link writeFileDurably}, synchronously (for code that cannot wait, such as a key loaded on demand). */
export function writeFileDurablySync(file: string, data: string | Uint8Array, options: DurableWriteOptions = {}): void {
  const temporary = temporaryFor(file)
  const mode = modeForSync(file, options)
  let created = false
  try {
    const fd = openSync(temporary, 'wx', mode ?? 0o666)
    created = true
    try {
      writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
      if (mode !== undefined) fchmodSync(fd, mode)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    if (options.exclusive === true) placeExclusivelySync(temporary, file)
    else renameSync(temporary, file)
    created = false
  } catch (error) {
    if (created) rmSync(temporary, { force: true })
    throw error
  }
  syncDirectorySync(path.dirname(file))
}

/**
 * Moves the finished temporary file to `file` unless `file` exists: a hard link is created
 * atomically and fails with EEXIST, where a rename would replace. Without hard links the file is
 * copied in with `wx` (still exclusive and flushed, but a crash in the middle can leave it partial).
 */
async function placeExclusively(temporary: string, file: string): Promise<void> {
  try {
    await link(temporary, file)
  } catch (error) {
    if (!NO_HARD_LINKS.has(codeOf(error) ?? '')) throw error
    const handle = await open(temporary, 'r')
    const data = await handle.readFile().finally(() => handle.close())
    const target = await open(file, 'wx', (await stat(temporary)).mode & 0o7777)
    try {
      await target.writeFile(data)
      await target.sync()
    } finally {
      await target.close()
    }
  }
  await unlink(temporary)
}

function placeExclusivelySync(temporary: string, file: string): void {
  try {
    linkSync(temporary, file)
  } catch (error) {
    if (!NO_HARD_LINKS.has(codeOf(error) ?? '')) throw error
    const data = readFileSync(temporary)
    const fd = openSync(file, 'wx', statSync(temporary).mode & 0o7777)
    try {
      writeAll(fd, data)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }
  unlinkSync(temporary)
}

/**
 * Renames `from` to `to` durably: the rename, then a flush of the folder(s), so that after a power
 * loss the new name is there (a rename is atomic but sits in the folder's cache until flushed).
 */
export async function renameDurably(from: string, to: string): Promise<void> {
  await rename(from, to)
  await syncDirectory(path.dirname(to))
  if (path.dirname(from) !== path.dirname(to)) await syncDirectory(path.dirname(from))
}

/** {@link renameDurably}, synchronously. */
export function renameDurablySync(from: string, to: string): void {
  renameSync(from, to)
  syncDirectorySync(path.dirname(to))
  if (path.dirname(from) !== path.dirname(to)) syncDirectorySync(path.dirname(from))
}
