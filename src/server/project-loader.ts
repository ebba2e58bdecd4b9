/**
 * The project as the API sees it: validated like `provisio validate` does (connectors, tables,
 * mappings, role models), and validated again only when a YAML file of the project changed, was
 * added or removed, so that an edit is seen without a restart and a read costs a few stat calls.
 * A document edit through the API also calls {@link invalidateProject}: the next read validates
 * anew at once, whatever the file times say (two writes within one clock tick look the same).
 */
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Issue } from '../core/index.ts'
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

/** Edits made through the API per project folder (resolved): part of every cache key here. */
const generations = new Map<string, number>()

/** Makes every loader and checker of the project in `dir` read it anew on its next call. */
export function invalidateProject(dir: string): void {
  const key = path.resolve(dir)
  generations.set(key, (generations.get(key) ?? 0) + 1)
}

/** What the caches here compare: the API edits made so far and the YAML files' sizes and times. */
function projectSignature(dir: string): string {
  return `${generations.get(path.resolve(dir)) ?? 0}\n${yamlSignature(dir)}`
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
    const signature = projectSignature(dir)
    if (last === undefined || last.signature !== signature) last = { signature, project: validated(dir) }
    return last.project
  }
}

/**
 * The whole check of the project (valid or not, with every issue), redone when the YAML files
 * changed or the API edited the project: the baseline the editors' checks compare a draft with.
 */
export function projectChecker(dir: string): () => Promise<{ project: ValidatedProject; issues: Issue[] }> {
  let last: { signature: string; checked: Promise<{ project: ValidatedProject; issues: Issue[] }> } | undefined
  return () => {
    const signature = projectSignature(dir)
    if (last === undefined || last.signature !== signature) {
      const checked = checkProject(dir)
      last = { signature, checked }
      // A failed check is not kept: the next call tries again.
      checked.catch(() => {
        if (last?.checked === checked) last = undefined
      })
    }
    return last.checked
  }
}
