import type { z } from 'zod'
import type { Issue } from '../core/index.ts'
import type { JobConfig, MappingConfig, NameGeneratorConfig, PasswordGeneratorConfig } from './engine-model.ts'
import type { FilterConfig, LinkConfig } from './filter-model.ts'
import type { MailServerConfig, TemplateConfig } from './event-action-model.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { ProjectOverlay } from './project-files.ts'
import type { SystemConfig } from './system-config.ts'
import type { TaskConfig } from './task-model.ts'

/**
 * What the checks of one document may see of the rest of the project. validateProject validates the
 * kinds in registration order (kinds.ts) and fills this in as it goes, so a kind sees the resolved
 * documents of every kind registered before it: a Link sees the Systems, a Filter the Systems and Links.
 */
export interface KindContext {
  /** The System documents that passed validation, in file order. */
  readonly systems: readonly SystemConfig[]
  /** The Link documents that passed validation, in file order (empty while Links are validated). */
  readonly links: readonly LinkConfig[]
  /** The Filter documents that passed validation (filled while later kinds are validated). */
  readonly filters: readonly FilterConfig[]
  readonly nameGenerators: readonly NameGeneratorConfig[]
  readonly passwordGenerators: readonly PasswordGeneratorConfig[]
  readonly mappings: readonly MappingConfig[]
  /** The Job documents that passed validation (filled while Tasks are validated). */
  readonly jobs: readonly JobConfig[]
  /**
   * The kinds after Job, which only the notification kinds read; optional because a document
   * validated outside a project (a stored role model) has none. @default []
   */
  readonly tasks?: readonly TaskConfig[] | undefined
  readonly mailServers?: readonly MailServerConfig[] | undefined
  readonly templates?: readonly TemplateConfig[] | undefined
  /** The project folder, for checks of files a document names (a MailServer's `ca`); absent outside a project. */
  readonly dir?: string | undefined
  /**
   * The files of `dir` an edit being checked changes (validateProject's `files`): a check that reads
   * a project file reads it through them (project-files.ts), so it sees the project as edited.
   */
  readonly files?: ProjectOverlay | undefined
  /**
   * Every loaded document, valid or not. A reference to a document that exists but has errors of its
   * own is not reported again (its errors already are); the referring document is then not resolved.
   */
  readonly documents: readonly LoadedDocument[]
}

/**
 * What a document kind declares: its name, its schema (for docs, JSON Schema and the Studio's forms)
 * and how to validate and resolve one document of that kind.
 */
export interface KindDefinition<Resolved> {
  /** The `kind:` value, PascalCase (System). */
  readonly kind: string
  readonly schema: z.ZodType
  /**
   * The kinds whose resolved documents this kind's checks read from the {@link KindContext}; they
   * must be registered before it. @default [] (the kind is checked on its own)
   */
  readonly uses?: readonly string[]
  /**
   * Validates one document of this kind and resolves it. `value` is set only when the document has
   * no errors; `issues` holds everything found, warnings included.
   */
  validate(
    document: LoadedDocument,
    context: KindContext,
  ): { readonly value?: Resolved | undefined; readonly issues: readonly Issue[] }
}
