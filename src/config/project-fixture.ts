/**
 * Test support: writes a throw-away project folder from a map of relative paths to contents, so
 * tests state their YAML inline next to the assertions. Not used outside tests.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** Creates the files under a new temporary folder and returns the folder. */
export async function writeProject(files: Readonly<Record<string, string | Uint8Array>>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'provisio-config-'))
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, file)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, content)
  }
  return dir
}

/** Removes a folder made by {@link writeProject}. */
export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** Joins lines with newlines and a final newline: keeps YAML fixtures free of indentation accidents. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`
}
