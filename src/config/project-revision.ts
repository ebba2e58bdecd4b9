/**
 * A project's configuration revision: a sha256 over every loaded document's file, kind, name and
 * source text, in a stable order, with those documents. Runs record the revision they used, so
 * what a run did can be traced to the configuration as written then. Sources hold `${env:…}`
 * references, never the values they resolve to: a revision carries no secret.
 */
import { createHash } from 'node:crypto'
import type { ValidatedProject } from './validate-project.ts'

export interface RevisionDocumentSource {
  readonly file: string
  readonly kind: string
  readonly name: string
  /** The document's text as written. */
  readonly source: string
}

export interface ProjectRevision {
  /** sha256, hex. */
  readonly hash: string
  /** Sorted by file, then kind, then name. */
  readonly documents: readonly RevisionDocumentSource[]
}

const byKey = (a: RevisionDocumentSource, b: RevisionDocumentSource) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.name < b.name ? -1 : 1

/** The revision of the project's documents as loaded; equal for equal documents, in any load order. */
export function projectRevision(project: Pick<ValidatedProject, 'documents'>): ProjectRevision {
  const documents = project.documents.map(({ file, kind, name, source }) => ({ file, kind, name, source })).sort(byKey)
  const hash = createHash('sha256')
  // Length-prefixed fields: no two different document lists hash the same text.
  for (const d of documents)
    for (const field of [d.file, d.kind, d.name, d.source]) hash.update(`${field.length}:${field}\n`)
  return { hash: hash.digest('hex'), documents }
}
