/**
 * How a function of the expression language is declared: as data (name, signatures, docs, examples)
 * plus one implementation per backend. The JS implementation is also what SQLite runs for the
 * functions it lacks, and every function must build SQL for every dialect, so adding a dialect does
 * not compile until each function supports it.
 */
import type { Value } from '../../core/index.ts'
import type { Fragment } from '../sql/fragment.ts'
import type { ExprType } from '../types.ts'

export type FunctionFamily = 'string' | 'conditional' | 'number' | 'conversion' | 'regex' | 'date' | 'hash' | 'array'
export type SqlDialect = 'sqlite' | 'postgres'

export interface ParamSpec {
  readonly name: string
  /** The accepted types (a null literal is always accepted), or 'any'. */
  readonly types: readonly ExprType[] | 'any'
  /** May be left out (only at the end). @default false */
  readonly optional?: boolean
  /** Takes any number (≥ 1) of arguments; only the last parameter. @default false */
  readonly variadic?: boolean
  /** Must be a string literal, because the compilers need its value (units, formats, patterns). @default false */
  readonly constant?: boolean
  /** For constant parameters: the accepted values. */
  readonly oneOf?: readonly string[]
}

/** The result type: fixed, or the common type of some arguments (coalesce, if). */
export type ReturnRule = ExprType | { readonly unify: 'all' | readonly number[] }

export interface Signature {
  readonly params: readonly ParamSpec[]
  readonly returns: ReturnRule
}

/** What the compile-time options fix: `today` and `now` are taken once, when compiling. */
export interface EvalEnv {
  /** IANA time zone for today() and for the wall-clock fields of datetimes. */
  readonly timeZone: string
  /** today() as `YYYY-MM-DD`. */
  readonly today: string
  /** now() as `YYYY-MM-DDTHH:MM:SS.sssZ`. */
  readonly now: string
}

export interface SqlArg {
  readonly sql: Fragment
  readonly type: ExprType
  /** The value when the argument is a literal. */
  readonly constant: Value | undefined
}

export type SqlBuilder = (args: readonly SqlArg[], env: EvalEnv) => Fragment
/** `types` are the arguments' static types, to pick an overload (date or datetime). */
export type JsImplementation = (args: readonly Value[], env: EvalEnv, types: readonly ExprType[]) => Value

/** A problem with a constant argument found when checking: which argument, and what is wrong. */
export interface ArgumentProblem {
  readonly index: number
  readonly code: 'EXPR_INVALID_ARGUMENT' | 'EXPR_INVALID_REGEX'
  readonly message: string
  /** Offset inside the string literal's value, to point at one character of a pattern. */
  readonly valueIndex?: number
  readonly hint?: string
}

export interface FunctionExample {
  readonly expr: string
  readonly result: Value
}

export interface FunctionDefinition {
  readonly name: string
  /** Other names for the same function. */
  readonly aliases?: readonly string[]
  readonly family: FunctionFamily
  readonly signatures: readonly Signature[]
  /** One or two sentences for docs/expressions.md. */
  readonly summary: string
  /** What a null argument does. */
  readonly nulls: string
  /** Backend notes and limits, for the docs. */
  readonly notes?: string
  /** Shown in the docs and run on every backend by the equivalence tests. */
  readonly examples: readonly FunctionExample[]
  /** Checks constant arguments (patterns, formats) when the expression is type-checked. */
  readonly validate?: (args: readonly (Value | undefined)[]) => ArgumentProblem | undefined
  readonly js: JsImplementation
  readonly sql: Readonly<Record<SqlDialect, SqlBuilder>>
}

/** A parameter accepting exactly these types. */
export function p(
  name: string,
  types: ExprType | readonly ExprType[] | 'any',
  extra: Omit<ParamSpec, 'name' | 'types'> = {},
): ParamSpec {
  return { name, types: typeof types === 'string' && types !== 'any' ? [types] : types, ...extra }
}
