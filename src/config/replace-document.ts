/**
 * Writing one YAML document back into the project's files (`provisio roles restore`): the text of
 * one document of a file is replaced, and everything else in the file (the other documents, their
 * comments, blank lines, line endings, a byte order mark) stays byte for byte as it was. The work is
 * done on the text, using the document ranges `yaml` reports, never by re-serialising the file, so
 * that a restore changes nothing the user did not ask for.
 *
 * Files are written atomically and durably (a temporary file in the same folder, flushed to the disk,
 * then a rename): a crash or a power loss leaves the old file or the new one, never half of each.
 */
import { readFile } from 'node:fs/promises'
import { type Document, parseAllDocuments } from 'yaml'
import { writeFileDurably } from '../core/index.ts'
import { configError } from './errors.ts'

export interface ReplaceDocumentOptions {
  /**
   * The `kind` the document at `index` must have; a file that no longer holds such a document there
   * (it changed since it was loaded) is refused with CFG_DOCUMENT_NOT_FOUND. @default not checked
   */
  readonly kind?: string | undefined
}

/** A line that starts a document explicitly (`---`, possibly followed by a comment or content). */
const DOCUMENT_START = /^---(?:[ \t]|$)/
/** A line that ends a document explicitly (`...`). */
const DOCUMENT_END = /^\.\.\.(?:[ \t]|$)/

/** Whether the first line of `text` that is not blank or a comment is a directive or a `---`. */
function startsWithMarker(text: string): boolean {
  for (const line of text.split('\n')) {
    const trimmed = line.trimEnd()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    return DOCUMENT_START.test(trimmed) || trimmed.startsWith('%')
  }
  return false
}

/** Whether the last line of `text` that is not blank or a comment is a `...`. */
function endsWithEndMarker(text: string): boolean {
  const lines = text.split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    const trimmed = lines[i]!.trimEnd()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    return DOCUMENT_END.test(trimmed)
  }
  return false
}

function notFound(message: string, details: Record<string, unknown>): Error {
  return configError('CFG_DOCUMENT_NOT_FOUND', message, {
    hint: 'The file changed while the command ran, or is not the file the document came from; run the command again.',
    details,
  })
}

/** The document at `index` of `documents`, checked against `options.kind`. */
function documentAt(
  documents: readonly Document.Parsed[],
  index: number,
  options: ReplaceDocumentOptions,
): Document.Parsed {
  const document = documents[index]
  if (document === undefined) {
    throw notFound(`The file holds ${documents.length} YAML document(s); there is no document ${index + 1}.`, {
      index,
      documents: documents.length,
    })
  }
  if (options.kind !== undefined) {
    const kind: unknown = document.contents === null ? undefined : document.get('kind')
    if (kind !== options.kind) {
      throw notFound(`Document ${index + 1} of the file is not of kind ${options.kind}.`, {
        index,
        kind: options.kind,
        found: typeof kind === 'string' ? kind : null,
      })
    }
  }
  return document
}

/**
 * `text` with its document number `index` (from 0, as {@link LoadedDocument.index} counts) replaced
 * by `replacement`, a single YAML document. The replaced span runs from the document's start (the
 * file's start for the first document, so the comments above it go with it, as yaml counts them
 * the document's own) to the next document's `---` (the file's end for the last one).
 *
 * `replacement` is adapted to its place: a `---` is put before it when it is not the first document,
 * a `...` after it when the document it replaces ended with one, and its line endings become the
 * file's (CRLF when the file uses CRLF).
 *
 * @example
 * replaceDocument('kind: A\n---\nkind: B\n', 1, 'kind: C\n')   // 'kind: A\n---\nkind: C\n'
 */
export function replaceDocument(
  text: string,
  index: number,
  replacement: string,
  options: ReplaceDocumentOptions = {},
): string {
  return replaceDocumentAt(text, index, replacement, options).text
}

/** The new text of a file after an edit, and where the given document text begins in it. */
export interface EditedText {
  readonly text: string
  /**
   * Offset in `text` of the first character of the document text as given (after a `---` the edit
   * put before it): lines of the given text map to lines of the file from here, columns unchanged.
   */
  readonly start: number
}

/** {@link replaceDocument}, also telling where the replacement begins in the new text. */
export function replaceDocumentAt(
  text: string,
  index: number,
  replacement: string,
  options: ReplaceDocumentOptions = {},
): EditedText {
  const documents = parseAllDocuments(text) as unknown as readonly Document.Parsed[]
  documentAt(documents, index, options)
  const isLast = index === documents.length - 1
  const { start, end } = documentSpan(text, documents, index)

  let body = documentBody(replacement)
  const marker = index > 0 && !startsWithMarker(body) ? '---\n' : ''
  const old = text.slice(start, end).replace(/\r\n/g, '\n')
  // A document that ended with `...` may be followed by one without a `---`: keep the end marker.
  if (!isLast && endsWithEndMarker(old) && !endsWithEndMarker(body)) body += '...\n'
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const before = text.slice(0, start) + marker.replace(/\n/g, eol)
  return { text: `${before}${body.replace(/\n/g, eol)}${text.slice(end)}`, start: before.length }
}

/** A document text as it goes into a file: no byte order mark, `\n` line endings, a final newline. */
export function documentBody(source: string): string {
  const body = source.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')
  return body.endsWith('\n') ? body : `${body}\n`
}

/** Whether `text` starts (after blank and comment lines) with `---` or a directive. */
export function startsWithDocumentMarker(text: string): boolean {
  return startsWithMarker(text)
}

/**
 * Where document `index` of `documents` (all documents of `text`) lies in `text`: from its start (the
 * file's start, after a byte order mark, for the first document, so the comments above it belong to
 * it) to the next document's `---` (the file's end for the last one). What a document "as written"
 * is, both for replacing it and for keeping its text (LoadedDocument.source).
 */
export function documentSpan(
  text: string,
  documents: readonly Pick<Document.Parsed, 'range'>[],
  index: number,
): { readonly start: number; readonly end: number } {
  const bom = text.startsWith('\uFEFF') ? 1 : 0
  const document = documents[index]!
  const start = index === 0 ? bom : document.range[0]
  const end = index === documents.length - 1 ? text.length : document.range[2]
  return { start, end }
}

/**
 * Writes `text` to `file` atomically and durably: into a temporary file beside it, flushed to the
 * disk, then renamed over it and the folder flushed (core's writeFileDurably), so a power loss
 * leaves the old file or the new one, never an empty one. The file keeps its permissions. Creates
 * nothing but the file: its folder must exist.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  await writeFileDurably(file, text)
}

/**
 * Replaces document `index` of the YAML file `file` by `replacement` (see {@link replaceDocument})
 * and writes the file atomically. Returns the file's new text.
 */
export async function replaceDocumentInFile(
  file: string,
  index: number,
  replacement: string,
  options: ReplaceDocumentOptions = {},
): Promise<string> {
  const text = replaceDocument(await readFile(file, 'utf8'), index, replacement, options)
  await writeFileAtomically(file, text)
  return text
}
