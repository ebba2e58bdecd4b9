/**
 * Issues of the engine's configuration checks, positioned in the Mapping document like every
 * configuration issue (file, line, column, path), with ENG_ codes and a hint written at the site.
 */
import type { Issue } from '../core/index.ts'
import type { DocumentPath, MappingConfig } from '../config/index.ts'
import type { EngineErrorCode } from './errors.ts'

/** What {@link mappingIssue} fills in besides code, message and path. */
export interface MappingIssueOptions {
  readonly hint: string
  /** The offending value, shown to the user; never a secret. */
  readonly value?: unknown
  /** Point at the key of the last path segment rather than its value. @default 'value' */
  readonly at?: 'key' | 'value'
  /** Where to point when that differs from `path` (a missing key at its parent). @default path */
  readonly anchor?: DocumentPath
  /** The expression's line with a caret under the problem. */
  readonly excerpt?: string
  /** @default 'error' */
  readonly severity?: 'error' | 'warning'
}

/** An issue at `path` of the mapping's document (or any resolved document's: a role model's). */
export function mappingIssue(
  mapping: Pick<MappingConfig, 'document'>,
  code: EngineErrorCode,
  message: string,
  path: DocumentPath,
  options: MappingIssueOptions,
): Issue {
  const { document } = mapping
  const { line, column } = document.positionOf(
    options.anchor ?? path,
    options.at === undefined ? undefined : { at: options.at },
  )
  return {
    code,
    message,
    hint: options.hint,
    file: document.file,
    line,
    column,
    path: [...path],
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(options.excerpt === undefined ? {} : { excerpt: options.excerpt }),
    ...(options.severity === undefined ? {} : { severity: options.severity }),
  }
}
