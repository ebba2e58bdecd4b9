/**
 * The name generator at run time (nim-concepts.md §5.1): for one filter row, each name in order
 * tries its methods, then its counter, and takes the first candidate that is non-empty and not taken
 * in its `uniqueIn` columns, neither in the vault ({@link NameUniqueness}) nor among the names handed
 * out earlier in the run ({@link HandedOutNames}). A row whose names cannot all be found fails on its
 * own with a clear error; the caller goes on with the next row.
 *
 * A counter candidate is the base (the first non-empty method value, shaped) followed by the counter,
 * the base cut so both fit `maxLength` (`verylongsurname` → `verylongsurnam12`); with a `pattern`, the
 * pattern's value from `:base` and `:n`, the base cut until the value fits.
 */
import { isProvisioError, type ProvisioError, type Value } from '../../core/index.ts'
import { type ColumnRef, GENERATED_ALIAS, type GeneratedName, type NameGeneratorConfig } from '../../config/index.ts'
import { checkExpression, compileToJs, type EvalRow, type JsCompileOptions, type Scope } from '../../expr/index.ts'
import { engineError } from '../errors.ts'
import { checkGeneratorExpressions, nameScope, patternScope } from './check-generator-expressions.ts'
import {
  cut,
  fitLength,
  lengthOf,
  type NameRules,
  nameRules,
  shapeCandidate,
  shapeName,
  valueText,
} from './name-value.ts'
import { columnText, HandedOutNames, type NameUniqueness } from './name-uniqueness.ts'

/** How a {@link NameGenerator} checks uniqueness and evaluates its expressions. */
export interface NameGeneratorOptions {
  /** The values already taken in the vault (preloadUniqueness), or NOTHING_TAKEN for names without uniqueIn. */
  readonly uniqueness: NameUniqueness
  /** The names handed out earlier in this run; share one across the generators of a run. @default a new, empty registry */
  readonly handedOut?: HandedOutNames | undefined
  /** Time zone, clock and :parameter values of the expressions. @default UTC, now, none */
  readonly compile?: JsCompileOptions | undefined
}

/** Per row: how messages name it, and which taken values are its own. */
export interface GenerateOptions {
  /** How messages name the row (`employee 1001`). @default 'this row' */
  readonly identity?: string | undefined
  /**
   * Whether a value found in the vault is the row's own (an update that generates the name its
   * account already has); such a value is not taken. Names handed out in the run always are.
   * @default nothing is the row's own
   */
  readonly isOwn?: ((column: ColumnRef, valueLowercased: string) => boolean) | undefined
}

/** The values of a row's names: text for a name, a list of text for a multi-valued name. */
export type GeneratedValues = Readonly<Record<string, string | readonly string[]>>

/** What {@link NameGenerator.generate} gives for one row. */
export type NameOutcome =
  { readonly ok: true; readonly values: GeneratedValues } | { readonly ok: false; readonly error: ProvisioError }

type Evaluate = (row: EvalRow) => Value

interface CompiledName {
  readonly config: GeneratedName
  readonly rules: NameRules
  readonly methods: readonly Evaluate[]
  readonly pattern?: Evaluate | undefined
  /**
   * Per base, the counter at which an earlier row found the first free value. Every counter below it
   * was taken then, and is taken still: taken values only grow during a run (the vault's are
   * preloaded, handed-out names are never given back). Without it, a thousand people named
   * J. Smith would try 1 + 2 + … + 1000 counters between them.
   */
  readonly firstFree: Map<string, number>
}

/** One row's state while its names are generated. */
interface RowContext {
  readonly row: EvalRow
  readonly who: string
  readonly identity: string | undefined
  readonly isOwn: GenerateOptions['isOwn']
}

type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ProvisioError }

/** How many tried values an exhaustion error lists in its details. */
const TRIED_IN_DETAILS = 20

/** A name generator ready to run: built once per run by {@link createNameGenerator}. */
export class NameGenerator {
  private readonly names: readonly CompiledName[]
  private readonly uniqueness: NameUniqueness
  private readonly handedOut: HandedOutNames

  constructor(
    readonly config: NameGeneratorConfig,
    scope: Scope,
    options: NameGeneratorOptions,
  ) {
    this.uniqueness = options.uniqueness
    this.handedOut = options.handedOut ?? new HandedOutNames()
    const compile = (text: string, at: Scope): Evaluate => {
      const { expr } = checkExpression(text, at)
      if (expr === undefined) throw new Error(`Expression '${text}' no longer type-checks`)
      return compileToJs(expr, options.compile)
    }
    this.names = config.names.map((name, i) => {
      const at = nameScope(scope, config.names.slice(0, i))
      const pattern = name.iteration?.pattern
      return {
        config: name,
        rules: nameRules(name),
        methods: name.methods.map((m) => compile(m.text, at)),
        pattern: pattern === undefined ? undefined : compile(pattern.text, patternScope(at)),
        firstFree: new Map(),
      }
    })
  }

