/**
 * Validating a project: load it, validate each document with its kind's schema and checks, and
 * resolve the valid ones. Everything found is returned at once, sorted by file and position.
 */
import type { Issue } from '../core/index.ts'
import { configError } from './errors.ts'
import { sortIssues } from './issues.ts'
import { isKnownKind, kindRegistry } from './kinds.ts'
import type { LoadedDocument } from './loaded-document.ts'
import { loadProject } from './load-project.ts'
import type { SystemConfig } from './system-config.ts'

/** The valid part of a project, resolved. */
export interface ValidatedProject {
  readonly dir: string
  /** Every document with a supported kind and a valid, unique name (valid or not inside). */
  readonly documents: readonly LoadedDocument[]
  /** The System documents that passed validation, in file order. */
  readonly systems: readonly SystemConfig[]
}

/**
 * Loads and validates the project in `dir`. Never throws for bad input; an empty `issues` (or one
 * with warnings only) means the project is valid.
 *
 * @example
 * const { project, issues } = await validateProject('examples/hr500')
 * for (const issue of issues) console.error(renderIssue(issue))
 */
export async function validateProject(dir: string): Promise<{ project: ValidatedProject; issues: Issue[] }> {
  const loaded = await loadProject(dir)
  const issues: Issue[] = [...loaded.issues]
  const systems: SystemConfig[] = []
  for (const document of loaded.documents) {
    if (!isKnownKind(document.kind)) continue
    const result = kindRegistry[document.kind].validate(document)
    issues.push(...result.issues)
    if (result.value !== undefined) systems.push(result.value)
  }
  return { project: { dir, documents: loaded.documents, systems }, issues: sortIssues(issues) }
}

/** Whether any issue is an error (warnings do not make a project invalid). */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity !== 'warning')
}

/**
 * Like {@link validateProject}, but throws CFG_INVALID carrying every issue when the project has
 * errors; for callers that cannot go on with a partly valid project (the CLI's run commands).
 */
export async function loadValidProject(dir: string): Promise<ValidatedProject> {
  const { project, issues } = await validateProject(dir)
  if (hasErrors(issues)) {
    const errors = issues.filter((issue) => issue.severity !== 'warning').length
    throw configError(
      'CFG_INVALID',
      `The project in '${dir}' has ${errors} configuration error${errors === 1 ? '' : 's'}.`,
      { issues },
    )
  }
  return project
}
