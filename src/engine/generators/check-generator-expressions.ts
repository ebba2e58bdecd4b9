/**
 * Type checks of a generator's expressions in the scope of a filter row (filterRowScope): name
 * methods give text (a multi-valued name may also give a list), a counter pattern gives text from
 * `:base` and `:n`, password parts give text. A name sees as `generated.<name>` only the names
 * declared before it; password parts see the mapping's generated names but never the password.
 * Issues are positioned in the generator's YAML, with the expression's excerpt.
 */
import type { ColumnType, Issue } from '../../core/index.ts'
import {
  checkDocumentExpression,
  GENERATED_ALIAS,
  type GeneratedName,
  type NameGeneratorConfig,
  PASSWORD_NAME,
  type PasswordGeneratorConfig,
} from '../../config/index.ts'
import type { ExprType, Scope } from '../../expr/index.ts'
import { generatedTypes } from '../filter-row-scope.ts'

/** The parameters a counter pattern reads: the base value and the counter. */
export const PATTERN_PARAMETERS: Readonly<Record<string, ColumnType>> = { base: 'string', n: 'integer' }

/** Either kind of generator. */
export type GeneratorConfig = NameGeneratorConfig | PasswordGeneratorConfig

/** Whether `generator` is a name generator (it has names; a password generator has parts). */
export function isNameGenerator(generator: GeneratorConfig): generator is NameGeneratorConfig {
  return 'names' in generator
}

/**
 * Type-checks every expression of `generator` in `scope`, the scope of the filter rows it is used
 * with (filterRowScope of the mapping's filter, with `generated` holding the name generator's names
 * and `password`). Returns the problems found, positioned in the generator's document; empty when
 * every expression fits.
 *
 * @example
 * const scope = filterRowScope(compileFilter(filter, context, dialect).columns, { generated })
 * issues.push(...checkGeneratorExpressions(nameGenerator, scope))
 */
export function checkGeneratorExpressions(generator: GeneratorConfig, scope: Scope): Issue[] {
  if (!isNameGenerator(generator)) return checkPasswordParts(generator, scope)
  const issues: Issue[] = []
  generator.names.forEach((name, i) => {
    issues.push(...checkName(generator, name, nameScope(scope, generator.names.slice(0, i))))
  })
  return issues
}

/** The scope of a name's expressions: `generated` holds only the names before it. */
export function nameScope(scope: Scope, before: readonly GeneratedName[]): Scope {
  return { ...scope, aliases: { ...scope.aliases, [GENERATED_ALIAS]: generatedTypes(before) } }
}

/** The scope of a counter pattern: the name's scope plus `:base` and `:n`. */
export function patternScope(scope: Scope): Scope {
  return { ...scope, parameters: { ...scope.parameters, ...PATTERN_PARAMETERS } }
}

/** The scope of password parts: the row and the generated names, without the password itself. */
export function passwordScope(scope: Scope): Scope {
  const generated = scope.aliases[GENERATED_ALIAS]
  if (generated === undefined || !Object.hasOwn(generated, PASSWORD_NAME)) return scope
  const { [PASSWORD_NAME]: _password, ...names } = generated
  return { ...scope, aliases: { ...scope.aliases, [GENERATED_ALIAS]: names } }
}

function checkName(generator: NameGeneratorConfig, name: GeneratedName, scope: Scope): Issue[] {
  const issues: Issue[] = []
  for (const method of name.methods) {
    issues.push(
      ...checkText(generator, method.text, method.path, scope, name.multiValued ? ['string', 'string[]'] : ['string']),
    )
  }
  const pattern = name.iteration?.pattern
  if (pattern !== undefined)
    issues.push(...checkText(generator, pattern.text, pattern.path, patternScope(scope), ['string']))
  return issues
}

function checkPasswordParts(generator: PasswordGeneratorConfig, scope: Scope): Issue[] {
  const partScope = passwordScope(scope)
  return generator.parts.flatMap((part) =>
    part.kind === 'random'
      ? []
      : checkText(generator, part.expression.text, part.expression.path, partScope, ['string']),
  )
}

/**
 * Checks one expression for one of the `accepted` types. When it has another type, checking it again
 * for the first accepted type yields the type checker's own positioned message and hint.
 */
function checkText(
  generator: GeneratorConfig,
  text: string,
  path: readonly (string | number)[],
  scope: Scope,
  accepted: readonly ExprType[],
): readonly Issue[] {
  const { document } = generator
  const checked = checkDocumentExpression(document, [...path], text, scope)
  if (checked.issues.length > 0 || checked.type === undefined) return checked.issues
  if (checked.type === 'null' || accepted.includes(checked.type)) return []
  return checkDocumentExpression(document, [...path], text, scope, { expectedType: accepted[0] }).issues
}
