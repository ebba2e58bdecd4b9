/**
 * Document edits through the API (docs/api.md "Configuration"): create, change and delete one
 * document of the project's YAML files. Every edit is first checked whole, as `provisio validate`
 * would check the project with it: engine's checkProject reads the edited file's new text from an
 * overlay in memory (config's ProjectOverlay) and every other file from the project, so a check
 * writes nothing and copies nothing. Only an edit that leaves no error is written, atomically, with
 * every other document's text kept byte for byte. Each write stores the new configuration revision,
 * like a run stores the one it uses.
 *
 * Issues of the edited document are positioned in the text the client sent (line 1 is its first
 * line), so an editor marks them in place; issues the edit causes in other documents keep their file
 * and position and name their document. Issues other documents had before the edit do not block it:
 * a project with an error elsewhere can still be fixed one document at a time.
 *
 * Edits are serialised per project folder within this process. Two server processes editing one
 * project are not supported: the revision check (`revision`) catches most, not all, races between them.
 */
import { mkdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { type Document, parseAllDocuments } from 'yaml'
import type { Issue } from '../../core/index.ts'
import {
  type EditedText,
  type LoadedDocument,
  type ValidatedProject,
  appendDocument,
  defaultDocumentFile,
  documentCount,
  findDocument,
  hasErrors,
  isEmptyDocument,
  issuesByDocument,
  looksLikeSecretKey,
  parseDocuments,
  projectRevision,
  removeDocument,
  replaceDocumentAt,
  writeFileAtomically,
} from '../../config/index.ts'
import { checkProject } from '../../engine/index.ts'
import { storeConfigRevision } from '../../vault/index.ts'
import type { ServerContext } from '../context.ts'
import { serverError } from '../errors.ts'
import { invalidateProject } from '../project-loader.ts'
import { checkDocumentFile } from './config-document-file.ts'

/** What the whole check of a project gives (engine's checkProject). */
export interface CheckedProject {
  readonly project: ValidatedProject
  readonly issues: readonly Issue[]
}

export type DocumentEdit =
  | { readonly action: 'create'; readonly source: string; readonly file?: string | undefined }
  | { readonly action: 'change'; readonly kind: string; readonly name: string; readonly source: string }
  | { readonly action: 'delete'; readonly kind: string; readonly name: string }

/** An issue of an edit's check: in the sent text (`inSource`), or in another document it names. */
export type EditIssue = Issue & {
  readonly inSource: boolean
  readonly kind?: string | undefined
  readonly name?: string | undefined
}

export interface CheckedEdit {
  /** No error in the edited document, and none the edit causes in another. */
  readonly valid: boolean
  /** The edited document's issues first, then the new issues of other documents. */
  readonly issues: readonly EditIssue[]
  /** The project-relative file the edit writes, its new text (null: the file goes). */
  readonly file: string
  readonly text: string | null
  /** The project as it is after the edit. */
  readonly after: CheckedProject
  /** The edited document after the edit, when its kind and name are valid. */
  readonly document?: LoadedDocument | undefined
  /** The documents that have errors after the edit that they had not before. */
  readonly broken: readonly LoadedDocument[]
}

/** Where a new document goes when its kind or name cannot be read yet (a check while typing). */
const UNNAMED_FILE = 'new-document.yaml'

/** The draft of one edit: the file, its new text and where the sent text begins in it. */
interface Draft {
  readonly file: string
  readonly text: string | null
  readonly start?: number | undefined
  /** The document replaced or removed. */
  readonly target?: LoadedDocument | undefined
}

async function readProjectFile(dir: string, file: string): Promise<string> {
  return readFile(path.join(dir, ...file.split('/')), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return ''
    throw error
  })
}

/** The kind and name `source` declares, when its envelope is valid. */
export function declaredIdentity(source: string): { kind: string; name: string } | undefined {
  const [document] = parseDocuments(source, 'source').documents
  return document === undefined ? undefined : { kind: document.kind, name: document.name }
}

async function draftOf(dir: string, documents: readonly LoadedDocument[], edit: DocumentEdit): Promise<Draft> {
  if (edit.action === 'create') {
    const declared = declaredIdentity(edit.source)
    // The default file is checked too: its kind's folder may be a symbolic link out of the project.
    const file = await checkDocumentFile(
      dir,
      edit.file ?? (declared === undefined ? UNNAMED_FILE : defaultDocumentFile(declared.kind, declared.name)),
    )
    const edited: EditedText = appendDocument(await readProjectFile(dir, file), edit.source)
    return { file, ...edited }
  }
  const target = findDocument(documents, edit.kind, edit.name)
  const current = await readProjectFile(dir, target.file)
  if (edit.action === 'delete') {
    return { file: target.file, text: removeDocument(current, target.index, { kind: target.kind }) ?? null, target }
  }
  return { file: target.file, ...replaceDocumentAt(current, target.index, edit.source, { kind: target.kind }), target }
}

