/**
 * Checks of one role item against the project's configuration: the system, its group table and the
 * group table's columns, the memberships table when named, the member column when the member
 * filter lists its output, and which groups the item grants (exactly one of `groups`, `match` and,
 * in role generators, `group`). Whether the system's connector offers membership functions, and
 * the member column's type, are the engine's checks (src/engine/check-roles.ts).
 */
import { closestMatch } from '../core/index.ts'
import type { FilterConfig } from './filter-model.ts'
import { type Findings, columnOfTable, resolveSystem, tableOfSystem } from './filter-references.ts'
import { parseDocumentExpression } from './generator-expressions.ts'
import { issueAt } from './issues.ts'
import type { RoleGroups, RoleItemConfig } from './role-model.ts'
import type { RoleItemDocument } from './role-model-schema.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** The keys that say which groups an item grants; exactly one is given. */
const GROUP_KEYS = ['groups', 'match', 'group'] as const

/**
 * Checks the item at `path`; returns it resolved (names as declared) when its own parts are valid.
 * `memberFilter` is undefined when the filter itself could not be resolved (already reported).
 */
export function checkRoleItem(
  findings: Findings,
  item: RoleItemDocument,
  path: DocumentPath,
  memberFilter: FilterConfig | undefined,
  inGenerator: boolean,
): RoleItemConfig | undefined {
  const system = resolveSystem(findings, item.system, [...path, 'system'], item.system)
  const groupTable =
    system === undefined ? undefined : tableOfSystem(findings, system, item.groupTable, [...path, 'groupTable'])
  const groupTarget = system === undefined || groupTable === undefined ? undefined : { system, table: groupTable }
  const groupKey =
    groupTarget === undefined
      ? undefined
      : columnOfTable(findings, groupTarget, item.groupKey, [...path, 'groupKey'])?.name
  const nameColumn =
    groupTarget === undefined || item.nameColumn === undefined
      ? groupKey
      : columnOfTable(findings, groupTarget, item.nameColumn, [...path, 'nameColumn'])?.name
  const membershipsTable =
    system === undefined || item.membershipsTable === undefined
      ? undefined
      : tableOfSystem(findings, system, item.membershipsTable, [...path, 'membershipsTable'])
  if (memberFilter !== undefined) checkMember(findings, memberFilter, item.member, [...path, 'member'])
  const groups = checkGroups(findings, item, path, inGenerator)
  if (
    system === undefined ||
    groupTable === undefined ||
    groupKey === undefined ||
    nameColumn === undefined ||
    (item.membershipsTable !== undefined && membershipsTable === undefined) ||
    groups === undefined
  ) {
    return undefined
  }
  return {
    system: system.name,
    groupTable: groupTable.name,
    groupKey,
    nameColumn,
    member: item.member,
    ...(membershipsTable === undefined ? {} : { membershipsTable: membershipsTable.name }),
    groups,
    path,
  }
}

/**
 * The member column against the filter's `output:` list, when the filter has one (`alias.*` admits
 * any column of the alias; the engine checks it against the compiled columns). Without a list the
 * output depends on the filter's joins and is the engine's to check.
 */
function checkMember(findings: Findings, filter: FilterConfig, member: string, path: DocumentPath): void {
  const output = filter.output
  if (output === undefined || output.includes(member)) return
  const dot = member.indexOf('.')
  if (dot > 0 && output.includes(`${member.slice(0, dot)}.*`)) return
  const named = output.filter((o) => !o.endsWith('.*'))
  const match = closestMatch(member, named)
  findings.add(
    issueAt(
      findings.document,
      'CFG_UNKNOWN_COLUMN',
      `Column '${member}' is not in the output of filter '${filter.name}'.`,
      path,
      {
        hint:
          match !== undefined
            ? `Did you mean '${match}'?`
            : `Name one of its output columns (${output.join(', ')}), or add '${member}' to the filter's \`output:\`.`,
        value: member,
      },
    ),
  )
}

/** Exactly one of groups / match / group (generators only); duplicate fixed names are a warning. */
function checkGroups(
  findings: Findings,
  item: RoleItemDocument,
  path: DocumentPath,
  inGenerator: boolean,
): RoleGroups | undefined {
  const { document } = findings
  if (!inGenerator && item.group !== undefined) {
    findings.add(
      issueAt(
        document,
        'CFG_UNKNOWN_KEY',
        "A role's item names its groups with `groups:` or `match:`; `group:` (an expression over the generation row) is for role generators.",
        [...path, 'group'],
        { at: 'key', hint: "Write `groups: [NAME]` or `match: 'PATTERN*'`, or move the role into a role generator." },
      ),
    )
    return undefined
  }
  const given = GROUP_KEYS.filter((key) => item[key] !== undefined)
  const allowed = inGenerator ? '`groups:`, `match:` or `group:`' : '`groups:` or `match:`'
  if (given.length === 0) {
    findings.add(
      issueAt(
        document,
        'CFG_MISSING_KEY',
        `The role item grants no groups: give one of ${allowed}.`,
        [...path, 'groups'],
        {
          anchor: [...path, 'system'],
          at: 'key',
          hint: "Add `groups: [NAME, …]` for fixed groups or `match: 'PATTERN*'` for every group whose name matches.",
        },
      ),
    )
    return undefined
  }
  if (given.length > 1) {
    const [first, second] = given
    findings.add(
      issueAt(
        document,
        'CFG_CONFLICTING_KEYS',
        `The role item gives both \`${first}:\` and \`${second}:\`; it takes exactly one of ${allowed}.`,
        [...path, second!],
        { at: 'key', hint: `Keep \`${first}:\` or \`${second}:\` and remove the other.` },
      ),
    )
    return undefined
  }
  if (item.groups !== undefined)
    return { kind: 'names', names: uniqueNames(findings, item.groups, [...path, 'groups']) }
  if (item.match !== undefined) return { kind: 'match', pattern: item.match }
  const groupPath = [...path, 'group']
  const text = item.group!
  if (parseDocumentExpression(findings, groupPath, text) === undefined) return undefined
  return { kind: 'expression', expression: { text, path: groupPath } }
}

/** The names without repeats (compared without case); each repeat is a warning at the repeat. */
function uniqueNames(findings: Findings, names: readonly string[], path: DocumentPath): string[] {
  const seen = new Map<string, number>()
  const unique: string[] = []
  names.forEach((name, i) => {
    const first = seen.get(name.toLowerCase())
    if (first === undefined) {
      seen.set(name.toLowerCase(), i)
      unique.push(name)
      return
    }
    findings.add(
      issueAt(
        findings.document,
        'CFG_DUPLICATE_GROUP',
        `Group '${name}' is already listed as '${names[first]}' at groups[${first}] (names are compared without case).`,
        [...path, i],
        { severity: 'warning', value: name },
      ),
    )
  })
  return unique
}
