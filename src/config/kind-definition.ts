import type { z } from 'zod'
import type { Issue } from '../core/index.ts'
import type { LoadedDocument } from './loaded-document.ts'

/**
 * What a document kind declares: its name, its schema (for docs, JSON Schema and the Studio's forms)
 * and how to validate and resolve one document of that kind.
 */
export interface KindDefinition<Resolved> {
  /** The `kind:` value, PascalCase (System). */
  readonly kind: string
  readonly schema: z.ZodType
  /**
   * Validates one document of this kind and resolves it. `value` is set only when the document has
   * no errors; `issues` holds everything found, warnings included.
   */
  validate(document: LoadedDocument): { readonly value?: Resolved; readonly issues: readonly Issue[] }
}
