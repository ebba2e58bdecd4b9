/**
 * Whole-file edits of the project's YAML files (docs/api.md "Configuration files"): what an
 * administrator needs when a file cannot be edited document by document, because its YAML does not
 * parse or a document has no valid kind or name. A file is listed with the problems the loader finds
 * in it (loadProject: encoding, syntax, duplicate keys, envelope), read with its file revision (the
 * sha256 of its bytes), checked and written whole.
 *
 * A new text is checked as a document edit is (config-edit.ts): the project with the file replaced in
 * memory (config's ProjectOverlay), checked whole by engine's checkProject, and compared with the
 * project as it is. Only the errors the edit brings are `new` and refuse a write: a file that
 * still has one of its old errors, half repaired, can be saved, so a repair can go step by step.
 *
 * Issues are compared by what they are about, not by line, since an edit moves lines: within the
 * edited file, the loader's problems (a file's) by their code, counted; every other issue by its
 * document (kind and name), code, message and path, as config-edit compares them.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type Document, parseAllDocuments } from 'yaml'
import type { Issue } from '../../core/index.ts'
import {
  type LoadedDocument,
  issuesByDocument,
  loadProject,
  projectRevision,
  writeFileAtomically,
} from '../../config/index.ts'
import { checkProject } from '../../engine/index.ts'
import { storeConfigRevision } from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { serverError } from '../errors.ts'
import { invalidateProject } from '../project-loader.ts'
import { type CheckedProject, serialised, withoutSecretValue } from './config-edit.ts'
import { checkProjectFile, readCheckedFile } from './config-files-path.ts'

/**
 * The codes of the problems loadProject finds in a file before any kind's validation: the file's own
 * (it cannot be decoded or parsed) and its documents' envelope (no valid kind or name).
 */
export const FILE_LEVEL_CODES: ReadonlySet<string> = new Set([
  'CFG_INVALID_ENCODING',
  'CFG_YAML_SYNTAX',
  'CFG_DUPLICATE_KEY',
  'CFG_NOT_A_MAPPING',
  'CFG_UNKNOWN_KIND',
  'CFG_KIND_NOT_SUPPORTED',
  'CFG_MISSING_NAME',
  'CFG_INVALID_NAME',
  'CFG_DUPLICATE_NAME',
])

/** A document of a file, addressable by kind and name. */
export interface FileDocument {
  readonly kind: string
  readonly name: string
  readonly index: number
}

/** One YAML file of the project as GET /api/files lists it. */
export interface ProjectFile {
  readonly path: string
  readonly size: number
  /** sha256 of the bytes, hex: what a write sends back. */
  readonly revision: string
  /** The YAML documents in the file (an empty one, comments only, not counted). */
  readonly documents: number
  /** Those with a valid kind and name (what the document routes address). */
  readonly loaded: readonly FileDocument[]
  /** The loader's problems of the file. */
  readonly issues: readonly Issue[]
}

/** An issue of a file edit's check: in the edited file or in another one; `new` when the edit brings it. */
export type FileEditIssue = Issue & {
  readonly inFile: boolean
  readonly new: boolean
  readonly kind?: string | undefined
  readonly name?: string | undefined
}

export interface CheckedFileEdit {
  /** No error in the file, and none the edit causes elsewhere. */
  readonly valid: boolean
  /** No error the project did not have before: a write would be accepted. */
  readonly writable: boolean
  /** Every issue of the edited file after the edit, then the new issues of other files. */
  readonly issues: readonly FileEditIssue[]
  /** The documents of the file after the edit. */
  readonly documents: readonly FileDocument[]
  readonly after: CheckedProject
}

export function fileRevision(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * A file's bytes as text: leniently decoded (an invalid byte becomes U+FFFD, which the loader reports
 * as CFG_INVALID_ENCODING) and with a byte order mark kept, so the text written back is the file's.
 */
export function fileText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** The YAML documents of `text` as the loader counts them: an empty one (comments only) is not. */
function documentCount(text: string): number {
  const parsed = parseAllDocuments(text) as unknown as readonly Document.Parsed[]
  return parsed.filter((d) => d.contents !== null || d.errors.length > 0).length
}

const identity = (d: LoadedDocument): FileDocument => ({ kind: d.kind, name: d.name, index: d.index })

/** Every YAML file of the project in `dir`, with its size, revision, documents and the loader's problems. */
export async function listProjectFiles(dir: string): Promise<ProjectFile[]> {
  const loaded = await loadProject(dir)
  return Promise.all(
    loaded.files.map(async (file) => {
      const bytes = await readFile(path.join(dir, ...file.split('/')))
      return {
        path: file,
        size: bytes.length,
        revision: fileRevision(bytes),
        documents: documentCount(fileText(bytes)),
        loaded: loaded.documents.filter((d) => d.file === file).map(identity),
        issues: loaded.issues.filter((i) => i.file === file).map((i) => withoutSecretValue(i)),
      }
    }),
  )
}

/** One file's text and revision; `utf8` false when it is not valid UTF-8 (then invalid bytes show as U+FFFD). */
export async function readProjectFile(dir: string, file: string) {
  const checked = await checkProjectFile(dir, file)
  const bytes = await readCheckedFile(dir, checked)
  return {
    path: checked,
    text: fileText(bytes),
    revision: fileRevision(bytes),
    size: bytes.length,
    utf8: isUtf8(bytes),
  }
}

