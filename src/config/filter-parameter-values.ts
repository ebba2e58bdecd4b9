/**
 * The values a document gives a filter's parameters: a mapping's `parameters:`, a role's
 * `parameters:` for its member filter, a generator's `parameters:` for its generation filter, and
 * `members.parameters:` and `members.bind:` for its member filter. Fixed values are parsed as their
 * types, as parameter defaults are; a bound parameter gets its value from each generation row, so it
 * takes no fixed value. A parameter without a default needs a value from one of the two.
 */
import { closestMatch, type Value } from '../core/index.ts'
import type { FilterConfig } from './filter-model.ts'
import { parseDefault } from './filter-parameters.ts'
import type { Findings } from './filter-references.ts'
import { issueAt } from './issues.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** Where the values sit, and what else gives parameters a value. */
export interface ParameterValuesAt {
  /** The path of the `parameters:` key (`['roles', 0, 'parameters']`). */
  readonly path: DocumentPath
  /** Where a missing value is shown when `parameters:` is not written: the filter's name. */
  readonly filterPath: DocumentPath
  /** The parameters bound from each generation row (`members.bind`). @default [] */
  readonly bound?: readonly string[]
  /** How messages name the owner of the values (`role 'all_staff'`, `the mapping`). */
  readonly owner: string
}

/** Checks the fixed values given for `filter`'s parameters; returns them parsed. */
export function checkParameterValues(
  findings: Findings,
  filter: FilterConfig,
  given: Readonly<Record<string, unknown>> | undefined,
  at: ParameterValuesAt,
): Record<string, Value> {
  const values: Record<string, Value> = {}
  const bound = at.bound ?? []
  for (const [name, input] of Object.entries(given ?? {})) {
    const path = [...at.path, name]
    const parameter = filter.parameters.find((p) => p.name === name)
    if (parameter === undefined) {
      findings.add(unknownParameter(findings, filter, name, path))
      continue
    }
    if (bound.includes(name)) {
      findings.add(
        issueAt(
          findings.document,
          'CFG_CONFLICTING_KEYS',
          `Parameter '${name}' of filter '${filter.name}' is bound from the generation row (\`bind:\`) and also given a fixed value.`,
          path,
          { at: 'key', hint: `Remove '${name}' from \`parameters:\` or from \`bind:\`.` },
        ),
      )
      continue
    }
    const parsed = parseDefault(parameter.type, input)
    if (parsed.ok) {
      values[name] = parsed.value
      continue
    }
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `Parameter '${name}' of filter '${filter.name}' is ${parameter.type}: expected ${parsed.expected}.`,
        path,
        {
          hint: `Write a value of type ${parameter.type}, as the filter's parameter defaults are written (docs/configuration.md, Kind Filter).`,
          value: typeof input === 'object' ? undefined : input,
        },
      ),
    )
  }
  checkMissing(findings, filter, given, at)
  return values
}

/** Checks that every name bound by `members.bind` is a parameter of the member filter. */
export function checkBoundNames(
  findings: Findings,
  filter: FilterConfig,
  names: readonly string[],
  path: DocumentPath,
): void {
  for (const name of names) {
    if (filter.parameters.some((p) => p.name === name)) continue
    findings.add(unknownParameter(findings, filter, name, [...path, name]))
  }
}

function unknownParameter(findings: Findings, filter: FilterConfig, name: string, path: DocumentPath) {
  const declared = filter.parameters.map((p) => p.name)
  const match = closestMatch(name, declared)
  return issueAt(findings.document, 'CFG_UNKNOWN_KEY', `Filter '${filter.name}' has no parameter '${name}'.`, path, {
    at: 'key',
    hint:
      match !== undefined
        ? `Did you mean '${match}'?`
        : declared.length === 0
          ? `Filter '${filter.name}' declares no parameters.`
          : `Its parameters are: ${declared.join(', ')}.`,
  })
}

/** A parameter without a default must get a value: fixed, or bound from the generation row. */
function checkMissing(
  findings: Findings,
  filter: FilterConfig,
  given: Readonly<Record<string, unknown>> | undefined,
  at: ParameterValuesAt,
): void {
  const bound = at.bound ?? []
  const missing = filter.parameters.filter(
    (p) => p.default === undefined && !Object.hasOwn(given ?? {}, p.name) && !bound.includes(p.name),
  )
  for (const parameter of missing) {
    const written = given !== undefined
    const bindable = at.bound === undefined ? '' : ', or bind it from the generation row under `bind:`'
    findings.add(
      issueAt(
        findings.document,
        'CFG_MISSING_KEY',
        `Filter '${filter.name}' needs a value for parameter '${parameter.name}' (${parameter.type}, no default); ${at.owner} gives none.`,
        [...at.path, parameter.name],
        {
          anchor: written ? at.path : at.filterPath,
          at: 'key',
          hint: written
            ? `Add \`${parameter.name}: <value>\` under \`parameters:\`${bindable}.`
            : `Add \`parameters: { ${parameter.name}: <value> }\` to ${at.owner}${bindable}, or give the filter's parameter a default.`,
        },
      ),
    )
  }
}
