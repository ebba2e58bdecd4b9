/** The documents as the configuration routes answer them (config-schemas.ts gives their shapes). */
import type { Issue } from '../../core/index.ts'
import type { LoadedDocument } from '../../config/index.ts'

/** Whether a document with these issues is valid, and how many errors and warnings it has. */
export function issueCounts(issues: readonly { severity?: 'error' | 'warning' | undefined }[]) {
  const errors = issues.filter((i) => i.severity !== 'warning').length
  return { valid: errors === 0, errors, warnings: issues.length - errors }
}

/** A document of a list (documentSummarySchema). */
export function documentSummary(document: LoadedDocument, own: readonly Issue[]) {
  return { kind: document.kind, name: document.name, file: document.file, index: document.index, ...issueCounts(own) }
}

/** A document with its text, value and issues (documentDetailSchema). */
export function documentDetail(document: LoadedDocument, own: readonly Issue[]) {
  return { ...documentSummary(document, own), source: document.source, value: { ...document.value }, issues: [...own] }
}
