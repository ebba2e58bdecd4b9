/**
 * A project as it would be after an edit, without touching it: a temporary folder that mirrors the
 * project, with the edited YAML files written in and every other file linked to the original. The
 * whole check of a project (engine's checkProject) reads files from a folder, template positions and
 * a MailServer's `ca:` included, so a mirror lets an edit be checked exactly as the real project will
 * be, before anything is written.
 *
 * Only the YAML files are copied (a few kB each); data files and hidden folders are symbolic links,
 * so a draft costs a few milliseconds even for a project with large CSV files beside it. A linked
 * folder is a way back into the real files: an edited file is never written through one.
 *
 * A draft is removed when the check ends, and those still open when the process exits (a server
 * stopped mid-check) are removed then, so no copy of the project's YAML stays behind in the temp folder.
 */
import { rmSync } from 'node:fs'
import { copyFile, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { coreError } from '../core/index.ts'

/** Project-relative file (`/` separators) → its new text, or null when the edit removes it. */
export type DraftFiles = ReadonlyMap<string, string | null>

const YAML_FILE = /\.ya?ml$/i

/**
 * Calls `use` with a folder holding the project in `dir` with `files` changed, and removes the
 * folder afterwards (also when `use` throws).
 *
 * @example
 * const { issues } = await withDraftProject(dir, new Map([['filters/new.yaml', text]]), checkProject)
 */
export async function withDraftProject<T>(
  dir: string,
  files: DraftFiles,
  use: (draft: string) => Promise<T>,
): Promise<T> {
  const draft = await mkdtemp(path.join(tmpdir(), 'provisio-draft-'))
  openDrafts.add(draft)
  try {
    await mirror(path.resolve(dir), draft, '', files)
    for (const [file, text] of files) {
      if (text === null) continue
      const parts = file.split('/')
      await refuseLinkedFolders(draft, parts)
      const target = path.join(draft, ...parts)
      await mkdir(path.dirname(target), { recursive: true })
      await writeFile(target, text, { encoding: 'utf8', flag: 'wx' })
    }
    return await use(draft)
  } finally {
    await rm(draft, { recursive: true, force: true })
    openDrafts.delete(draft)
  }
}

/** The drafts that exist now; removed synchronously on exit (an 'exit' listener cannot wait). */
const openDrafts = new Set<string>()
process.on('exit', () => {
  for (const draft of openDrafts) rmSync(draft, { recursive: true, force: true })
})

/**
 * Throws unless every folder of `parts` (a project-relative file) that exists in the draft is a real
 * folder: a linked one leads to the project's own files or outside it, and the draft must not write there.
 */
async function refuseLinkedFolders(draft: string, parts: readonly string[]): Promise<void> {
  if (parts.some((p) => p === '' || p === '.' || p === '..'))
    throw coreError('BUG_UNEXPECTED', `The draft file '${parts.join('/')}' is not a plain relative path.`)
  for (let i = 1; i < parts.length; i++) {
    const folder = await lstat(path.join(draft, ...parts.slice(0, i))).catch(() => undefined)
    if (folder === undefined) return
    if (!folder.isDirectory()) {
      throw coreError(
        'BUG_UNEXPECTED',
        `The draft file '${parts.join('/')}' would be written through '${parts.slice(0, i).join('/')}', which is not a folder of the project.`,
      )
    }
  }
}

/** Copies the YAML files of `relative` (unless `files` replaces them) and links everything else. */
async function mirror(source: string, draft: string, relative: string, files: DraftFiles): Promise<void> {
  const entries = await readdir(path.join(source, relative), { withFileTypes: true })
  for (const entry of entries) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`
    const from = path.join(source, child)
    const to = path.join(draft, child)
    // The loader skips hidden folders and node_modules: linked, they cost nothing and stay reachable.
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
      await mkdir(to)
      await mirror(source, draft, child, files)
    } else if (YAML_FILE.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) {
      if (!files.has(child)) await copyFile(from, to)
    } else {
      await symlink(from, to)
    }
  }
}
