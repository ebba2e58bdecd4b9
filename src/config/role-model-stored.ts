/**
 * A role model stored in the vault (the active model, or one of the history) checked against
 * today's project: the filters, systems, tables and columns it names may have changed since it was
 * activated. The text is read as the loader reads a file and checked as the project's RoleModel
 * document is, with issues labelled by where the model came from instead of a file name.
 */
import type { Issue } from '../core/index.ts'
import { fileIssue, sortIssues } from './issues.ts'
import type { KindContext } from './kind-definition.ts'
import { parseDocuments } from './load-project.ts'
import type { RoleModelConfig } from './role-model.ts'
import { validateRoleModelDocument } from './role-model-kind.ts'
import type { ValidatedProject } from './validate-project.ts'

/**
 * Parses `source` (the YAML of one RoleModel document) and checks it against `project`; `value` is
 * set only when it has no errors. `label` stands for the file in issues and in the resolved model.
 *
 * @example
 * const { value, issues } = validateStoredRoleModel(stored.source, 'role model 3 (active)', project)
 * if (value === undefined) throw configError('CFG_INVALID', 'The active role model no longer fits the project.', { issues })
 */
export function validateStoredRoleModel(
  source: string,
  label: string,
  project: ValidatedProject,
): { value?: RoleModelConfig; issues: Issue[] } {
  const parsed = parseDocuments(source, label, ['RoleModel'])
  const issues: Issue[] = [...parsed.issues]
  if (parsed.found === 0) {
    issues.push(fileIssue('CFG_NOT_A_MAPPING', 'The stored role model holds no document.', { file: label }))
  } else if (parsed.found > 1) {
    issues.push(
      fileIssue(
        'CFG_DUPLICATE_ROLE_MODEL',
        `The stored role model holds ${parsed.found} documents; a role model is one RoleModel document.`,
        { file: label },
      ),
    )
  }
  const document = parsed.documents[0]
  if (document === undefined || parsed.found !== 1) return { issues: sortIssues(issues) }
  const context: KindContext = {
    systems: project.systems,
    links: project.links,
    filters: project.filters,
    nameGenerators: project.nameGenerators,
    passwordGenerators: project.passwordGenerators,
    mappings: project.mappings,
    jobs: project.jobs,
    documents: project.documents,
  }
  const result = validateRoleModelDocument(document, context)
  issues.push(...result.issues)
  return result.value === undefined || issues.some((i) => i.severity !== 'warning')
    ? { issues: sortIssues(issues) }
    : { value: result.value, issues: sortIssues(issues) }
}
