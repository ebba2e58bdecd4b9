/**
 * Filter parameters: a run's values (typed, or text from `--param NAME=VALUE`) parsed as the declared
 * type, falling back to the declared defaults. The values reach SQL only as bound parameters.
 */
import type { ColumnType, Value } from '../core/index.ts'
import type { FilterConfig, FilterParameter } from '../config/index.ts'
import { filterError } from './errors.ts'

/** Values for a run, by parameter name: typed values, or text as written on a command line. */
export type ParameterValues = Readonly<Record<string, Value | undefined>>

const INTEGER = /^[+-]?\d{1,16}$/
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i

function isDay(text: string): boolean {
  const m = DATE.exec(text)
  if (m === null) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(2000, mo - 1, d))
  date.setUTCFullYear(y)
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

function parseBoolean(value: Value): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const text = value.trim().toLowerCase()
  if (['true', 'yes', '1'].includes(text)) return true
  if (['false', 'no', '0'].includes(text)) return false
  return undefined
}

function parseInteger(value: Value): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value) : NaN
  return Number.isSafeInteger(n) ? n : undefined
}

function parseNumber(value: Value): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && NUMBER.test(value.trim()) ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}

function parseDatetime(value: Value): string | undefined {
  if (typeof value !== 'string') return undefined
  const m = DATETIME.exec(value.trim())
  if (m === null || !isDay(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59) return undefined
  const time = Date.parse(
    value
      .trim()
      .replace(' ', 'T')
      .replace(/([+-]\d{2})(\d{2})$/, '$1:$2'),
  )
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

function parseList(value: Value): readonly string[] | undefined {
  let list: unknown = value
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value)
    } catch {
      return undefined
    }
  }
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) return undefined
  return [...new Set(list)].sort()
}

/** Parses one value as `type`; undefined when it does not fit. Null fits every type. */
export function parseParameterValue(value: Value, type: ColumnType): Value | undefined {
  if (value === null) return null
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined
    case 'integer':
      return parseInteger(value)
    case 'number':
      return parseNumber(value)
    case 'boolean':
      return parseBoolean(value)
    case 'date':
      return typeof value === 'string' && isDay(value.trim()) ? value.trim() : undefined
    case 'datetime':
      return parseDatetime(value)
    case 'string[]':
      return parseList(value)
  }
}

function parameterValue(filter: FilterConfig, parameter: FilterParameter, given: ParameterValues): Value {
  const fromRun = Object.hasOwn(given, parameter.name) ? given[parameter.name] : undefined
  const value = fromRun ?? parameter.default
  if (value === undefined) {
    throw filterError(
      'FLT_MISSING_PARAMETER',
      `The filter ${filter.name} needs a value for its parameter '${parameter.name}' (${parameter.type}).`,
      {
        hint: `Run it with --param ${parameter.name}=VALUE, or give the parameter a default.`,
        details: { parameter: parameter.name },
      },
    )
  }
  const parsed = parseParameterValue(value, parameter.type)
  if (parsed === undefined) {
    const origin = fromRun === undefined ? 'default' : 'value'
    throw filterError(
      'FLT_INVALID_PARAMETER',
      `The ${origin} ${JSON.stringify(value)} of parameter '${parameter.name}' of filter ${filter.name} is not a valid ${parameter.type}.`,
      { details: { parameter: parameter.name, type: parameter.type } },
    )
  }
  return parsed
}

/**
 * The value of every declared parameter for a run: the run's value, else the default. Values for
 * parameters the filter does not declare are refused, so that a misspelt `--param` is not ignored.
 * `lifted` parameters are left out: their values come from the bindings of compileLiftedFilter().
 */
export function resolveParameters(
  filter: FilterConfig,
  given: ParameterValues = {},
  lifted: readonly string[] = [],
): Record<string, Value> {
  const declared = new Set(filter.parameters.map((p) => p.name))
  const unknown = Object.keys(given).filter((k) => !declared.has(k))
  if (unknown.length > 0) {
    throw filterError(
      'FLT_UNKNOWN_PARAMETER',
      `The filter ${filter.name} has no parameter ${unknown.map((k) => `'${k}'`).join(', ')}.`,
      {
        hint:
          declared.size === 0
            ? 'The filter declares no parameters.'
            : `Its parameters are: ${[...declared].join(', ')}.`,
      },
    )
  }
  return Object.fromEntries(
    filter.parameters.filter((p) => !lifted.includes(p.name)).map((p) => [p.name, parameterValue(filter, p, given)]),
  )
}
