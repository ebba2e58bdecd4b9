/**
 * The `Mapping` kind's registration: schema, then the checks against the project's Systems,
 * Filters and generators, then resolution into a {@link MappingConfig}. Mappings are validated after
 * those kinds (kinds.ts order); the checks against the connector's functions and the filter's
 * output types are the engine's (src/engine/check-mappings.ts).
 */
import type { MappingConfig } from './engine-model.ts'
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { checkMapping } from './mapping-checks.ts'
import { mappingSchema } from './mapping-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `Mapping` kind. */
export const mappingKind: KindDefinition<MappingConfig> = {
  kind: 'Mapping',
  schema: mappingSchema,
  uses: ['System', 'Filter', 'NameGenerator', 'PasswordGenerator'],
  validate(document, context) {
    const parsed = validateDocumentPart(document, mappingSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkMapping(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
