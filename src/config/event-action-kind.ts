/**
 * The `EventAction` kind's registration: schema, then the checks against the project's Systems,
 * Jobs, Mappings, Tasks, MailServers and Templates, then resolution into an {@link EventActionConfig}.
 * EventActions are validated last (kinds.ts order).
 */
import { checkEventAction } from './event-action-checks.ts'
import type { EventActionConfig } from './event-action-model.ts'
import { eventActionSchema } from './event-action-schema.ts'
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `EventAction` kind. */
export const eventActionKind: KindDefinition<EventActionConfig> = {
  kind: 'EventAction',
  schema: eventActionSchema,
  uses: ['System', 'Mapping', 'Job', 'Task', 'MailServer', 'Template'],
  validate(document, context) {
    const parsed = validateDocumentPart(document, eventActionSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkEventAction(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
