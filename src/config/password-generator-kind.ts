/**
 * The `PasswordGenerator` kind's registration: schema, then the checks of the length, classes and
 * parts, then resolution into a {@link PasswordGeneratorConfig}. The document stands on its own: its
 * part expressions are type-checked by the engine in each mapping that uses it.
 */
import type { PasswordGeneratorConfig } from './engine-model.ts'
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { checkPasswordGenerator } from './password-generator-checks.ts'
import { passwordGeneratorSchema } from './password-generator-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `PasswordGenerator` kind. */
export const passwordGeneratorKind: KindDefinition<PasswordGeneratorConfig> = {
  kind: 'PasswordGenerator',
  schema: passwordGeneratorSchema,
  validate(document, context) {
    const parsed = validateDocumentPart(document, passwordGeneratorSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkPasswordGenerator(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
