/**
 * A project as it would be after an edit, without touching it: a temporary folder that mirrors the
 * project, with the edited YAML files written in and every other file linked to the original. The
 * whole check of a project (engine's checkProject) reads files from a folder, template positions and
 * a MailServer's `ca:` included, so a mirror lets an edit be checked exactly as the real project will
 * be, before anything is written.
 *
 * Only the YAML files are copied (a few kB each); data files and hidden folders are symbolic links,
 * so a draft costs a few milliseconds even for a project with large CSV files beside it.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

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
  try {
    await mirror(path.resolve(dir), draft, '', files)
    for (const [file, text] of files) {
      if (text === null) continue
      const target = path.join(draft, ...file.split('/'))
      await mkdir(path.dirname(target), { recursive: true })
      await writeFile(target, text, 'utf8')
    }
    return await use(draft)
  } finally {
    await rm(draft, { recursive: true, force: true })
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
