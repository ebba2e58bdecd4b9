/**
 * The `MailServer` kind's registration: schema, then checks, then resolution into a
 * {@link MailServerConfig}.
 */
import type { MailServerConfig } from './event-action-model.ts'
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { checkMailServer } from './mail-server-checks.ts'
import { mailServerSchema } from './mail-server-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `MailServer` kind. */
export const mailServerKind: KindDefinition<MailServerConfig> = {
  kind: 'MailServer',
  schema: mailServerSchema,
  validate(document, context) {
    const parsed = validateDocumentPart(document, mailServerSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkMailServer(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
