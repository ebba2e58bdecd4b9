/**
 * A role model made ready to resolve against the vault: every member and generation filter
 * compiled for the vault's dialect, every generator expression type-checked and compiled to a JS
 * closure over the generation row, and every role item's memberships table and functions resolved.
 * Built once per evaluation; validation has reported every problem already, so a failure here means
 * the project changed under the stored (active) model, and is reported as such.
 */
import type { FunctionSchema, TableSchema, Value } from '../../core/index.ts'
import type {
  FilterConfig,
  RoleConfig,
  RoleGeneratorConfig,
  RoleItemConfig,
  RoleModelConfig,
  SystemConfig,
  ValidatedProject,
} from '../../config/index.ts'
import { type EvalRow, compileToJs, parseExpression, typeCheck } from '../../expr/index.ts'
import { type CompiledFilter, compileFilter, type FilterContext } from '../../filters/index.ts'
import type { DialectName } from '../../vault/index.ts'
import { resolveMembershipsTable } from '../check-roles.ts'
import { engineError } from '../errors.ts'
import { type FilterRowShape, filterRowShape, parameterTypes } from '../filter-row-scope.ts'

/** A role item with its tables and functions. */
export interface ItemRuntime {
  readonly item: RoleItemConfig
  readonly system: SystemConfig
  readonly groupTable: TableSchema
  readonly membershipsTable: TableSchema
  readonly add: FunctionSchema
  readonly remove: FunctionSchema
  /** Role generators' `group:` expression, compiled over the generation row. */
  readonly groupName?: ((row: EvalRow) => Value) | undefined
}

export interface RoleRuntime {
  readonly role: RoleConfig
  readonly filter: CompiledFilter
  readonly items: readonly ItemRuntime[]
}

export interface GeneratorRuntime {
  readonly generator: RoleGeneratorConfig
  readonly generation: CompiledFilter
  readonly shape: FilterRowShape
  readonly roleName: (row: EvalRow) => Value
  readonly bind: readonly { readonly parameter: string; readonly evaluate: (row: EvalRow) => Value }[]
  /** The member filter, compiled once the generation rows give the bindings. */
  readonly memberFilter: FilterConfig
  readonly items: readonly ItemRuntime[]
}

export interface RoleModelRuntime {
  readonly model: RoleModelConfig
  readonly context: FilterContext
  readonly dialect: DialectName
  readonly roles: readonly RoleRuntime[]
  readonly generators: readonly GeneratorRuntime[]
}

function unresolved(model: RoleModelConfig, message: string, details: Record<string, unknown>): Error {
  return engineError('ENG_ROLE_MODEL_UNRESOLVED', `Role model '${model.name}': ${message}`, {
    details: { roleModel: model.name, file: model.file, ...details },
  })
}

function requireFilter(project: ValidatedProject, model: RoleModelConfig, name: string, where: string): FilterConfig {
  const filter = project.filters.find((f) => f.name === name)
  if (filter === undefined)
    throw unresolved(model, `${where} uses filter '${name}', which the project lacks.`, { filter: name })
  return filter
}

function itemRuntime(
  project: ValidatedProject,
  model: RoleModelConfig,
  item: RoleItemConfig,
): Omit<ItemRuntime, 'groupName'> {
  const system = project.systems.find((s) => s.name === item.system)
  const groupTable = system?.tables.find((t) => t.name === item.groupTable)
  if (system === undefined || groupTable === undefined) {
    throw unresolved(model, `a role item names ${item.system}.${item.groupTable}, which the project lacks.`, {
      system: item.system,
      table: item.groupTable,
    })
  }
  const memberships = resolveMembershipsTable(project, item)
  return {
    item,
    system,
    groupTable,
    membershipsTable: memberships.table,
    add: memberships.add,
    remove: memberships.remove,
  }
}

/**
 * Prepares a role model (the development model of the project, or the active one from the vault,
 * re-validated against the project) for the vault's dialect.
 */
export function prepareRoleModel(
  project: ValidatedProject,
  model: RoleModelConfig,
  dialect: DialectName,
): RoleModelRuntime {
  const context: FilterContext = { systems: project.systems, links: project.links }
  const roles = model.roles.map((role): RoleRuntime => {
    const filter = requireFilter(project, model, role.filter, `role '${role.name}'`)
    return {
      role,
      filter: compileFilter(filter, context, dialect, role.parameters),
      items: role.items.map((item) => itemRuntime(project, model, item)),
    }
  })
  const generators = model.generators
    .filter((g) => g.enabled)
    .map((generator): GeneratorRuntime => {
      const where = `role generator '${generator.name}'`
      const generationFilter = requireFilter(project, model, generator.filter, where)
      const generation = compileFilter(generationFilter, context, dialect, generator.parameters)
      const shape = filterRowShape(generation.columns, { parameters: parameterTypes(generationFilter) })
      const compile = (text: string) =>
        compileToJs(typeCheck(parseExpression(text), shape.scope), { paramValues: generation.parameters })
      return {
        generator,
        generation,
        shape,
        roleName: compile(generator.roleName.text),
        bind: generator.members.bind.map((b) => ({ parameter: b.parameter, evaluate: compile(b.expression.text) })),
        memberFilter: requireFilter(project, model, generator.members.filter, where),
        items: generator.items.map((item) => ({
          ...itemRuntime(project, model, item),
          groupName: item.groups.kind === 'expression' ? compile(item.groups.expression.text) : undefined,
        })),
      }
    })
  return { model, context, dialect, roles, generators }
}