/** What an issue is about, the same however lines move: see the module's comment. */
function issueKey(issue: Issue, owner: LoadedDocument | undefined, edited: string): string {
  const message = issue.message.replace(/line \d+, column \d+|:\d+:\d+/g, '#')
  if (issue.file === edited && FILE_LEVEL_CODES.has(issue.code)) return JSON.stringify(['file', issue.code])
  const where = owner === undefined ? `${issue.file ?? ''}:${issue.line ?? ''}` : `${owner.kind}/${owner.name}`
  return JSON.stringify([where, issue.code, message, issue.path ?? []])
}

function owners(checked: CheckedProject): Map<Issue, LoadedDocument> {
  const result = new Map<Issue, LoadedDocument>()
  for (const [document, issues] of issuesByDocument(checked.project.documents, checked.issues))
    for (const issue of issues) result.set(issue, document)
  return result
}

/**
 * Checks the project in `dir` with `file` (already checked by checkProjectFile) holding `text`
 * instead; `before` is the project's check as it is. Nothing is written.
 */
export async function checkFileEdit(
  dir: string,
  before: CheckedProject,
  file: string,
  text: string,
): Promise<CheckedFileEdit> {
  const after: CheckedProject = await checkProject(dir, { files: new Map([[file, text]]) })
  // Counted: two issues alike before allow two alike after, a third is new.
  const known = new Map<string, number>()
  const beforeOwners = owners(before)
  for (const issue of before.issues) {
    const key = issueKey(issue, beforeOwners.get(issue), file)
    known.set(key, (known.get(key) ?? 0) + 1)
  }
  const afterOwners = owners(after)
  const own: FileEditIssue[] = []
  const others: FileEditIssue[] = []
  for (const issue of after.issues) {
    const owner = afterOwners.get(issue)
    const key = issueKey(issue, owner, file)
    const left = known.get(key) ?? 0
    if (left > 0) known.set(key, left - 1)
    const inFile = issue.file === file
    if (!inFile && left > 0) continue
    const named = owner === undefined || FILE_LEVEL_CODES.has(issue.code) ? {} : { kind: owner.kind, name: owner.name }
    ;(inFile ? own : others).push({ ...withoutSecretValue(issue), inFile, new: left === 0, ...named })
  }
  const errors = (list: readonly FileEditIssue[]) => list.filter((i) => i.severity !== 'warning')
  return {
    valid: errors(own).length === 0 && errors(others).length === 0,
    writable: ![...own, ...others].some((i) => i.new && i.severity !== 'warning'),
    issues: [...own, ...others],
    documents: after.project.documents.filter((d) => d.file === file).map(identity),
    after,
  }
}

/** A file edit's check as the check route answers it. */
export async function checkFileText(dir: string, before: CheckedProject, file: string, text: string) {
  const checked = await checkFileEdit(dir, before, await checkProjectFile(dir, file), text)
  return {
    valid: checked.valid,
    writable: checked.writable,
    issues: [...checked.issues],
    documents: [...checked.documents],
  }
}

export interface WrittenFile {
  readonly path: string
  /** The file's new revision (sha256 of the bytes written). */
  readonly revision: string
  readonly size: number
  readonly documents: readonly FileDocument[]
  /** The issues the file still has (old ones, and warnings). */
  readonly issues: readonly FileEditIssue[]
  /** The configuration revision after the write, and its id among the stored ones. */
  readonly configRevision: string
  readonly configRevisionId: number
}

/**
 * Replaces the whole of `file` by `text` when `revision` is the file's revision now and the edit
 * brings no new error. Throws SRV_INVALID_FILE_PATH, SRV_FILE_NOT_FOUND, SRV_STALE_REVISION and
 * SRV_FILE_INVALID, writing nothing. Serialised with the document edits of the same project.
 */
export function writeProjectFile(
  ctx: Pick<ServerContext, 'db' | 'projectDir' | 'clock'>,
  file: string,
  text: string,
  revision: string,
): Promise<WrittenFile> {
  const dir = ctx.projectDir
  return serialised(dir, async () => {
    const checked = await checkProjectFile(dir, file)
    const target = path.join(dir, ...checked.split('/'))
    const current = fileRevision(await readCheckedFile(dir, checked))
    if (revision !== current) {
      throw serverError(
        'SRV_STALE_REVISION',
        `The file '${checked}' changed since the revision the edit was based on.`,
        {
          hint: 'Someone else changed the file: read it again (GET /api/files/content), redo the edit on it and send it with that revision.',
          details: { file: checked, revision, current },
        },
      )
    }
    // Read anew, not from a cache: what the edit is compared with must be the files as they are.
    const before = await checkProject(dir)
    const edit = await checkFileEdit(dir, before, checked, text)
    if (!edit.writable) {
      const count = edit.issues.filter((i) => i.new && i.severity !== 'warning').length
      throw serverError(
        'SRV_FILE_INVALID',
        `The edit would bring ${count} new configuration error${count === 1 ? '' : 's'}; nothing was written.`,
        { issues: [...edit.issues], details: { file: checked } },
      )
    }
    await writeFileAtomically(target, text)
    invalidateProject(dir)
    const stored = projectRevision(edit.after.project)
    const configRevisionId = await storeConfigRevision(ctx.db, stored, ctx.clock)
    return {
      path: checked,
      revision: fileRevision(Buffer.from(text, 'utf8')),
      size: Buffer.byteLength(text, 'utf8'),
      documents: edit.documents,
      issues: edit.issues,
      configRevision: stored.hash,
      configRevisionId,
    }
  })
}
