/**
 * Checks of a RoleModel document that need only the configuration: the filters it names and the
 * values of their parameters, the generators' bindings and the syntax of their expressions, unique
 * role and generator names, and each role item (role-model-items.ts). What needs the connector (the
 * membership functions) and the filters' output types (the expressions' types, the member column)
 * is checked by the engine (src/engine/check-roles.ts) on the resolved {@link RoleModelConfig}.
 */
import { resolveDocument } from './document-references.ts'
import type { ExpressionText } from './engine-model.ts'
import type { FilterConfig } from './filter-model.ts'
import type { Findings } from './filter-references.ts'
import { parseDocumentExpression } from './generator-expressions.ts'
import { issueAt } from './issues.ts'
import type { RoleBinding, RoleConfig, RoleGeneratorConfig, RoleItemConfig, RoleModelConfig } from './role-model.ts'
import { checkRoleItem } from './role-model-items.ts'
import { checkBoundNames, checkParameterValues } from './filter-parameter-values.ts'
import type { RoleDocument, RoleGeneratorDocument, RoleItemDocument, RoleModelDocument } from './role-model-schema.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** Checks a schema-valid RoleModel document; returns the resolved model when it has no errors. */
export function checkRoleModel(findings: Findings, model: RoleModelDocument): RoleModelConfig | undefined {
  const roles = model.roles ?? []
  const generators = model.generators ?? []
  checkUniqueNames(findings, roles, 'roles', 'Role')
  checkUniqueNames(findings, generators, 'generators', 'Role generator')
  const resolvedRoles = roles.map((role, i) => checkRole(findings, role, ['roles', i]))
  const resolvedGenerators = generators.map((generator, i) => checkGenerator(findings, generator, ['generators', i]))
  if (!findings.isResolvable) return undefined
  return {
    name: model.name,
    ...(model.description === undefined ? {} : { description: model.description }),
    roles: resolvedRoles.filter((r) => r !== undefined),
    generators: resolvedGenerators.filter((g) => g !== undefined),
    file: findings.document.file,
    document: findings.document,
  }
}

function filterAt(findings: Findings, name: string, path: DocumentPath): FilterConfig | undefined {
  return resolveDocument(findings, { kind: 'Filter', noun: 'filter', valid: findings.context.filters }, name, path)
}

function checkRole(findings: Findings, role: RoleDocument, path: DocumentPath): RoleConfig | undefined {
  const filter = filterAt(findings, role.filter, [...path, 'filter'])
  const parameters =
    filter === undefined
      ? {}
      : checkParameterValues(findings, filter, role.parameters, {
          path: [...path, 'parameters'],
          filterPath: [...path, 'filter'],
          owner: `role '${role.name}'`,
        })
  const items = checkItems(findings, role.items, path, filter, false)
  if (filter === undefined || items === undefined) return undefined
  return {
    name: role.name,
    ...(role.description === undefined ? {} : { description: role.description }),
    filter: filter.name,
    parameters,
    items,
    path,
  }
}

function checkGenerator(
  findings: Findings,
  generator: RoleGeneratorDocument,
  path: DocumentPath,
): RoleGeneratorConfig | undefined {
  const owner = `role generator '${generator.name}'`
  const generation = filterAt(findings, generator.filter, [...path, 'filter'])
  const parameters =
    generation === undefined
      ? {}
      : checkParameterValues(findings, generation, generator.parameters, {
          path: [...path, 'parameters'],
          filterPath: [...path, 'filter'],
          owner,
        })
  const roleName = expressionAt(findings, [...path, 'roleName'], generator.roleName)
  const membersPath = [...path, 'members']
  const { members } = generator
  const memberFilter = filterAt(findings, members.filter, [...membersPath, 'filter'])
  const bound = Object.keys(members.bind)
  const bind = Object.entries(members.bind).map(([parameter, text]): RoleBinding | undefined => {
    const expression = expressionAt(findings, [...membersPath, 'bind', parameter], text)
    return expression === undefined ? undefined : { parameter, expression }
  })
  let memberParameters = {}
  if (memberFilter !== undefined) {
    checkBoundNames(findings, memberFilter, bound, [...membersPath, 'bind'])
    memberParameters = checkParameterValues(findings, memberFilter, members.parameters, {
      path: [...membersPath, 'parameters'],
      filterPath: [...membersPath, 'filter'],
      bound,
      owner,
    })
  }
  const items = checkItems(findings, generator.items, path, memberFilter, true)
  if (
    generation === undefined ||
    memberFilter === undefined ||
    roleName === undefined ||
    items === undefined ||
    bind.some((b) => b === undefined)
  ) {
    return undefined
  }
  return {
    name: generator.name,
    ...(generator.description === undefined ? {} : { description: generator.description }),
    enabled: generator.enabled ?? true,
    filter: generation.name,
    parameters,
    roleName,
    members: { filter: memberFilter.name, parameters: memberParameters, bind: bind.filter((b) => b !== undefined) },
    items,
    path,
  }
}

function checkItems(
  findings: Findings,
  items: readonly RoleItemDocument[],
  path: DocumentPath,
  memberFilter: FilterConfig | undefined,
  inGenerator: boolean,
): RoleItemConfig[] | undefined {
  const resolved = items.map((item, j) =>
    checkRoleItem(findings, item, [...path, 'items', j], memberFilter, inGenerator),
  )
  return resolved.every((item) => item !== undefined) ? resolved : undefined
}

/** The expression at `path` after a syntax check; its names and types are the engine's to check. */
function expressionAt(findings: Findings, path: DocumentPath, text: string): ExpressionText | undefined {
  return parseDocumentExpression(findings, path, text) === undefined ? undefined : { text, path }
}

/** Names are unique regardless of case within `roles:` and within `generators:`. */
function checkUniqueNames(
  findings: Findings,
  entries: readonly { readonly name: string }[],
  list: 'roles' | 'generators',
  noun: string,
): void {
  const first = new Map<string, number>()
  entries.forEach((entry, i) => {
    const key = entry.name.toLowerCase()
    const earlier = first.get(key)
    if (earlier === undefined) {
      first.set(key, i)
      return
    }
    const as = entries[earlier]!.name === entry.name ? '' : ` as '${entries[earlier]!.name}'`
    findings.add(
      issueAt(
        findings.document,
        'CFG_DUPLICATE_ROLE',
        `${noun} '${entry.name}' is already defined${as} at ${list}[${earlier}] (names are compared without case).`,
        [list, i, 'name'],
        { value: entry.name },
      ),
    )
  })
}
