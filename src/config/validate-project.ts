/**
 * Validating a project: load it, validate each document with its kind's schema and checks, and
 * resolve the valid ones. Kinds are validated in registration order (kinds.ts), each with the
 * resolved documents of the kinds before it, so a Filter's checks see the valid Systems and Links.
 * Everything found is returned at once, sorted by file and position.
 */
import type { Issue } from '../core/index.ts'
import { configError } from './errors.ts'
import type { JobConfig, MappingConfig, NameGeneratorConfig, PasswordGeneratorConfig } from './engine-model.ts'
import type { EventActionConfig, MailServerConfig, TemplateConfig } from './event-action-model.ts'
import type { FilterConfig, LinkConfig } from './filter-model.ts'
import { sortIssues } from './issues.ts'
import type { KindContext, KindDefinition } from './kind-definition.ts'
import { kindRegistry, knownKinds } from './kinds.ts'
import type { LoadedDocument } from './loaded-document.ts'
import { loadProject } from './load-project.ts'
import type { ProjectOverlay } from './project-files.ts'
import type { RoleModelConfig } from './role-model.ts'
import type { SystemConfig } from './system-config.ts'
import type { TaskConfig } from './task-model.ts'

/** The valid part of a project, resolved. */
export interface ValidatedProject {
  readonly dir: string
  /** Every document with a supported kind and a valid, unique name (valid or not inside). */
  readonly documents: readonly LoadedDocument[]
  /** The System documents that passed validation, in file order. */
  readonly systems: readonly SystemConfig[]
  /** The Link documents that passed validation, in file order. */
  readonly links: readonly LinkConfig[]
  /** The Filter documents that passed validation, in file order. */
  readonly filters: readonly FilterConfig[]
  readonly nameGenerators: readonly NameGeneratorConfig[]
  readonly passwordGenerators: readonly PasswordGeneratorConfig[]
  readonly mappings: readonly MappingConfig[]
  /** The development role model: the project's one RoleModel document, when it is valid (at most one). */
  readonly roleModels: readonly RoleModelConfig[]
  readonly jobs: readonly JobConfig[]
  /** The Task documents that passed validation, in file order. */
  readonly tasks: readonly TaskConfig[]
  /** The MailServer, Template and EventAction documents that passed validation, in file order. */
  readonly mailServers: readonly MailServerConfig[]
  readonly templates: readonly TemplateConfig[]
  readonly eventActions: readonly EventActionConfig[]
}

/** Options of {@link validateProject}. */
export interface ValidateProjectOptions {
  /** The project as an edit would leave it, read without writing anything (loadProject's `files`). */
  readonly files?: ProjectOverlay | undefined
}

/**
 * Loads and validates the project in `dir`. Never throws for bad input; an empty `issues` (or one
 * with warnings only) means the project is valid.
 *
 * @example
 * const { project, issues } = await validateProject('examples/hr500')
 * for (const issue of issues) console.error(renderIssue(issue))
 */
export async function validateProject(
  dir: string,
  options: ValidateProjectOptions = {},
): Promise<{ project: ValidatedProject; issues: Issue[] }> {
  const loaded = await loadProject(dir, { files: options.files })
  const issues: Issue[] = [...loaded.issues]
  const systems: SystemConfig[] = []
  const links: LinkConfig[] = []
  const filters: FilterConfig[] = []
  const nameGenerators: NameGeneratorConfig[] = []
  const passwordGenerators: PasswordGeneratorConfig[] = []
  const mappings: MappingConfig[] = []
  const roleModels: RoleModelConfig[] = []
  const jobs: JobConfig[] = []
  const tasks: TaskConfig[] = []
  const mailServers: MailServerConfig[] = []
  const templates: TemplateConfig[] = []
  const eventActions: EventActionConfig[] = []
  // The context's arrays fill up as the kinds are validated, in registry order.
  const context: KindContext = {
    systems,
    links,
    filters,
    nameGenerators,
    passwordGenerators,
    mappings,
    jobs,
    tasks,
    mailServers,
    templates,
    documents: loaded.documents,
    dir,
    files: options.files,
  }
  const validate = <T>(definition: KindDefinition<T>, document: LoadedDocument, into: T[]) => {
    const result = definition.validate(document, context)
    issues.push(...result.issues)
    if (result.value !== undefined) into.push(result.value)
  }
  for (const kind of knownKinds()) {
    for (const document of loaded.documents.filter((d) => d.kind === kind)) {
      switch (kind) {
        case 'System':
          validate(kindRegistry.System, document, systems)
          break
        case 'Link':
          validate(kindRegistry.Link, document, links)
          break
        case 'Filter':
          validate(kindRegistry.Filter, document, filters)
          break
        case 'NameGenerator':
          validate(kindRegistry.NameGenerator, document, nameGenerators)
          break
        case 'PasswordGenerator':
          validate(kindRegistry.PasswordGenerator, document, passwordGenerators)
          break
        case 'Mapping':
          validate(kindRegistry.Mapping, document, mappings)
          break
        case 'RoleModel':
          validate(kindRegistry.RoleModel, document, roleModels)
          break
        case 'Job':
          validate(kindRegistry.Job, document, jobs)
          break
        case 'Task':
          validate(kindRegistry.Task, document, tasks)
          break
        case 'MailServer':
          validate(kindRegistry.MailServer, document, mailServers)
          break
        case 'Template':
          validate(kindRegistry.Template, document, templates)
          break
        case 'EventAction':
          validate(kindRegistry.EventAction, document, eventActions)
          break
        default:
          // A kind added to the registry needs its list in ValidatedProject and a case here.
          kind satisfies never
      }
    }
  }
  return {
    project: {
      dir,
      documents: loaded.documents,
      systems,
      links,
      filters,
      nameGenerators,
      passwordGenerators,
      mappings,
      roleModels,
      jobs,
      tasks,
      mailServers,
      templates,
      eventActions,
    },
    issues: sortIssues(issues),
  }
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
