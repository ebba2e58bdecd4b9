/**
 * The `Task` kind's registration: schema, then the checks against the project's Systems, Jobs and
 * Filters, then resolution into a {@link TaskConfig}. Tasks are validated after every Job (kinds.ts order).
 */
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { checkTask } from './task-checks.ts'
import type { TaskConfig } from './task-model.ts'
import { taskSchema } from './task-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `Task` kind. */
export const taskKind: KindDefinition<TaskConfig> = {
  kind: 'Task',
  schema: taskSchema,
  uses: ['System', 'Filter', 'Job'],
  validate(document, context) {
    const parsed = validateDocumentPart(document, taskSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkTask(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
