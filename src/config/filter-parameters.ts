/**
 * A filter's parameters: each has a column type and may have a default, which must be a value of
 * that type as YAML writes it. Defaults are resolved into the vault's representation of the type
 * (core's `Value`): dates as `YYYY-MM-DD`, datetimes as ISO 8601 in UTC, string[] sorted without
 * duplicates.
 */
import type { ColumnType, Value } from '../core/index.ts'
import type { FilterParameter } from './filter-model.ts'
import type { Findings } from './filter-references.ts'
import type { FilterDocument } from './filter-schema.ts'
import { issueAt } from './issues.ts'

/** A parsed default, or the reason it is not a value of the type. */
type Parsed = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly expected: string }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i

/**
 * Parses `input`, a parameter default as YAML gave it, as a value of `type`. `null` is a value of
 * every type (the parameter is null unless a run gives it).
 *
 * @example
 * parseDefault('date', '2026-01-31') // { ok: true, value: '2026-01-31' }
 * parseDefault('integer', 2.5)       // { ok: false, expected: 'a whole number' }
 */
export function parseDefault(type: ColumnType, input: unknown): Parsed {
  if (input === null) return { ok: true, value: null }
  switch (type) {
    case 'string':
      return typeof input === 'string' ? { ok: true, value: input } : { ok: false, expected: 'text' }
    case 'integer':
      return typeof input === 'number' && Number.isSafeInteger(input)
        ? { ok: true, value: input }
        : { ok: false, expected: 'a whole number within ±9007199254740991' }
    case 'number':
      return typeof input === 'number' && Number.isFinite(input)
        ? { ok: true, value: input }
        : { ok: false, expected: 'a number' }
    case 'boolean':
      return typeof input === 'boolean' ? { ok: true, value: input } : { ok: false, expected: 'true or false' }
    case 'date':
      return parseDate(input)
    case 'datetime':
      return parseDatetime(input)
    case 'string[]':
      return Array.isArray(input) && input.every((v) => typeof v === 'string')
        ? { ok: true, value: [...new Set(input)].sort() }
        : { ok: false, expected: 'a list of text' }
  }
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

function parseDate(input: unknown): Parsed {
  const expected = "a date written 'YYYY-MM-DD' that exists"
  if (typeof input !== 'string') return { ok: false, expected }
  const m = DATE.exec(input)
  if (m === null || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return { ok: false, expected }
  return { ok: true, value: input }
}

function parseDatetime(input: unknown): Parsed {
  const expected = "a datetime in ISO 8601 with a zone, such as '2026-01-31T10:00:00Z'"
  if (typeof input !== 'string') return { ok: false, expected }
  const m = DATETIME.exec(input)
  if (m === null || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return { ok: false, expected }
  const [hours, minutes, seconds] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)]
  if (hours > 23 || minutes > 59 || seconds > 59) return { ok: false, expected }
  const time = Date.parse(input.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  return Number.isNaN(time) ? { ok: false, expected } : { ok: true, value: new Date(time).toISOString() }
}

/** Checks every parameter's default and returns the parameters, resolved, in document order. */
export function checkParameters(findings: Findings, filter: FilterDocument): FilterParameter[] {
  return Object.entries(filter.parameters ?? {}).map(([name, parameter]) => {
    const path = ['parameters', name]
    const resolved: FilterParameter = { name, type: parameter.type, path }
    // `default: ` with nothing after it is YAML null; only an absent key means "no default".
    if (!Object.hasOwn(parameter, 'default')) return resolved
    const parsed = parseDefault(parameter.type, parameter.default)
    if (parsed.ok) return { ...resolved, default: parsed.value }
    const shown = typeof parameter.default === 'object' ? undefined : parameter.default
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `The default of parameter '${name}' must be ${parsed.expected} (its type is ${parameter.type}), received ${describe(parameter.default)}.`,
        [...path, 'default'],
        {
          hint: hintFor(parameter.type),
          value: shown,
        },
      ),
    )
    return resolved
  })
}

function describe(input: unknown): string {
  if (Array.isArray(input)) return 'a list'
  if (typeof input === 'object' && input !== null) return 'a mapping'
  return typeof input === 'string' ? `'${input}'` : String(input)
}

function hintFor(type: ColumnType): string {
  switch (type) {
    case 'date':
      return "Write the date as 'YYYY-MM-DD', for example default: '2026-01-31'."
    case 'datetime':
      return "Write the datetime with its zone, for example default: '2026-01-31T10:00:00Z'."
    case 'string':
      return "Quote the value so that YAML reads it as text, for example default: '0042'."
    case 'string[]':
      return 'Write a list of text, for example default: [a, b].'
    case 'boolean':
      return 'Write true or false (yes, no, on and off are text in YAML 1.2).'
    default:
      return `Write a value of type ${type}, or remove the default.`
  }
}
