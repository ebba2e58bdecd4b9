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