/** The issue without anything that could be a secret's value, when it is about a secret-looking key. */
export function withoutSecretValue<T extends Issue>(issue: T): T {
  const key = [...(issue.path ?? [])].reverse().find((p): p is string => typeof p === 'string')
  if (issue.code !== 'CFG_PLAIN_SECRET' && (key === undefined || !looksLikeSecretKey(key))) return issue
  const { value: _value, excerpt: _excerpt, ...rest } = issue
  return rest as T
}

/** A key that stays the same when the lines of a document move: its document, not its position. */
function issueKey(issue: Issue, owner: LoadedDocument | undefined): string {
  const where = owner === undefined ? `${issue.file ?? ''}:${issue.line ?? ''}` : `${owner.kind}/${owner.name}`
  return JSON.stringify([where, issue.code, issue.message, issue.path ?? []])
}

function owners(checked: CheckedProject): Map<Issue, LoadedDocument> {
  const result = new Map<Issue, LoadedDocument>()
  for (const [document, issues] of issuesByDocument(checked.project.documents, checked.issues))
    for (const issue of issues) result.set(issue, document)
  return result
}

/** The index of the document of `text` that begins at or after offset `start`. */
function documentIndexAt(text: string, start: number): number {
  const documents = parseAllDocuments(text) as unknown as readonly Document.Parsed[]
  return documents.findIndex((d) => d.range[2] > start && !isEmptyDocument(d))
}

function notOneDocument(source: string): EditIssue | undefined {
  const { count, secondLine } = documentCount(source)
  if (count === 1) return undefined
  return {
    code: 'CFG_NOT_ONE_DOCUMENT',
    message:
      count === 0
        ? 'The text holds no YAML document.'
        : `The text holds ${count} YAML documents; an edit changes one document.`,
    hint: 'Send the text of exactly one document; create the others one by one.',
    line: secondLine ?? 1,
    column: 1,
    inSource: true,
  }
}

/**
 * Checks `edit` against the project in `dir`, whose check as it is now is `before`: nothing is
 * written. Throws CFG_UNKNOWN_DOCUMENT (a change or delete of a missing document) and
 * SRV_INVALID_DOCUMENT_FILE.
 */
export async function checkEdit(dir: string, before: CheckedProject, edit: DocumentEdit): Promise<CheckedEdit> {
  const wrongCount = edit.action === 'delete' ? undefined : notOneDocument(edit.source)
  const draft = await draftOf(dir, before.project.documents, edit)
  const after: CheckedProject =
    wrongCount !== undefined ? before : await checkProject(dir, { files: new Map([[draft.file, draft.text]]) })
  if (wrongCount !== undefined)
    return { valid: false, issues: [wrongCount], file: draft.file, text: draft.text, after, broken: [] }

  // The lines of the file that hold the sent text.
  let firstLine = 0
  let lastLine = -1
  let document: LoadedDocument | undefined
  if (draft.text !== null && draft.start !== undefined && edit.action !== 'delete') {
    firstLine = draft.text.slice(0, draft.start).split('\n').length
    lastLine = firstLine + (edit.source.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n').length - 1)
    const index = documentIndexAt(draft.text, draft.start)
    document = after.project.documents.find((d) => d.file === draft.file && d.index === index)
  }
  const inSource = (issue: Issue) =>
    edit.action !== 'delete' &&
    issue.file === draft.file &&
    (issue.line === undefined || (issue.line >= firstLine && issue.line <= lastLine))

  const known = new Set<string>()
  const beforeOwners = owners(before)
  for (const issue of before.issues) known.add(issueKey(issue, beforeOwners.get(issue)))
  const afterOwners = owners(after)
  const own: EditIssue[] = []
  const others: EditIssue[] = []
  const broken = new Set<LoadedDocument>()
  for (const issue of after.issues) {
    if (inSource(issue)) {
      const { file: _file, ...rest } = issue
      own.push({
        ...withoutSecretValue(rest),
        ...(issue.line === undefined ? {} : { line: issue.line - firstLine + 1 }),
        inSource: true,
      })
      continue
    }
    const owner = afterOwners.get(issue)
    if (known.has(issueKey(issue, owner))) continue
    if (owner !== undefined && issue.severity !== 'warning') broken.add(owner)
    others.push({ ...withoutSecretValue(issue), inSource: false, kind: owner?.kind, name: owner?.name })
  }
  return {
    valid: !hasErrors(own) && !hasErrors(others),
    issues: [...own, ...others],
    file: draft.file,
    text: draft.text,
    after,
    document,
    broken: [...broken],
  }
}

const queues = new Map<string, Promise<unknown>>()

/** Runs `work` after every edit of the project in `dir` started before it has finished. */
export function serialised<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(dir)
  const next = (queues.get(key) ?? Promise.resolve()).then(work, work)
  const settled = next.then(
    () => undefined,
    () => undefined,
  )
  queues.set(key, settled)
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key)
  })
  return next
}

