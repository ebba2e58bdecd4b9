/** Options both compilers share: the clock and time zone behind today(), now() and date parts. */
import type { Value } from '../core/index.ts'
import { exprError } from './errors.ts'
import type { EvalEnv } from './functions/definition.ts'
import { todayIn } from './runtime/date-arithmetic.ts'
import { canonicalTimeZone, isoFromTime } from './runtime/dates.ts'

export interface CompileOptions {
  /** IANA time zone for today(), to_date(datetime), format_date() and the parts of datetimes. @default 'UTC' */
  readonly timeZone?: string | undefined
  /** The moment today() and now() stand for; taken once, at compile time. @default new Date() */
  readonly now?: Date | undefined
  /** Values for :parameters. For SQL they are bound as placeholders. @default {} */
  readonly paramValues?: Readonly<Record<string, Value>> | undefined
}

/** Resolves the options into the values the function library reads. */
export function evalEnv(options: CompileOptions): EvalEnv {
  const requested = options.timeZone ?? 'UTC'
  const timeZone = canonicalTimeZone(requested)
  if (timeZone === undefined) throw exprError('EXPR_INVALID_TIME_ZONE', `'${requested}' is not a known time zone.`)
  const now = options.now ?? new Date()
  const iso = isoFromTime(now.getTime())
  if (iso === undefined)
    throw exprError('EXPR_INVALID_TIME_ZONE', `The clock time ${String(now)} is outside the years 1–9999.`, {
      hint: 'Pass a valid Date as `now`.',
    })
  return { timeZone, today: todayIn(now, timeZone), now: iso }
}

/** The value of a parameter, or an EXPR_MISSING_PARAMETER_VALUE error. */
export function parameterValue(values: Readonly<Record<string, Value>> | undefined, name: string): Value {
  if (values !== undefined && Object.hasOwn(values, name)) {
    const value = values[name]
    if (value !== undefined) return value
  }
  return missingParameter(name)
}

function missingParameter(name: string): never {
  throw exprError('EXPR_MISSING_PARAMETER_VALUE', `No value was given for the parameter ':${name}'.`)
}
