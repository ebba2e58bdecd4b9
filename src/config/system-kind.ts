/**
 * The `System` kind's registration: schema, then cross-checks and the plain-secret check, then
 * resolution into a {@link SystemConfig}. Every later kind (Link, Filter…) gets a module like this.
 */
import type { KindDefinition } from './kind-definition.ts'
import { plainSecretIssues } from './secrets.ts'
import { checkSystem } from './system-checks.ts'
import { resolveSystem, type SystemConfig } from './system-config.ts'
import { systemSchema } from './system-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `System` kind. */
export const systemKind: KindDefinition<SystemConfig> = {
  kind: 'System',
  schema: systemSchema,
  validate(document) {
    const parsed = validateDocumentPart(document, systemSchema)
    // The secret check looks at `config:` even when other parts of the document are wrong, so a
    // plain password is reported in the same pass as everything else.
    const secrets = plainSecretIssues(document, document.value['config'], ['config'])
    if (!parsed.ok) return { issues: [...parsed.issues, ...secrets] }
    const issues = [...checkSystem(document, parsed.value), ...secrets]
    if (issues.some((issue) => issue.severity !== 'warning')) return { issues }
    return { value: resolveSystem(document, parsed.value), issues }
  },
}
