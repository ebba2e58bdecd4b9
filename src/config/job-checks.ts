/**
 * Checks of a Job document: every step names what it runs with exactly one of `mapping:` (a valid
 * mapping) and `memberships:` (a valid system), and a mapping or a system that two steps run is a
 * warning. Thresholds are resolved as written; the defaults for delete, disable and membership
 * remove steps are the jobs layer's, which knows each function's semantics.
 */
import { resolveDocument } from './document-references.ts'
import type { JobConfig, JobStep, MappingJobStep, MembershipsJobStep, OperationLimit } from './engine-model.ts'
import { type Findings, resolveSystem } from './filter-references.ts'
import { issueAt } from './issues.ts'
import type { JobDocument, StepDocument, StepThreshold } from './job-schema.ts'
import type { DocumentPath } from './yaml-positions.ts'
import { valueAt } from './zod-issues.ts'

/** The first step of each mapping and each memberships system, to warn about a repeat. */
type FirstSteps = Map<string, number>

/** Checks a schema-valid Job document; returns the resolved job when it has no errors. */
export function checkJob(findings: Findings, job: JobDocument): JobConfig | undefined {
  const first: FirstSteps = new Map()
  const steps: JobStep[] = []
  job.steps.forEach((step, i) => {
    const path = ['steps', i]
    const resolved =
      step.memberships === undefined
        ? checkMappingStep(findings, step, path, first)
        : checkMembershipsStep(findings, step, path, first)
    if (resolved !== undefined) steps.push(resolved)
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

function checkMappingStep(
  findings: Findings,
  step: StepDocument,
  path: DocumentPath,
  first: FirstSteps,
): MappingJobStep | undefined {
  if (step.mapping === undefined) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_MISSING_KEY',
        `Step ${describe(path)} names neither a mapping nor a system.`,
        [...path, 'mapping'],
        {
          anchor: path,
          hint: 'Add `mapping: <mapping name>` to run a mapping, or `memberships: <system>` to apply the role model to a system.',
        },
      ),
    )
    return undefined
  }
  // The shorthand `- create_accounts` holds the name at the step itself.
  const at = typeof valueAt(findings.document.value, path) === 'string' ? path : [...path, 'mapping']
  const mapping = resolveDocument(
    findings,
    { kind: 'Mapping', noun: 'mapping', valid: findings.context.mappings },
    step.mapping,
    at,
  )
  const name = mapping?.name ?? step.mapping
  warnRepeat(findings, first, `mapping:${name.toLowerCase()}`, path, at, step.mapping, {
    message: (earlier) =>
      `Mapping '${name}' is already run by steps[${earlier}]; this step plans again after it has written.`,
    hint: 'Remove one of the steps, unless running the mapping twice is intended.',
  })
  let threshold: OperationLimit | undefined
  if (step.threshold?.kind === 'pair') {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        'A mapping step takes one threshold; `{ add, remove }` is for memberships steps.',
        [...path, 'threshold'],
        { hint: "Write one limit: a number of operations (100) or a percentage of the target table ('10%')." },
      ),
    )
  } else threshold = step.threshold?.limit
  return {
    type: 'mapping',
    mapping: name,
    enabled: step.enabled ?? true,
    ...(threshold === undefined ? {} : { threshold }),
    path,
  }
}

function checkMembershipsStep(
  findings: Findings,
  step: StepDocument,
  path: DocumentPath,
  first: FirstSteps,
): MembershipsJobStep | undefined {
  const at = [...path, 'memberships']
  if (step.mapping !== undefined) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_CONFLICTING_KEYS',
        'A step runs a mapping or the memberships of a system, not both.',
        [...path, 'memberships'],
        { at: 'key', hint: 'Split it into two steps: `- mapping: …` and `- memberships: …`.' },
      ),
    )
    return undefined
  }
  const text = step.memberships!
  const system = resolveSystem(findings, text, at, text)
  const name = system?.name ?? text
  warnRepeat(findings, first, `memberships:${name.toLowerCase()}`, path, at, text, {
    message: (earlier) =>
      `The memberships of system '${name}' are already applied by steps[${earlier}]; this step plans again after it has written.`,
    hint: 'Remove one of the steps, unless applying the memberships twice is intended.',
  })
  return {
    type: 'memberships',
    system: name,
    enabled: step.enabled ?? true,
    threshold: limitsOf(step.threshold),
    path,
  }
}

/** A single limit applies to adds and removes each. */
function limitsOf(threshold: StepThreshold | undefined): MembershipsJobStep['threshold'] {
  if (threshold === undefined) return {}
  if (threshold.kind === 'single') return { add: threshold.limit, remove: threshold.limit }
  return {
    ...(threshold.add === undefined ? {} : { add: threshold.add }),
    ...(threshold.remove === undefined ? {} : { remove: threshold.remove }),
  }
}

function warnRepeat(
  findings: Findings,
  first: FirstSteps,
  key: string,
  path: DocumentPath,
  at: DocumentPath,
  value: string,
  words: { message: (earlier: number) => string; hint: string },
): void {
  const index = path[1] as number
  const earlier = first.get(key)
  if (earlier === undefined) {
    first.set(key, index)
    return
  }
  findings.add(
    issueAt(findings.document, 'CFG_DUPLICATE_STEP', words.message(earlier), at, {
      severity: 'warning',
      value,
      hint: words.hint,
    }),
  )
}

function describe(path: DocumentPath): string {
  return `steps[${String(path[1])}]`
}
