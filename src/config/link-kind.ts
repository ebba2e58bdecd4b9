/**
 * The `Link` kind's registration: schema, then the checks against the project's Systems, then
 * resolution into a {@link LinkConfig}. Links are validated after every System (kinds.ts order).
 */
import type { LinkConfig } from './filter-model.ts'
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { checkLink } from './link-checks.ts'
import { linkSchema } from './link-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `Link` kind. */
export const linkKind: KindDefinition<LinkConfig> = {
  kind: 'Link',
  schema: linkSchema,
  uses: ['System'],
  validate(document, context) {
    const parsed = validateDocumentPart(document, linkSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkLink(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
