/**
 * The `Template` kind's registration: schema, then the Liquid and filter checks, then resolution
 * into a {@link TemplateConfig}. Templates are validated after every Filter (kinds.ts order).
 */
import type { TemplateConfig } from './event-action-model.ts'
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { checkTemplate } from './template-checks.ts'
import { templateSchema } from './template-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `Template` kind. */
export const templateKind: KindDefinition<TemplateConfig> = {
  kind: 'Template',
  schema: templateSchema,
  uses: ['Filter'],
  validate(document, context) {
    const parsed = validateDocumentPart(document, templateSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkTemplate(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
