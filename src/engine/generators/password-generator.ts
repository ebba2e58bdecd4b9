/**
 * The password generator at run time (nim-concepts.md §5.2). The random part draws from
 * node:crypto's randomInt, never Math.random: first each class's minimum count of characters, then
 * the rest uniformly from all the classes' characters together, then a Fisher–Yates shuffle with
 * randomInt, so the guaranteed characters sit anywhere. Expression parts come from the filter row.
 *
 * A password is a secret: it is never logged, never part of an error message, and only the secret
 * parameter of a function receives it (the mapping checks see to that).
 */
import { randomInt } from 'node:crypto'
import type { Value } from '../../core/index.ts'
import { effectiveCharacters, type PasswordGeneratorConfig } from '../../config/index.ts'
import { checkExpression, compileToJs, type EvalRow, type JsCompileOptions, type Scope } from '../../expr/index.ts'
import { engineError } from '../errors.ts'
import { checkGeneratorExpressions, passwordScope } from './check-generator-expressions.ts'
import { valueText } from './name-value.ts'

/** A uniformly chosen character of `characters` (given as an array of characters). */
function pick(characters: readonly string[]): string {
  return characters[randomInt(characters.length)]!
}

/** Shuffles `items` in place: Fisher–Yates, every order equally likely. */
export function secureShuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    const swap = items[i]!
    items[i] = items[j]!
    items[j] = swap
  }
  return items
}

/**
 * The random part of a password: a length from minLength to maxLength, each class's minimum met,
 * look-alikes left out when the generator says so. Throws when the configuration cannot be met,
 * which validation prevents.
 */
export function randomPassword(config: PasswordGeneratorConfig): string {
  const classes = config.classes.map((c) => ({
    ...c,
    pool: [...effectiveCharacters(c.characters, config.excludeSimilar)],
  }))
  const empty = classes.find((c) => c.pool.length === 0)
  if (classes.length === 0 || empty !== undefined)
    throw new Error(
      `Password generator ${config.name} has no characters to draw from${empty === undefined ? '' : ` in class ${empty.name}`}`,
    )
  const minimums = classes.reduce((sum, c) => sum + c.min, 0)
  if (minimums > config.minLength || config.minLength > config.maxLength)
    throw new Error(`Password generator ${config.name} has minimums (${minimums}) or a length range that cannot be met`)
  const length = randomInt(config.minLength, config.maxLength + 1)
  const chars: string[] = []
  for (const c of classes) for (let i = 0; i < c.min; i++) chars.push(pick(c.pool))
  const all = [...new Set(classes.flatMap((c) => c.pool))]
  while (chars.length < length) chars.push(pick(all))
  return secureShuffle(chars).join('')
}

/**
 * A password of `config`: its parts joined in order, the random part from {@link randomPassword}
 * and each expression part from `partValues`, one value per expression part in order (null and a
 * missing value give nothing).
 *
 * @example
 * generatePassword(config)                 // parts: [random]
 * generatePassword(config, ['J'])          // parts: ["left(e.first_name, 1)", random]
 */
export function generatePassword(config: PasswordGeneratorConfig, partValues: readonly Value[] = []): string {
  let next = 0
  return config.parts
    .map((part) => (part.kind === 'random' ? randomPassword(config) : valueText(partValues[next++] ?? null)))
    .join('')
}

/** A password generator with its expression parts compiled for one filter's rows. */
export interface PasswordGenerator {
  readonly config: PasswordGeneratorConfig
  /** A new password for the row (the filter row as filterRowShape reads it, with the generated names). */
  generate(row: EvalRow): string
}

/**
 * Builds the run-time generator of `config` for filter rows of `scope`. Throws
 * ENG_INVALID_GENERATOR, with every positioned issue, when a part does not type-check there.
 *
 * @example
 * const passwords = createPasswordGenerator(config, shape.scope)
 * const password = passwords.generate(shape.toEvalRow(row, names))
 */
export function createPasswordGenerator(
  config: PasswordGeneratorConfig,
  scope: Scope,
  options: JsCompileOptions = {},
): PasswordGenerator {
  const issues = checkGeneratorExpressions(config, scope).filter((i) => i.severity !== 'warning')
  if (issues.length > 0) {
    throw engineError(
      'ENG_INVALID_GENERATOR',
      `Password generator '${config.name}' does not fit the filter rows it is used with: ${issues[0]!.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
      { issues },
    )
  }
  const partScope = passwordScope(scope)
  const parts = config.parts.flatMap((part) => {
    if (part.kind === 'random') return []
    const { expr } = checkExpression(part.expression.text, partScope)
    if (expr === undefined) throw new Error(`Expression '${part.expression.text}' no longer type-checks`)
    return [compileToJs(expr, options)]
  })
  return {
    config,
    generate: (row) =>
      generatePassword(
        config,
        parts.map((evaluate) => evaluate(row)),
      ),
  }
}
