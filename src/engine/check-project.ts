/**
 * The whole check of a project, as `provisio validate` and the API's GET /api/validate report it:
 * the documents (config), the systems' connector settings and tables (connectors), the mappings and
 * the role model against their functions (here). Never throws for bad input.
 */
import type { Issue } from '../core/index.ts'
import { type ValidateProjectOptions, type ValidatedProject, sortIssues, validateProject } from '../config/index.ts'
import { checkSystemConnectors, checkSystemTables } from '../connectors/index.ts'
import { checkMappings } from './check-mappings.ts'
import { checkRoleModels } from './check-roles.ts'

/**
 * Every issue of the project in `dir`, sorted by file and position, with the valid part resolved.
 * With `files` (config's ProjectOverlay), the project as an edit would leave it, checked in memory:
 * only the config layer reads project files, and it reads them through the overlay; nothing is written.
 *
 * @example
 * const { issues } = await checkProject(dir, { files: new Map([['filters/new.yaml', text]]) })
 */
export async function checkProject(
  dir: string,
  options: ValidateProjectOptions = {},
): Promise<{ project: ValidatedProject; issues: Issue[] }> {
  const { project, issues } = await validateProject(dir, options)
  return {
    project,
    issues: sortIssues([
      ...issues,
      ...checkSystemConnectors(project.documents),
      ...checkSystemTables(project),
      ...checkMappings(project),
      ...checkRoleModels(project),
    ]),
  }
}
