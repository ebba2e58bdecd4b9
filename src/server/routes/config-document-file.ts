/**
 * The file a new document goes to, as a client names it: a project-relative `.yaml` path that stays
 * inside the project folder. Refused before anything is read or written: an absolute path, `..`,
 * a hidden folder or node_modules (the loader skips those, so the document would vanish), a folder
 * that is a symbolic link out of the project.
 */
import { realpath } from 'node:fs/promises'
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
  const root = await realpath(path.resolve(dir))
  const target = await existingRealPath(path.resolve(dir, ...parts))
  if (!target.startsWith(root + path.sep)) throw refused(file, 'it lies outside the project folder')
  return parts.join('/')
}
