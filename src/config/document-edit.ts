/**
 * Adding a YAML document to a file and removing one from it, the siblings of replaceDocument (the
 * API's document edits). Like it, they work on the text with the document ranges `yaml` reports:
 * every other document of the file keeps its bytes, comments, blank lines and line endings.
 */
import { type Document, isScalar, parseAllDocuments } from 'yaml'
import { configError } from './errors.ts'
import {
  type EditedText,
  type ReplaceDocumentOptions,
  documentBody,
  documentSpan,
  startsWithDocumentMarker,
} from './replace-document.ts'

/** Whether a parsed document holds nothing (blank, comments only, a lone `---`). */
export function isEmptyDocument(document: Pick<Document.Parsed, 'contents' | 'errors'>): boolean {
  const { contents } = document
  return document.errors.length === 0 && (contents === null || (isScalar(contents) && contents.value === null))
}

/**
 * The folder a new document of each kind goes to by default, as examples/hr500 lays a project out:
 * links sit with the filters that use them, generators and jobs with the mappings.
 */
export const DOCUMENT_FOLDERS: Readonly<Record<string, string>> = {
  System: 'systems',
  Link: 'filters',
  Filter: 'filters',
  NameGenerator: 'mappings',
  PasswordGenerator: 'mappings',
  Mapping: 'mappings',
  Job: 'mappings',
  RoleModel: 'roles',
  Task: 'tasks',
  MailServer: 'notifications',
  Template: 'notifications',
  EventAction: 'notifications',
}

/** `<folder>/<name>.yaml`, the default file of a new document (the kind's folder, or the project's top). */
export function defaultDocumentFile(kind: string, name: string): string {
  const folder = Object.hasOwn(DOCUMENT_FOLDERS, kind) ? DOCUMENT_FOLDERS[kind] : undefined
  return folder === undefined ? `${name}.yaml` : `${folder}/${name}.yaml`
}

/**
 * `text` (a file's content, possibly empty) with `source` appended as its last document: after a
 * `---` when the file holds anything, with the file's line endings.
 *
 * @example
 * appendDocument('kind: A\n', 'kind: B\n')   // { text: 'kind: A\n---\nkind: B\n', start: 12 }
 */
export function appendDocument(text: string, source: string): EditedText {
  const body = documentBody(source)
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const hasContent = text.replace(/^\uFEFF/, '').trim() !== ''
  let before = text
  if (hasContent) {
    if (!before.endsWith('\n')) before += eol
    if (!startsWithDocumentMarker(body)) before += `---${eol}`
  }
  return { text: `${before}${body.replace(/\n/g, eol)}`, start: before.length }
}

/**
 * `text` without its document number `index` (as {@link LoadedDocument.index} counts), or undefined
 * when no other document with content is left (the file should go). The removed span is the one
 * {@link documentSpan} gives: for the first document, the comments above it go with it.
 */
export function removeDocument(text: string, index: number, options: ReplaceDocumentOptions = {}): string | undefined {
  const documents = parseAllDocuments(text) as unknown as readonly Document.Parsed[]
  const document = documents[index]
  const kind: unknown = document === undefined || document.contents === null ? undefined : document.get('kind')
  if (document === undefined || (options.kind !== undefined && kind !== options.kind)) {
    throw configError('CFG_DOCUMENT_NOT_FOUND', `The file holds no document ${index + 1} of the expected kind.`, {
      hint: 'The file changed since it was read; read it again.',
      details: { index, kind: options.kind ?? null },
    })
  }
  if (documents.every((d, i) => i === index || isEmptyDocument(d))) return undefined
  const { start, end } = documentSpan(text, documents, index)
  let rest = `${text.slice(0, start)}${text.slice(end)}`
  // The document after it may have relied on the removed one's `...` to start without a `---`.
  if (index > 0 && index < documents.length - 1 && !startsWithDocumentMarker(text.slice(end))) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n'
    rest = `${text.slice(0, start)}---${eol}${text.slice(end)}`
  }
  return rest
}

/**
 * How many YAML documents with content `source` holds, and the line where the second one starts:
 * the API edits one document at a time (CFG_NOT_ONE_DOCUMENT otherwise).
 */
export function documentCount(source: string): { readonly count: number; readonly secondLine?: number } {
  const documents = parseAllDocuments(source) as unknown as readonly Document.Parsed[]
  const filled = documents.filter((d) => !isEmptyDocument(d))
  if (filled.length < 2) return { count: filled.length }
  const offset = filled[1]!.range[0]
  return { count: filled.length, secondLine: source.slice(0, offset).split('\n').length }
}
