/**
 * References from one document to another by name: a Mapping's `filter:`, `nameGenerator:` and
 * `passwordGenerator:`, a Job step's `mapping:`. Names match regardless of case (document names are
 * unique regardless of case); the resolved document carries its name as declared.
 *
 * A reference to a document that exists but has errors of its own is not reported again (its own
 * errors already are); the referring document is then blocked: not resolved, so that nothing runs
 * on half a configuration.
 */
import { closestMatch } from '../core/index.ts'
import type { Findings } from './filter-references.ts'
import { isDeclared } from './filter-references.ts'
import { issueAt } from './issues.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** What a reference needs to know of the kind it names. */
export interface ReferencedKind<T extends { readonly name: string }> {
  /** The `kind:` value (`Filter`). */
  readonly kind: string
  /** How messages name a document of the kind (`filter`, `name generator`). */
  readonly noun: string
  /** The valid documents of the kind, from the {@link KindContext}. */
  readonly valid: readonly T[]
}

/**
 * The valid document of `target.kind` named `name` (any case), or undefined after reporting it at
 * `path` with a "did you mean" (or blocking the referring document when the named one is invalid).
 *
 * @example
 * const filter = resolveDocument(findings, { kind: 'Filter', noun: 'filter', valid: context.filters }, 'needs_account', ['filter'])
 */
export function resolveDocument<T extends { readonly name: string }>(
  findings: Findings,
  target: ReferencedKind<T>,
  name: string,
  path: DocumentPath,
): T | undefined {
  const lower = name.toLowerCase()
  const found = target.valid.find((d) => d.name.toLowerCase() === lower)
  if (found !== undefined) return found
  if (isDeclared(findings.context, target.kind, name)) {
    findings.blocked = true
    return undefined
  }
  // Suggest among every declared document of the kind, valid or not: a typo is a typo either way.
  const names = findings.context.documents.filter((d) => d.kind === target.kind).map((d) => d.name)
  const match = closestMatch(name, names)
  const hint =
    match !== undefined
      ? `Did you mean '${match}'?`
      : names.length === 0
        ? `Add a ${target.kind} document named '${name}'.`
        : `Use one of the project's ${target.noun}s: ${names.join(', ')}.`
  findings.add(
    issueAt(
      findings.document,
      'CFG_UNKNOWN_DOCUMENT',
      `There is no ${target.noun} '${name}' (kind ${target.kind}) in the project.`,
      path,
      { hint, value: name },
    ),
  )
  return undefined
}
