/**
 * One YAML document of a project as the loader found it: its kind and name, the plain parsed value
 * and a way back from a path inside it to the line and column in its file.
 */
import type { Document, LineCounter } from 'yaml'
import { type DocumentPath, type Position, type PositionOptions, positionIn } from './yaml-positions.ts'

/** A document whose envelope (mapping, kind, name) is valid; its content is not validated yet. */
export interface LoadedDocument {
  /** The document's `kind` (System). */
  readonly kind: string
  /** The document's `name`, unique per kind regardless of case. */
  readonly name: string
  /** The file, relative to the project folder, with `/` separators (`systems/hr500.yaml`). */
  readonly file: string
  /** Position of the document among the documents of its file, from 0. */
  readonly index: number
  /**
   * The document's text as written, comments and blank lines included (a `---` before it, when it
   * is not the first of its file): what `provisio roles activate` stores, so a restore gives it back.
   */
  readonly source: string
  /** The parsed plain value (a mapping); not yet validated against the kind's schema. */
  readonly value: Readonly<Record<string, unknown>>
  /** Line and column of the deepest node on `path` (see {@link positionIn}). */
  positionOf(path: DocumentPath, options?: PositionOptions): Position
  /** The yaml document, kept for positions and for writing the document back as YAML. */
  readonly yaml: Document.Parsed
}

/** Binds a parsed document to its line counter so positions can be looked up later. */
export function loadedDocument(fields: Omit<LoadedDocument, 'positionOf'>, lineCounter: LineCounter): LoadedDocument {
  return {
    ...fields,
    positionOf: (path, options) => positionIn(fields.yaml, lineCounter, path, options),
  }
}

/** A positioned issue location for `path` in `document`, ready to spread into an {@link Issue}. */
export function locationOf(
  document: LoadedDocument,
  path: DocumentPath,
  options?: PositionOptions,
): { file: string; line: number; column: number; path: (string | number)[] } {
  const { line, column } = document.positionOf(path, options)
  return { file: document.file, line, column, path: [...path] }
}
