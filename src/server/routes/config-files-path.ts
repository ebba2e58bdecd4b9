/**
 * The YAML file a whole-file edit names (config-files.ts): the document write's guard
 * (config-document-file.ts: relative, no `..`, no hidden folder or node_modules, no folder that is a
 * symbolic link, inside the project) plus what a whole file needs besides: `.yml` as well as `.yaml`
 * (the loader reads both), a hidden file name (the loader reads those too, only hidden folders not), a file that exists, and a file that is not itself a symbolic link (a write
 * would replace the link by a file; a read would follow it wherever it points).
 */
import { constants } from 'node:fs'
import { lstat, open } from 'node:fs/promises'
import path from 'node:path'
import { ProvisioError } from '../../core/index.ts'
import { serverError } from '../errors.ts'
import { checkDocumentFile } from './config-document-file.ts'

const YAML_FILE = /\.ya?ml$/i

function refused(file: string, why: string): Error {
  return serverError('SRV_INVALID_FILE_PATH', `The file '${file}' cannot be edited: ${why}.`, { details: { file } })
}

/**
 * `file` checked and normalised (`/` separators): an existing regular YAML file of the project in
 * `dir`. Throws SRV_INVALID_FILE_PATH and SRV_FILE_NOT_FOUND.
 *
 * @example
 * await checkProjectFile(dir, 'filters/accounts.yaml')   // 'filters/accounts.yaml'
 */
export async function checkProjectFile(dir: string, file: string): Promise<string> {
  if (!YAML_FILE.test(file)) throw refused(file, 'the file name must end in `.yaml` or `.yml`')
  // The document guard accepts `.yaml` only; its other checks concern the folders and the name's
  // parts, which the same path ending in `.yaml` shares. It refuses a hidden file too, but the loader
  // skips hidden folders only, not hidden files: `filters/.draft.yaml` is part of the project, listed
  // with its problems by GET /api/files, and must be openable to be repaired.
  const asYaml = file.replace(YAML_FILE, '.yaml').replace(/(^|\/)\.+(?=[^/]*$)/, '$1_')
  try {
    await checkDocumentFile(dir, asYaml)
  } catch (error) {
    if (!(error instanceof ProvisioError) || error.code !== 'SRV_INVALID_DOCUMENT_FILE') throw error
    const why = /cannot hold a document: (.*?)\.?$/.exec(error.message)?.[1] ?? error.message
    throw refused(file, why)
  }
  const stat = await lstat(path.join(dir, ...file.split('/'))).catch(() => undefined)
  if (stat === undefined)
    throw serverError('SRV_FILE_NOT_FOUND', `The project has no file '${file}'.`, { details: { file } })
  if (stat.isSymbolicLink()) throw refused(file, 'it is a symbolic link, which the API does not follow')
  if (!stat.isFile()) throw refused(file, 'it is not a file')
  return file
}

/**
 * The bytes of a file checkProjectFile accepted, read without following a symbolic link: the file
 * may have been replaced by one since the check (O_NOFOLLOW makes that open fail, ELOOP), so a read
 * never leaves the project through a link put there in between.
 */
export async function readCheckedFile(dir: string, checked: string): Promise<Buffer> {
  const handle = await open(path.join(dir, ...checked.split('/')), constants.O_RDONLY | constants.O_NOFOLLOW).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ELOOP') throw refused(checked, 'it is a symbolic link, which the API does not follow')
      if (error.code === 'ENOENT')
        throw serverError('SRV_FILE_NOT_FOUND', `The project has no file '${checked}'.`, { details: { file: checked } })
      throw error
    },
  )
  try {
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}
