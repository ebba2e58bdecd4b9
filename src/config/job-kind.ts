/**
 * The `Job` kind's registration: schema, then the checks against the project's Mappings (mapping
 * steps) and Systems (memberships steps), then resolution into a {@link JobConfig}. Jobs are
 * validated after every Mapping (kinds.ts order).
 */
import type { JobConfig } from './engine-model.ts'
import { Findings } from './filter-references.ts'
import type { KindDefinition } from './kind-definition.ts'
import { checkJob } from './job-checks.ts'
import { jobSchema } from './job-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/** The registration of the `Job` kind. */
export const jobKind: KindDefinition<JobConfig> = {
  kind: 'Job',
  schema: jobSchema,
  uses: ['System', 'Mapping'],
  validate(document, context) {
    const parsed = validateDocumentPart(document, jobSchema)
    if (!parsed.ok) return { issues: parsed.issues }
    const findings = new Findings(document, context)
    const value = checkJob(findings, parsed.value)
    return { value, issues: findings.issues }
  },
}
