/**
 * The file a new document goes to, as a client names it: a project-relative `.yaml` path that stays
 * inside the project folder. Refused before anything is read or written: an absolute path, `..`,
 * a hidden folder or node_modules (the loader skips those, so the document would vanish), a folder
 * that is a symbolic link (the loader does not follow those either, and the write, or the draft a
 * check writes into, would go through the link to wherever it points, inside the project or out).
 */
import { lstat, realpath } from 'node:fs/promises'
import path from 'node:path'
import { serverError } from '../errors.ts'

function refused(file: string, why: string): Error {
  return serverError('SRV_INVALID_DOCUMENT_FILE', `The file '${file}' cannot hold a document: ${why}.`, {
    details: { file },
  })
}

/** The deepest part of `target` that exists, resolved through symbolic links. */
async function existingRealPath(target: string): Promise<string> {
  let at = target
  for (;;) {
    try {
      return path.join(await realpath(at), path.relative(at, target))
    } catch {
      const parent = path.dirname(at)
      if (parent === at) return target
      at = parent
    }
  }
}

/**
 * `file` checked and normalised (`/` separators), ready to join to the project folder `dir`; throws
 * SRV_INVALID_DOCUMENT_FILE.
 *
 * @example
 * await checkDocumentFile(dir, 'filters/new.yaml')   // 'filters/new.yaml'
 */
export async function checkDocumentFile(dir: string, file: string): Promise<string> {
  if (file.includes('\0') || file.includes('\\')) throw refused(file, 'use `/` to separate folders')
  if (path.posix.isAbsolute(file) || /^[A-Za-z]:/.test(file)) throw refused(file, 'it must be relative to the project')
  const parts = file.split('/')
  if (parts.some((p) => p === '' || p === '.' || p === '..'))
    throw refused(file, 'empty, `.` and `..` parts are not allowed')
  if (parts.some((p) => p.startsWith('.') || p === 'node_modules'))
    throw refused(file, 'hidden folders and files and node_modules are not read as part of the project')
  if (!file.endsWith('.yaml')) throw refused(file, 'the file name must end in `.yaml`')
  for (let i = 1; i < parts.length; i++) {
    const folder = await lstat(path.resolve(dir, ...parts.slice(0, i))).catch(() => undefined)
    if (folder === undefined) break
    if (folder.isSymbolicLink())
      throw refused(
        file,
        `the folder '${parts.slice(0, i).join('/')}' is a symbolic link, which the project does not follow`,
      )
  }
  const root = await realpath(path.resolve(dir))
  const target = await existingRealPath(path.resolve(dir, ...parts))
  if (!target.startsWith(root + path.sep)) throw refused(file, 'it lies outside the project folder')
  return parts.join('/')
}