  /**
   * Generates the names of one row (the filter row as filterRowShape reads it). On success the
   * values are handed out: later rows of the run never get them again.
   */
  generate(input: EvalRow, options: GenerateOptions = {}): NameOutcome {
    const generated: Record<string, string | readonly string[]> = {}
    const row: EvalRow = { rows: { ...input.rows, [GENERATED_ALIAS]: generated }, params: input.params }
    const identity = options.identity
    const context: RowContext = {
      row,
      who: identity === undefined ? 'this row' : `row ${identity}`,
      identity,
      isOwn: options.isOwn,
    }
    for (const name of this.names) {
      let step: Step<string | readonly string[]>
      try {
        step = name.config.multiValued ? this.multiValued(name, context) : this.singleValued(name, context)
      } catch (error) {
        // An expression that fails on this row's data fails this row only.
        if (isProvisioError(error)) return { ok: false, error }
        throw error
      }
      if (!step.ok) return step
      generated[name.config.name] = step.value
    }
    this.handOut(generated)
    return { ok: true, values: { ...generated } }
  }

  private singleValued(name: CompiledName, context: RowContext, useFirstFree = true): Step<string> {
    const tried = new Tried()
    let base: string | undefined
    for (const evaluate of name.methods) {
      const shaped = shapeName(valueText(evaluate(context.row)), name.rules)
      if (shaped === '') continue
      base ??= shaped
      const candidate = fitLength(shaped, name.rules.maxLength)
      if (tried.add(candidate) && !this.isTaken(name.config, candidate, context)) return { ok: true, value: candidate }
    }
    if (base === undefined) return { ok: false, error: this.empty(name, context) }
    const { iteration } = name.config
    if (iteration === undefined) return { ok: false, error: this.exhausted(name, context, tried) }
    // A pattern may read the row, and a row's own values are free for it alone: then every row counts from the start.
    const shared = useFirstFree && name.pattern === undefined && context.isOwn === undefined
    const from = shared ? Math.max(iteration.start, name.firstFree.get(base) ?? iteration.start) : iteration.start
    for (let n = from; n <= iteration.max; n++) {
      const candidate = this.counterCandidate(name, base, n, context)
      if (candidate !== '' && tried.add(candidate) && !this.isTaken(name.config, candidate, context)) {
        // Not n + 1: the row may still fail on a later name, and then n is not handed out.
        if (shared) name.firstFree.set(base, n)
        return { ok: true, value: candidate }
      }
    }
    if (shared) name.firstFree.set(base, iteration.max + 1)
    // Rare: try again from the start, so that the error lists every value tried, as without the shortcut.
    if (from > iteration.start) return this.singleValued(name, context, false)
    return { ok: false, error: this.exhausted(name, context, tried) }
  }

  private counterCandidate(name: CompiledName, base: string, n: number, context: RowContext): string {
    const max = name.rules.maxLength
    if (name.pattern === undefined) {
      const counter = String(n)
      return max === undefined ? base + counter : cut(base, max - lengthOf(counter)) + counter
    }
    let shortened = base
    for (;;) {
      const params = { ...context.row.params, base: shortened, n }
      const value = shapeName(valueText(name.pattern({ rows: context.row.rows, params })), name.rules)
      const excess = max === undefined ? 0 : lengthOf(value) - max
      if (excess <= 0) return value
      if (shortened === '') return fitLength(value, max)
      // Shorten the base by the excess (at least one character) and build the value again.
      shortened = cut(shortened, Math.min(lengthOf(shortened) - 1, lengthOf(shortened) - excess))
    }
  }

  private multiValued(name: CompiledName, context: RowContext): Step<readonly string[]> {
    const values: string[] = []
    const seen = new Set<string>()
    for (const evaluate of name.methods) {
      const raw = evaluate(context.row)
      for (const item of Array.isArray(raw) ? (raw as readonly string[]) : [raw]) {
        const value = shapeCandidate(valueText(item), name.rules)
        const lower = value.toLowerCase()
        if (value === '' || seen.has(lower)) continue
        seen.add(lower)
        if (this.isTaken(name.config, value, context)) return { ok: false, error: this.taken(name, value, context) }
        values.push(value)
      }
    }
    return { ok: true, value: values }
  }

  private isTaken(name: GeneratedName, value: string, context: RowContext): boolean {
    const lower = value.toLowerCase()
    return name.uniqueIn.some(
      (column) =>
        this.handedOut.isTaken(column, lower) ||
        (context.isOwn?.(column, lower) !== true && this.uniqueness.isTaken(column, lower)),
    )
  }

