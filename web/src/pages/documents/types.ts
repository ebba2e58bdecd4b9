/** The answers of the configuration routes (src/server/routes/config*.ts). */
import type { Issue } from '../../components/editor.tsx'

export interface DocumentSummary {
  readonly kind: string
  readonly name: string
  readonly file: string
  readonly index: number
  readonly valid: boolean
  readonly errors: number
  readonly warnings: number
}

export interface DocumentsAnswer {
  readonly revision: string
  readonly documents: readonly DocumentSummary[]
}

export interface ValidateAnswer {
  readonly valid: boolean
  readonly documents: number
  readonly errors: number
  readonly warnings: number
  readonly issues: readonly Issue[]
}

/** The page of a document's kind, where it is used (the editor is here in any case). */
export const KIND_PAGES: Readonly<Record<string, string>> = {
  System: '/systems',
  Link: '/links',
  Filter: '/filters',
  NameGenerator: '/generators',
  PasswordGenerator: '/generators',
  Mapping: '/mappings',
  RoleModel: '/roles',
  Job: '/jobs',
  Task: '/jobs',
}

/** A document of a file with a valid kind and name (src/server/routes/config-files.ts). */
export interface FileDocument {
  readonly kind: string
  readonly name: string
  readonly index: number
}

/** One YAML file of the project as GET /api/files lists it, with the loader's problems of it. */
export interface ProjectFile {
  readonly path: string
  readonly size: number
  readonly revision: string
  readonly documents: number
  readonly loaded: readonly FileDocument[]
  readonly valid: boolean
  readonly errors: number
  readonly warnings: number
  readonly issues: readonly Issue[]
}

export interface FilesAnswer {
  readonly files: readonly ProjectFile[]
}

/** GET /api/files/content. */
export interface FileContent {
  readonly path: string
  readonly text: string
  readonly revision: string
  readonly size: number
  readonly utf8: boolean
}

/** An issue of a file edit's check: in the file or another; `new` when the edit brings it. */
export type FileEditIssue = Issue & { readonly inFile: boolean; readonly new: boolean }

/** POST /api/files/check. */
export interface FileCheck {
  readonly valid: boolean
  readonly writable: boolean
  readonly issues: readonly FileEditIssue[]
  readonly documents: readonly FileDocument[]
}

/** PUT /api/files/content. */
export interface FileWritten {
  readonly path: string
  readonly revision: string
  readonly documents: readonly FileDocument[]
  readonly issues: readonly FileEditIssue[]
  readonly configRevision: string
}

/** The Studio's address of a file's editor. */
export const fileHref = (file: string): string => `/documents/file?path=${encodeURIComponent(file)}`