export interface AppliedEdit {
  readonly file: string
  /** Whether the file was removed (a delete of its only document). */
  readonly fileRemoved: boolean
  /** The document changed or deleted, as it was (kind and name as declared). */
  readonly target?: { readonly kind: string; readonly name: string; readonly file: string } | undefined
  /** The edited document as it is now (create and change). */
  readonly document?: LoadedDocument | undefined
  /** Its issues now (warnings only: an edit with errors is not written). */
  readonly issues: readonly Issue[]
  /** The configuration revision after the edit: its hash and its id in config_revisions. */
  readonly revision: string
  readonly revisionId: number
}

function identity(document: Pick<LoadedDocument, 'kind' | 'name' | 'file'>) {
  return { kind: document.kind, name: document.name, file: document.file }
}

/**
 * Checks and writes one edit; `revision`, when given, must be the project's revision now. Throws
 * SRV_STALE_REVISION, SRV_DOCUMENT_EXISTS, SRV_DOCUMENT_REFERENCED, SRV_DOCUMENT_INVALID,
 * CFG_UNKNOWN_DOCUMENT and SRV_INVALID_DOCUMENT_FILE, writing nothing.
 */
export function applyEdit(
  ctx: Pick<ServerContext, 'db' | 'projectDir' | 'clock'>,
  edit: DocumentEdit,
  revision: string | undefined,
): Promise<AppliedEdit> {
  const dir = ctx.projectDir
  return serialised(dir, async () => {
    // Read anew, not from a cache: the revision check must see the files as they are.
    const before = await checkProject(dir)
    const current = projectRevision(before.project).hash
    if (revision !== undefined && revision !== current) {
      throw serverError('SRV_STALE_REVISION', 'The project changed since revision the edit was based on.', {
        details: { revision, current },
      })
    }
    const declared = edit.action === 'delete' ? undefined : declaredIdentity(edit.source)
    if (edit.action === 'create' && declared !== undefined) {
      const same = before.project.documents.find(
        (d) => d.kind === declared.kind && d.name.toLowerCase() === declared.name.toLowerCase(),
      )
      if (same !== undefined) {
        throw serverError('SRV_DOCUMENT_EXISTS', `The project already has a ${same.kind} named '${same.name}'.`, {
          details: identity(same),
        })
      }
    }
    const checked = await checkEdit(dir, before, edit)
    const target = edit.action === 'create' ? undefined : findDocument(before.project.documents, edit.kind, edit.name)
    const gone =
      edit.action === 'delete' ||
      (declared !== undefined &&
        target !== undefined &&
        (declared.kind !== target.kind || declared.name !== target.name))
    if (gone && target !== undefined && checked.broken.length > 0) {
      const names = checked.broken.map((d) => `${d.kind} ${d.name}`).join(', ')
      throw serverError(
        'SRV_DOCUMENT_REFERENCED',
        `${target.kind} '${target.name}' is referred to by ${names}; it cannot be ${edit.action === 'delete' ? 'deleted' : 'renamed'}.`,
        {
          details: { referencedBy: checked.broken.map(identity) },
          issues: checked.issues.filter((i) => !i.inSource),
        },
      )
    }
    if (!checked.valid) {
      const errors = checked.issues.filter((i) => i.severity !== 'warning').length
      throw serverError(
        'SRV_DOCUMENT_INVALID',
        `The edit would leave ${errors} configuration error${errors === 1 ? '' : 's'}; nothing was written.`,
        { issues: checked.issues },
      )
    }
    const file = path.join(dir, ...checked.file.split('/'))
    if (checked.text === null) await rm(file)
    else {
      await mkdir(path.dirname(file), { recursive: true })
      await writeFileAtomically(file, checked.text)
    }
    invalidateProject(dir)
    const stored = projectRevision(checked.after.project)
    const revisionId = await storeConfigRevision(ctx.db, stored, ctx.clock)
    const issues =
      checked.document === undefined
        ? []
        : (issuesByDocument(checked.after.project.documents, checked.after.issues).get(checked.document) ?? [])
    return {
      file: checked.file,
      fileRemoved: checked.text === null,
      target: target === undefined ? undefined : identity(target),
      document: checked.document,
      issues,
      revision: stored.hash,
      revisionId,
    }
  })
}
