/**
 * The engine part of `provisio validate` for role models: each valid RoleModel (the development
 * model, or a stored one re-checked against today's project) against its systems' connectors and
 * its filters' compiled output. Problems are positioned in the model's document, all at once:
 *
 * - each role item's system has a memberships table (`membershipsTable:`, or its only table with
 *   membership-add and membership-remove functions), whose two functions take `group` and `member`;
 * - the item's `member` is an output column of the member filter, and its type fits the `member`
 *   parameter; the group key column's type fits the `group` parameter;
 * - a role generator's expressions type-check over the generation filter's row: `roleName` and an
 *   item's `group` give text, each `bind` expression the type of the member-filter parameter it binds.
 */
import { type ColumnType, closestMatch, type Issue, isProvisioError, type Value } from '../core/index.ts'
import {
  checkDocumentExpression,
  type DocumentPath,
  type ExpressionText,
  type FilterConfig,
  type RoleGeneratorConfig,
  type RoleItemConfig,
  type RoleModelConfig,
  sortIssues,
  type ValidatedProject,
} from '../config/index.ts'
import type { Scope } from '../expr/index.ts'
import { compileFilter, type FilterColumn } from '../filters/index.ts'
import { findMembershipsTable, isMembershipsProblem, type MembershipsTarget } from './check-roles-memberships.ts'
import { filterRowScope, parameterTypes } from './filter-row-scope.ts'
import { connectorFunctions, type FunctionsOf } from './functions.ts'
import { mappingIssue } from './mapping-issues.ts'
import { conversionHint, fitsType } from './value-types.ts'

export {
  findMembershipsTable,
  resolveMembershipsTable,
  type MembershipsTarget,
  type MembershipsProblem,
} from './check-roles-memberships.ts'

/** Options of {@link checkRoleModels}. */
export interface CheckRoleModelsOptions {
  /** Where the functions come from. @default the system connector's `functions(table, config)` */
  readonly functionsOf?: FunctionsOf | undefined
}

/**
 * The problems of `models` (the project's development model, or a stored model re-validated
 * against today's project) against the connectors and the filters, sorted by position.
 *
 * @param models @default project.roleModels (the development model)
 * @example
 * const { project, issues } = await validateProject(dir)
 * issues.push(...checkMappings(project), ...checkRoleModels(project))
 */
export function checkRoleModels(
  project: ValidatedProject,
  models: readonly RoleModelConfig[] = project.roleModels,
  options: CheckRoleModelsOptions = {},
): Issue[] {
  const functionsOf = options.functionsOf ?? connectorFunctions
  return sortIssues(models.flatMap((model) => new ModelChecks(project, model, functionsOf).run()))
}

/** A type-correct stand-in for a bound parameter, so that the member filter compiles without a generation row. */
function placeholder(type: ColumnType): Value {
  switch (type) {
    case 'string':
      return ''
    case 'integer':
    case 'number':
      return 0
    case 'boolean':
      return false
    case 'date':
      return '2000-01-01'
    case 'datetime':
      return '2000-01-01T00:00:00.000Z'
    case 'string[]':
      return []
  }
}

/** The member filter's name and its compiled output columns. */
interface MemberOutput {
  readonly filter: string
  readonly columns: readonly FilterColumn[]
}

/** The checks of one model; collects its issues. */
class ModelChecks {
  readonly issues: Issue[] = []

  constructor(
    readonly project: ValidatedProject,
    readonly model: RoleModelConfig,
    readonly functionsOf: FunctionsOf,
  ) {}

  run(): Issue[] {
    for (const role of this.model.roles) {
      const filter = this.filter(role.filter)
      const columns = filter && this.columns(filter, role.parameters, [...role.path, 'filter'])
      const members = columns && { filter: role.filter, columns }
      for (const item of role.items) this.checkItem(item, members, undefined)
    }
    for (const generator of this.model.generators) this.checkGenerator(generator)
    return this.issues
  }

  private filter(name: string): FilterConfig | undefined {
    // Not found: the config layer did not resolve the model (or the caller re-validated it and said why).
    return this.project.filters.find((f) => f.name === name)
  }

  /** The filter's output columns, compiled with `values`; undefined after reporting why it does not compile. */
  private columns(
    filter: FilterConfig,
    values: Readonly<Record<string, Value>>,
    path: DocumentPath,
  ): readonly FilterColumn[] | undefined {
    try {
      return compileFilter(filter, this.project, 'sqlite', values).columns
    } catch (error) {
      if (!isProvisioError(error)) throw error
      this.issues.push(
        mappingIssue(this.model, 'ENG_INVALID_FILTER', `Filter '${filter.name}': ${error.message}`, path, {
          hint: error.hint ?? `Fix filter '${filter.name}', then validate again.`,
          value: filter.name,
        }),
      )
      return undefined
    }
  }

