/**
 * Which issues belong to which document, for listing documents with "valid or not" and showing a
 * document with its own problems (the API, the Studio's editors). Issues carry a file and a line, not
 * a document, so a document owns the lines of its file from where it starts to where the next one
 * starts; an issue about a file without a line (it could not be parsed) belongs to all its documents.
 * Finding one document by kind and name is here too.
 */
import { type Issue, closestMatch } from '../core/index.ts'
import { configError } from './errors.ts'
import type { LoadedDocument } from './loaded-document.ts'

/** The issues of each document of `documents`, in the order of `issues`. */
export function issuesByDocument(
  documents: readonly LoadedDocument[],
  issues: readonly Issue[],
): Map<LoadedDocument, Issue[]> {
  const result = new Map<LoadedDocument, Issue[]>(documents.map((d) => [d, []]))
  const byFile = new Map<string, { document: LoadedDocument; from: number }[]>()
  for (const document of documents) {
    const list = byFile.get(document.file) ?? []
    list.push({ document, from: document.index === 0 ? 1 : document.positionOf([]).line })
    byFile.set(document.file, list)
  }
  for (const list of byFile.values()) list.sort((a, b) => a.from - b.from)
  for (const issue of issues) {
    const list = issue.file === undefined ? undefined : byFile.get(issue.file)
    if (list === undefined) continue
    if (issue.line === undefined) {
      for (const { document } of list) result.get(document)!.push(issue)
      continue
    }
    const owner = list.findLast((entry) => entry.from <= issue.line!) ?? list[0]!
    result.get(owner.document)!.push(issue)
  }
  return result
}

/** The document of `kind` named `name` (both any case), or CFG_UNKNOWN_DOCUMENT with a did-you-mean. */
export function findDocument(documents: readonly LoadedDocument[], kind: string, name: string): LoadedDocument {
  const found = documents.find(
    (d) => d.kind.toLowerCase() === kind.toLowerCase() && d.name.toLowerCase() === name.toLowerCase(),
  )
  if (found !== undefined) return found
  const ofKind = documents.filter((d) => d.kind.toLowerCase() === kind.toLowerCase()).map((d) => d.name)
  const suggestion = closestMatch(name, ofKind)
  const kinds = [...new Set(documents.map((d) => d.kind))]
  throw configError('CFG_UNKNOWN_DOCUMENT', `The project has no ${kind} document '${name}'.`, {
    hint:
      ofKind.length === 0
        ? `The project has no document of kind ${kind}; its kinds: ${kinds.join(', ') || '(none)'}.`
        : `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}${kind} documents: ${ofKind.join(', ')}.`,
  })
}
