/**
 * The `Filter` kind's registration: schema, then the checks against the project's Systems and
 * Links, then resolution into a {@link FilterConfig}. Filters are validated after every System and
 * Link (kinds.ts order).
 */
import { checkFilter } from './filter-checks.ts'
import type { FilterConfig } from './filter-model.ts'
import { Findings } from './filter-references.ts'
import { filterSchema } from './filter-schema.ts'
import type { KindDefinition } from './kind-definition.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `Filter` kind. */
export const filterKind: KindDefinition<FilterConfig> = {
  kind: 'Filter',
  schema: filterSchema,
  uses: ['System', 'Link'],
  validate(document, context) {
    const parsed = validateDocumentPart(document, filterSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkFilter(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
