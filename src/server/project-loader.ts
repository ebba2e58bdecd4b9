/**
 * The project as the API sees it: validated like `provisio validate` does (connectors, tables,
 * mappings, role models), and validated again only when a YAML file of the project changed, was
 * added or removed, so that an edit is seen without a restart and a read costs a few stat calls.
 */
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { type ValidatedProject, configError, hasErrors } from '../config/index.ts'
import { checkProject } from '../engine/index.ts'

/** Path, size and modification time of every YAML file, skipping the data folder and hidden folders. */
function yamlSignature(dir: string): string {
  const parts: string[] = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.ya?ml$/i.test(entry.name)) {
        const stat = statSync(full)
        parts.push(`${full}:${stat.size}:${stat.mtimeMs}`)
      }
    }
  }
  walk(dir)
  return parts.sort().join('\n')
}

async function validated(dir: string): Promise<ValidatedProject> {
  const { project, issues: all } = await checkProject(dir)
  if (hasErrors(all)) {
    const errors = all.filter((i) => i.severity !== 'warning').length
    throw configError('CFG_INVALID', `The project has ${errors} configuration error${errors === 1 ? '' : 's'}.`, {
      issues: all,
      hint: 'Fix the problems listed (`provisio validate` shows them too).',
    })
  }
  return project
}

/** A `project()` for the ServerContext: the last validation, redone when the YAML files changed. */
export function projectLoader(dir: string): () => Promise<ValidatedProject> {
  let last: { signature: string; project: Promise<ValidatedProject> } | undefined
  return () => {
    const signature = yamlSignature(dir)
    if (last === undefined || last.signature !== signature) last = { signature, project: validated(dir) }
    return last.project
  }
}