  private checkGenerator(generator: RoleGeneratorConfig): void {
    const generation = this.filter(generator.filter)
    const generationColumns =
      generation && this.columns(generation, generator.parameters, [...generator.path, 'filter'])
    const scope =
      generation && generationColumns && filterRowScope(generationColumns, { parameters: parameterTypes(generation) })
    if (scope !== undefined) this.checkTyped(generator.roleName, scope, 'string', 'The role name')
    const members = this.filter(generator.members.filter)
    if (members === undefined) return
    const values: Record<string, Value> = { ...generator.members.parameters }
    for (const binding of generator.members.bind) {
      const parameter = members.parameters.find((p) => p.name === binding.parameter)
      if (parameter === undefined) continue // the config layer reported it
      values[parameter.name] = placeholder(parameter.type)
      if (scope !== undefined) {
        this.checkTyped(binding.expression, scope, parameter.type, `The value bound to parameter '${parameter.name}'`)
      }
    }
    const columns = this.columns(members, values, [...generator.path, 'members', 'filter'])
    const output = columns && { filter: members.name, columns }
    for (const item of generator.items) this.checkItem(item, output, scope)
  }

  /** Type-checks an expression over the generation row; its type must fit `target`. */
  private checkTyped(expression: ExpressionText, scope: Scope, target: ColumnType, what: string): void {
    const { text, path } = expression
    const checked = checkDocumentExpression(this.model.document, path, text, scope)
    this.issues.push(...checked.issues)
    if (checked.type === undefined || fitsType(checked.type, target)) return
    this.issues.push(
      mappingIssue(this.model, 'ENG_TYPE_MISMATCH', `${what} is ${checked.type}, but must be ${target}.`, path, {
        hint: conversionHint(checked.type, target),
        value: text,
      }),
    )
  }

  private checkItem(item: RoleItemConfig, members: MemberOutput | undefined, scope: Scope | undefined): void {
    const system = this.project.systems.find((s) => s.name === item.system)
    const groupTable = system?.tables.find((t) => t.name === item.groupTable)
    if (system === undefined || groupTable === undefined) return // not resolved: the config layer said why
    const found = findMembershipsTable(system, item, this.functionsOf)
    let target: MembershipsTarget | undefined
    if (found !== undefined && isMembershipsProblem(found)) {
      const at = found.at === 'membershipsTable' && item.membershipsTable !== undefined ? 'membershipsTable' : 'system'
      this.issues.push(
        mappingIssue(this.model, found.code, found.message, [...item.path, at], {
          hint: found.hint,
          value: at === 'system' ? item.system : item.membershipsTable,
        }),
      )
    } else target = found
    if (members !== undefined) this.checkMember(item, members, target)
    if (target !== undefined) {
      const column = groupTable.columns.find((c) => c.name === item.groupKey)
      const parameter = target.add.parameters.find((p) => p.name === 'group')
      if (column !== undefined && parameter !== undefined && !fitsType(column.type, parameter.type)) {
        this.issues.push(
          mappingIssue(
            this.model,
            'ENG_TYPE_MISMATCH',
            `Group key ${system.name}.${groupTable.name}.${column.name} is ${column.type}, but parameter 'group' of ${target.add.name} is ${parameter.type}.`,
            [...item.path, 'groupKey'],
            {
              hint: `Name the group table's column that holds what ${target.table.name} stores for a group (a ${parameter.type}).`,
              value: item.groupKey,
            },
          ),
        )
      }
    }
    if (item.groups.kind === 'expression' && scope !== undefined) {
      this.checkTyped(item.groups.expression, scope, 'string', 'The group name')
    }
  }

  /** The member column is an output column of the member filter, of the `member` parameter's type. */
  private checkMember(item: RoleItemConfig, members: MemberOutput, target: MembershipsTarget | undefined): void {
    const path = [...item.path, 'member']
    const column = members.columns.find((c) => c.name === item.member)
    if (column === undefined) {
      const names = members.columns.map((c) => c.name)
      const match = closestMatch(item.member, names)
      this.issues.push(
        mappingIssue(
          this.model,
          'ENG_UNKNOWN_MEMBER_COLUMN',
          `Column '${item.member}' is not an output column of member filter '${members.filter}'.`,
          path,
          {
            hint:
              match !== undefined
                ? `Did you mean '${match}'?`
                : `Its output columns are: ${names.join(', ') || '(none)'}.`,
            value: item.member,
          },
        ),
      )
      return
    }
    const parameter = target?.add.parameters.find((p) => p.name === 'member')
    if (parameter === undefined || fitsType(column.type, parameter.type)) return
    this.issues.push(
      mappingIssue(
        this.model,
        'ENG_TYPE_MISMATCH',
        `Member column '${column.name}' is ${column.type}, but parameter 'member' of ${target!.add.name} is ${parameter.type}.`,
        path,
        { hint: conversionHint(column.type, parameter.type), value: item.member },
      ),
    )
  }
}
