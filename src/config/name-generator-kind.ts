/**
 * The `NameGenerator` kind's registration: schema, then the checks against the project's Systems
 * (uniqueIn columns) and Filters (the preview filter), then resolution into a
 * {@link NameGeneratorConfig}. Name generators are validated after every Filter (kinds.ts order).
 */
import type { NameGeneratorConfig } from './engine-model.ts'
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { checkNameGenerator } from './name-generator-checks.ts'
import { nameGeneratorSchema } from './name-generator-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `NameGenerator` kind. */
export const nameGeneratorKind: KindDefinition<NameGeneratorConfig> = {
  kind: 'NameGenerator',
  schema: nameGeneratorSchema,
  uses: ['System', 'Filter'],
  validate(document, context) {
    const parsed = validateDocumentPart(document, nameGeneratorSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkNameGenerator(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
