/**
 * The bindings of lifted parameters, checked and parsed as the parameters' declared types, then
 * encoded as the one JSON array the statement binds (see filter-compiler.ts, `bindings`).
 */
import { closestMatch, type Value } from '../core/index.ts'
import type { FilterConfig, FilterParameter } from '../config/index.ts'
import { filterError } from './errors.ts'
import type { LiftedBindings } from './filter-compiler.ts'
import { type ParameterValues, parseParameterValue } from './parameters.ts'

/** Parameters of a filter whose values come from many bindings at once, instead of one value per run. */
export interface LiftedParameters {
  /** Parameters of the filter whose values come from `bindings`, not from the run's parameter values. */
  readonly parameters: readonly string[]
  /** One tuple per binding, values in `parameters` order; parsed as the parameters' declared types. */
  readonly bindings: readonly (readonly Value[])[]
  /**
   * Order the rows by binding, then as the filter orders them. A caller that collects the rows into
   * sets (role resolution) says false and saves the database a sort of every row (on PostgreSQL, at
   * 100,000 rows, one that spills to disk with the default work_mem). @default true
   */
  readonly ordered?: boolean | undefined
}

/** The declared parameter of each lifted name; FLT_UNKNOWN_PARAMETER for a name the filter does not declare. */
function liftedDeclarations(filter: FilterConfig, names: readonly string[]): FilterParameter[] {
  const declared = new Map(filter.parameters.map((p) => [p.name, p]))
  return names.map((name, i) => {
    const parameter = declared.get(name)
    if (parameter === undefined) {
      const guess = closestMatch(name, declared.keys())
      throw filterError('FLT_UNKNOWN_PARAMETER', `The filter ${filter.name} has no parameter '${name}' to lift.`, {
        hint:
          guess !== undefined
            ? `Did you mean '${guess}'?`
            : declared.size === 0
              ? 'The filter declares no parameters.'
              : `Its parameters are: ${[...declared.keys()].join(', ')}.`,
        details: { parameter: name },
      })
    }
    if (names.indexOf(name) !== i) {
      throw filterError('FLT_INVALID_PARAMETER', `The parameter '${name}' of filter ${filter.name} is lifted twice.`, {
        hint: 'Name each lifted parameter once; each binding gives one value per name.',
        details: { parameter: name },
      })
    }
    return parameter
  })
}

/** A run's value for a lifted parameter would be ambiguous: the bindings give its values. */
function refuseRunValues(filter: FilterConfig, names: readonly string[], params: ParameterValues): void {
  const given = names.find((name) => Object.hasOwn(params, name) && params[name] !== undefined)
  if (given === undefined) return
  throw filterError(
    'FLT_INVALID_PARAMETER',
    `The parameter '${given}' of filter ${filter.name} is lifted: its values come from the bindings, not from the run.`,
    { hint: 'Give its value in each binding, and no run value for it.', details: { parameter: given } },
  )
}

/** One binding's values, parsed; FLT_INVALID_PARAMETER names the binding, parameter and value that do not fit. */
function parseBinding(
  filter: FilterConfig,
  declared: readonly FilterParameter[],
  tuple: readonly Value[],
  index: number,
) {
  if (!Array.isArray(tuple) || tuple.length !== declared.length) {
    const count = Array.isArray(tuple) ? tuple.length : 0
    throw filterError(
      'FLT_INVALID_PARAMETER',
      `Binding ${index} of filter ${filter.name} gives ${count} value${count === 1 ? '' : 's'} for the ${declared.length} lifted parameter${declared.length === 1 ? '' : 's'} (${declared.map((p) => p.name).join(', ')}).`,
      { hint: 'Give each binding one value per lifted parameter, in their order.', details: { binding: index } },
    )
  }
  return declared.map((parameter, i) => {
    const value = tuple[i] as Value
    const parsed = parseParameterValue(value, parameter.type)
    if (parsed === undefined) {
      throw filterError(
        'FLT_INVALID_PARAMETER',
        `Binding ${index} gives ${JSON.stringify(value) ?? String(value)} for parameter '${parameter.name}' of filter ${filter.name}, which is not a valid ${parameter.type}.`,
        { details: { binding: index, parameter: parameter.name, type: parameter.type } },
      )
    }
    return parsed
  })
}

/** A parsed value as the JSON the statement reads: string[] as its JSON text, as a bound value would be. */
function encode(value: Value): unknown {
  return Array.isArray(value) ? JSON.stringify(value) : value
}

/**
 * The lifted parameters' declarations and every binding parsed, as the compiler binds them. Throws
 * FLT_UNKNOWN_PARAMETER for a name the filter does not declare, FLT_INVALID_PARAMETER for a name
 * lifted twice, a run value for a lifted parameter, or a binding that does not fit.
 */
export function parseBindings(filter: FilterConfig, lifted: LiftedParameters, params: ParameterValues): LiftedBindings {
  const declared = liftedDeclarations(filter, lifted.parameters)
  refuseRunValues(filter, lifted.parameters, params)
  const tuples = lifted.bindings.map((tuple, i) => parseBinding(filter, declared, tuple, i).map(encode))
  return {
    json: JSON.stringify(tuples),
    parameters: declared.map((p) => ({ name: p.name, type: p.type })),
    ordered: lifted.ordered ?? true,
  }
}