  private handOut(generated: GeneratedValues): void {
    for (const name of this.config.names) {
      const value = generated[name.name]
      if (value === undefined) continue
      for (const column of name.uniqueIn)
        for (const v of typeof value === 'string' ? [value] : value) this.handedOut.add(column, v)
    }
  }

  private describe(name: CompiledName): string {
    return `name '${name.config.name}' of name generator '${this.config.name}'`
  }

  private details(name: CompiledName, context: RowContext): Record<string, unknown> {
    return {
      generator: this.config.name,
      name: name.config.name,
      ...(context.identity === undefined ? {} : { row: context.identity }),
      methods: name.config.methods.map((m) => m.text),
    }
  }

  private empty(name: CompiledName, context: RowContext): ProvisioError {
    return engineError(
      'ENG_NAME_EMPTY',
      `Every method of ${this.describe(name)} gives an empty value for ${context.who}.`,
      {
        hint: `Fill in the columns the methods read for ${context.who}, or add a method to '${name.config.name}' in ${this.config.file} that does not depend on them.`,
        details: this.details(name, context),
      },
    )
  }

  private exhausted(name: CompiledName, context: RowContext, tried: Tried): ProvisioError {
    const { iteration } = name.config
    const columns = name.config.uniqueIn.map(columnText).join(', ')
    const more = iteration === undefined ? 'an `iteration:`' : `a higher iteration.max (now ${iteration.max})`
    return engineError(
      'ENG_NAMES_EXHAUSTED',
      `Every value of ${this.describe(name)} is taken for ${context.who}: tried ${tried.summary()}.`,
      {
        hint: `Give '${name.config.name}' in ${this.config.file} another method or ${more}, or free one of the values in ${columns}; the other rows go on.`,
        details: {
          ...this.details(name, context),
          ...(iteration === undefined ? {} : { iteration: { start: iteration.start, max: iteration.max } }),
          uniqueIn: name.config.uniqueIn.map(columnText),
          tried: tried.values.slice(0, TRIED_IN_DETAILS),
          triedCount: tried.values.length,
        },
      },
    )
  }

  private taken(name: CompiledName, value: string, context: RowContext): ProvisioError {
    const lower = value.toLowerCase()
    const inRun = name.config.uniqueIn.some((c) => this.handedOut.isTaken(c, lower))
    const where = inRun
      ? 'was handed out to another row of this run'
      : `is taken in ${name.config.uniqueIn.map(columnText).join(', ')}`
    return engineError(
      'ENG_NAME_TAKEN',
      `Value '${value}' of multi-valued ${this.describe(name)} ${where}, for ${context.who}.`,
      { details: { ...this.details(name, context), value, uniqueIn: name.config.uniqueIn.map(columnText) } },
    )
  }
}

/** The candidates of one name for one row, each once, in the order tried. */
class Tried {
  readonly values: string[] = []
  private readonly seen = new Set<string>()

  /** Records a candidate; false when it was tried already (compared lower-cased, as uniqueness is). */
  add(value: string): boolean {
    const lower = value.toLowerCase()
    if (this.seen.has(lower)) return false
    this.seen.add(lower)
    this.values.push(value)
    return true
  }

  /** `a, b, c, d, e … z (n values)` */
  summary(): string {
    const { values } = this
    if (values.length <= 6) return values.join(', ')
    return `${values.slice(0, 5).join(', ')} … ${values.at(-1)} (${values.length} values)`
  }
}

/**
 * Builds the run-time generator of `config` for filter rows of `scope` (filterRowScope of the
 * mapping's filter). Throws ENG_INVALID_GENERATOR, with every positioned issue, when an expression
 * does not type-check in that scope.
 *
 * @example
 * const shape = filterRowShape(compiled.columns)
 * const taken = await preloadUniqueness(db, uniqueInColumns([config]))
 * const names = createNameGenerator(config, shape.scope, { uniqueness: taken })
 * const outcome = names.generate(shape.toEvalRow(row), { identity: String(row['e.employee_id']) })
 * if (outcome.ok) console.log(outcome.values['username'])
 */
export function createNameGenerator(
  config: NameGeneratorConfig,
  scope: Scope,
  options: NameGeneratorOptions,
): NameGenerator {
  const issues = checkGeneratorExpressions(config, scope).filter((i) => i.severity !== 'warning')
  if (issues.length > 0) {
    throw engineError(
      'ENG_INVALID_GENERATOR',
      `Name generator '${config.name}' does not fit the filter rows it is used with: ${issues[0]!.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
      { issues },
    )
  }
  return new NameGenerator(config, scope, options)
}
