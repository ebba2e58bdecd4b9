/**
 * Checks of a Job document: every step names a valid mapping, and a mapping that two steps run is a
 * warning. Thresholds are resolved as written; the defaults for delete and disable steps are the
 * jobs layer's, which knows each function's semantics.
 */
import { resolveDocument } from './document-references.ts'
import type { JobConfig, JobStep } from './engine-model.ts'
import type { Findings } from './filter-references.ts'
import { issueAt } from './issues.ts'
import type { JobDocument } from './job-schema.ts'
import { valueAt } from './zod-issues.ts'

/** Checks a schema-valid Job document; returns the resolved job when it has no errors. */
export function checkJob(findings: Findings, job: JobDocument): JobConfig | undefined {
  const first = new Map<string, number>()
  const steps: JobStep[] = []
  job.steps.forEach((step, i) => {
    const path = ['steps', i]
    // The shorthand `- create_accounts` holds the name at the step itself.
    const at = typeof valueAt(findings.document.value, path) === 'string' ? path : [...path, 'mapping']
    const mapping = resolveDocument(
      findings,
      { kind: 'Mapping', noun: 'mapping', valid: findings.context.mappings },
      step.mapping,
      at,
    )
    const name = mapping?.name ?? step.mapping
    const earlier = first.get(name.toLowerCase())
    if (earlier === undefined) first.set(name.toLowerCase(), i)
    else {
      findings.add(
        issueAt(
          findings.document,
          'CFG_DUPLICATE_STEP',
          `Mapping '${name}' is already run by steps[${earlier}]; this step plans again after it has written.`,
          at,
          { severity: 'warning', value: step.mapping },
        ),
      )
    }
    steps.push({
      type: 'mapping',
      mapping: name,
      enabled: step.enabled ?? true,
      ...(step.threshold === undefined ? {} : { threshold: step.threshold }),
      path,
    })
  })
  if (!findings.isResolvable) return undefined
  return {
    name: job.name,
    ...(job.description === undefined ? {} : { description: job.description }),
    steps,
    file: findings.document.file,
    document: findings.document,
  }
}
