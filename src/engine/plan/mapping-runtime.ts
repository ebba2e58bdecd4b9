/**
 * A mapping made ready to plan and execute: its filter compiled for the vault, its function and
 * target table resolved, and every expression (attributes, key) type-checked and compiled to a JS
 * closure over the filter row. Built once per evaluation; `provisio validate` has already reported
 * every problem, so a failure here is a bug or a project changed under our feet.
 */
import type { ColumnSchema, FunctionParameter, FunctionSchema, Row, TableSchema, Value } from '../../core/index.ts'
import type { MappingConfig, PasswordGeneratorConfig, SystemConfig, ValidatedProject } from '../../config/index.ts'
import { type EvalRow, compileToJs, typeCheck, parseExpression } from '../../expr/index.ts'
import { type CompiledFilter, compileFilter, type ParameterValues } from '../../filters/index.ts'
import type { DialectName } from '../../vault/index.ts'
import { connectorFunctions } from '../functions.ts'
import { engineError } from '../errors.ts'
import { type FilterRowShape, filterRowShape, generatedTypes, parameterTypes } from '../filter-row-scope.ts'

export interface RuntimeAttribute {
  readonly name: string
  readonly parameter: FunctionParameter
  /** The target column the attribute writes, when the table has it (update diffs and write-back use it). */
  readonly column?: ColumnSchema | undefined
  readonly secret: boolean
  readonly evaluate: (row: EvalRow) => Value
}

export interface MappingRuntime {
  readonly mapping: MappingConfig
  readonly system: SystemConfig
  readonly table: TableSchema
  readonly function: FunctionSchema
  readonly filter: CompiledFilter
  readonly shape: FilterRowShape
  readonly attributes: readonly RuntimeAttribute[]
  /** The key column and the closure giving its value, for every semantics but create. */
  readonly key?: { readonly column: ColumnSchema; readonly evaluate: (row: EvalRow) => Value } | undefined
  readonly passwordGenerator?: PasswordGeneratorConfig | undefined
}

function requireMapping(project: ValidatedProject, name: string): MappingConfig {
  const mapping = project.mappings.find((m) => m.name === name)
  if (mapping === undefined) {
    throw engineError('ENG_UNKNOWN_MAPPING', `There is no valid mapping '${name}' in the project.`, {
      details: { mapping: name, mappings: project.mappings.map((m) => m.name) },
    })
  }
  return mapping
}

function resolveColumn(table: TableSchema, parameter: FunctionParameter): ColumnSchema | undefined {
  const name = parameter.column ?? parameter.name
  return table.columns.find((c) => c.name === name)
}

/**
 * Prepares `mappingName` of the project for the vault's dialect. `parameters` override the
 * mapping's own filter parameter values (`--param` on the command line).
 */
export function prepareMapping(
  project: ValidatedProject,
  mappingName: string,
  dialect: DialectName,
  parameters: ParameterValues = {},
): MappingRuntime {
  const mapping = requireMapping(project, mappingName)
  const system = project.systems.find((s) => s.name === mapping.system)
  const table = system?.tables.find((t) => t.name === mapping.table)
  const fn =
    system === undefined || table === undefined
      ? undefined
      : connectorFunctions(system, table)?.find((f) => f.name === mapping.function)
  const filter = project.filters.find((f) => f.name === mapping.filter)
  if (system === undefined || table === undefined || fn === undefined || filter === undefined) {
    throw engineError(
      'ENG_MAPPING_UNRESOLVED',
      `Mapping '${mapping.name}' refers to something the project does not have.`,
      {
        details: { mapping: mapping.name, system: mapping.system, table: mapping.table, function: mapping.function },
      },
    )
  }
  const compiled = compileFilter(filter, { systems: project.systems, links: project.links }, dialect, {
    ...mapping.parameters,
    ...parameters,
  })
  const names = project.nameGenerators.find((g) => g.name === mapping.nameGenerator)
  const passwordGenerator = project.passwordGenerators.find((g) => g.name === mapping.passwordGenerator)
  const shape = filterRowShape(compiled.columns, {
    generated: generatedTypes(names?.names ?? [], passwordGenerator !== undefined),
    parameters: parameterTypes(filter),
  })
  const params = compiled.parameters
  const compile = (text: string) => compileToJs(typeCheck(parseExpression(text), shape.scope), { paramValues: params })
  const attributes = mapping.attributes.map((attribute): RuntimeAttribute => {
    const parameter = fn.parameters.find((p) => p.name === attribute.name)
    if (parameter === undefined) {
      throw engineError('ENG_MAPPING_UNRESOLVED', `Function ${fn.name} has no parameter '${attribute.name}'.`, {
        details: { mapping: mapping.name, attribute: attribute.name },
      })
    }
    return {
      name: attribute.name,
      parameter,
      column: resolveColumn(table, parameter),
      secret: parameter.secret === true,
      evaluate: compile(attribute.expression.text),
    }
  })
  let key: MappingRuntime['key']
  if (fn.semantics !== 'create' && mapping.key !== undefined) {
    const columnName = fn.keyColumn ?? table.primaryKey
    const column = table.columns.find((c) => c.name === columnName)
    if (column === undefined) {
      throw engineError(
        'ENG_MAPPING_UNRESOLVED',
        `Function ${fn.name} has no key column on ${system.name}.${table.name}.`,
        {
          details: { mapping: mapping.name },
        },
      )
    }
    key = { column, evaluate: compile(mapping.key.text) }
  }
  return { mapping, system, table, function: fn, filter: compiled, shape, attributes, key, passwordGenerator }
}

/** The evaluation row of a filter row, with the generated values visible as `generated.<name>`. */
export function evalRowOf(runtime: MappingRuntime, row: Row, generated: Row = {}): EvalRow {
  return runtime.shape.toEvalRow(row, generated)
}
