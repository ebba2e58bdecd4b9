/**
 * Building and ordering the configuration layer's {@link Issue}s. Every problem is positioned
 * (file, line, column, path) and carries a hint; the registry's hint is the fallback.
 */
import type { Issue } from '../core/index.ts'
import { type ConfigErrorCode, defaultHint } from './errors.ts'
import { type LoadedDocument, locationOf } from './loaded-document.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** How {@link issueAt} and {@link fileIssue} fill in the optional fields of an issue. */
export interface IssueOptions {
  /** What to do; @default the registry's hint for the code */
  readonly hint?: string | undefined
  /** The offending value, shown to the user. Never pass a secret. */
  readonly value?: unknown
  /** Point at the key of the last path segment rather than its value. @default 'value' */
  readonly at?: 'key' | 'value'
  /**
   * Where to point when that differs from `path`: a missing key is best shown at its parent's key.
   * @default path
   */
  readonly anchor?: DocumentPath
  /** @default 'error' */
  readonly severity?: 'error' | 'warning'
}

/** An issue positioned at `path` inside `document`. */
export function issueAt(
  document: LoadedDocument,
  code: ConfigErrorCode,
  message: string,
  path: DocumentPath,
  options: IssueOptions = {},
): Issue {
  return {
    code,
    message,
    hint: options.hint === undefined || options.hint === '' ? defaultHint(code) : options.hint,
    ...locationOf(document, options.anchor ?? path, options.at === undefined ? {} : { at: options.at }),
    path: [...path],
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(options.severity === undefined ? {} : { severity: options.severity }),
  }
}

/** An issue about a file or a position in it, for problems found before a document exists. */
export function fileIssue(
  code: ConfigErrorCode,
  message: string,
  where: { file?: string; line?: number; column?: number },
  options: Omit<IssueOptions, 'at' | 'anchor'> = {},
): Issue {
  return {
    code,
    message,
    hint: options.hint === undefined || options.hint === '' ? defaultHint(code) : options.hint,
    ...where,
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(options.severity === undefined ? {} : { severity: options.severity }),
  }
}

/** Orders issues by file, line and column; issues without a file come first. Stable otherwise. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) => compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  )
}

function compareText(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0
  if (a === undefined) return -1
  if (b === undefined) return 1
  return a < b ? -1 : 1
}
