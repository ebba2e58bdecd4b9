/**
 * Type-checking a mapping's expressions (attributes and key) in the scope they are evaluated in:
 * the filter's output columns (`e.first_name`, a computed column's bare name), the filter's
 * `:parameters`, and `generated.<name>` for the names of the mapping's nameGenerator and the
 * `password` of its passwordGenerator. The scope is the planner's (filter-row-scope.ts), so what
 * `provisio validate` accepts is what the planner compiles.
 */
import type { ColumnType, Issue } from '../core/index.ts'
import {
  checkDocumentExpression,
  type ExpressionName,
  type ExpressionText,
  expressionNames,
  GENERATED_ALIAS,
  type MappingConfig,
  type NameGeneratorConfig,
  PASSWORD_NAME,
  type PasswordGeneratorConfig,
  type ValidatedProject,
} from '../config/index.ts'
import { closestMatch, isProvisioError } from '../core/index.ts'
import { checkExpression, type ExprType, parseExpression, renderSourceExcerpt, type Scope } from '../expr/index.ts'
import { compileFilter, type FilterColumn } from '../filters/index.ts'
import { mappingIssue } from './mapping-issues.ts'
import { filterRowScope, generatedTypes, parameterTypes } from './filter-row-scope.ts'

/** What a mapping's expressions can see, built once per mapping. */
export interface MappingScope {
  readonly scope: Scope
  /** The filter's output columns, for hints. */
  readonly columns: readonly FilterColumn[]
  /** The generated values (names and the password) and their types. */
  readonly generated: Readonly<Record<string, ColumnType>>
  readonly nameGenerator?: NameGeneratorConfig | undefined
  readonly passwordGenerator?: PasswordGeneratorConfig | undefined
}

/** A checked expression: its type when valid, whether it reads the generated password, its issues. */
export interface CheckedExpression {
  readonly type?: ExprType | undefined
  readonly usesPassword: boolean
  readonly issues: readonly Issue[]
}

/**
 * The scope of `mapping`'s expressions: its filter compiled with the mapping's parameter values.
 * A filter that does not compile is reported at `filter:` and the scope is undefined.
 */
export function mappingScope(
  project: ValidatedProject,
  mapping: MappingConfig,
): { readonly scope?: MappingScope | undefined; readonly issues: readonly Issue[] } {
  const filter = project.filters.find((f) => f.name === mapping.filter)
  if (filter === undefined) return { issues: [] } // not resolved: the config layer said why
  let columns: readonly FilterColumn[]
  try {
    columns = compileFilter(filter, project, 'sqlite', mapping.parameters).columns
  } catch (error) {
    if (!isProvisioError(error)) throw error
    const issue = mappingIssue(mapping, 'ENG_INVALID_FILTER', `Filter '${filter.name}': ${error.message}`, ['filter'], {
      hint: error.hint ?? `Fix filter '${filter.name}', then validate again.`,
      value: mapping.filter,
    })
    return { issues: [issue] }
  }
  const nameGenerator = project.nameGenerators.find((g) => g.name === mapping.nameGenerator)
  const passwordGenerator = project.passwordGenerators.find((g) => g.name === mapping.passwordGenerator)
  const generated = generatedTypes(nameGenerator?.names ?? [], passwordGenerator !== undefined)
  const scope = filterRowScope(columns, { generated, parameters: parameterTypes(filter) })
  return {
    scope: { scope, columns, generated, nameGenerator, passwordGenerator },
    issues: [],
  }
}

/** Type-checks one expression of `mapping` in its scope; issues are positioned at the expression. */
export function checkMappingExpression(
  mapping: MappingConfig,
  context: MappingScope,
  expression: ExpressionText,
  project: ValidatedProject,
): CheckedExpression {
  const { text, path } = expression
  let refs: ExpressionName[]
  try {
    refs = expressionNames(parseExpression(text)).filter((n) => n.kind === 'Column' && n.alias === GENERATED_ALIAS)
  } catch (error) {
    if (!isProvisioError(error)) throw error
    return { usesPassword: false, issues: [] } // a syntax error: the config layer reported it
  }
  const issues: Issue[] = []
  const generated: Record<string, ColumnType> = { ...context.generated }
  for (const ref of refs) {
    if (Object.hasOwn(context.generated, ref.name)) continue
    issues.push(unknownGenerated(mapping, context, expression, ref, project))
    // Typed as text from here on, so the rest of the expression is still checked, without follow-ups.
    generated[ref.name] = 'string'
  }
  const scope: Scope = { ...context.scope, aliases: { ...context.scope.aliases, [GENERATED_ALIAS]: generated } }
  const checked = checkExpression(text, scope)
  if (checked.expr === undefined) {
    return {
      usesPassword: false,
      issues: [...issues, ...checkDocumentExpression(mapping.document, path, text, scope).issues],
    }
  }
  // The resolved columns, so that a bare `password` that resolved to generated.password counts too.
  const usesPassword = checked.expr.columns.some((c) => c.alias === GENERATED_ALIAS && c.column === PASSWORD_NAME)
  return { type: checked.expr.type, usesPassword, issues }
}

function unknownGenerated(
  mapping: MappingConfig,
  context: MappingScope,
  expression: ExpressionText,
  ref: ExpressionName,
  project: ValidatedProject,
): Issue {
  const { name } = ref
  const written = `${GENERATED_ALIAS}.${name}`
  const report = (message: string, hint: string) =>
    mappingIssue(mapping, 'ENG_UNKNOWN_GENERATED_NAME', message, expression.path, {
      hint,
      value: expression.text,
      excerpt: renderSourceExcerpt(expression.text, ref.span),
    })
  if (name === PASSWORD_NAME && context.passwordGenerator === undefined) {
    const names = project.passwordGenerators.map((g) => g.name)
    return report(
      `${written} needs a password generator; the mapping has no \`passwordGenerator:\`.`,
      names.length === 0
        ? 'Add a PasswordGenerator document and name it in `passwordGenerator:`.'
        : `Add \`passwordGenerator: ${names[0]}\`${names.length > 1 ? ` (or one of ${names.join(', ')})` : ''}.`,
    )
  }
  if (context.nameGenerator === undefined) {
    const producer = project.nameGenerators.find((g) => g.names.some((n) => n.name === name))
    return report(
      `${written} needs a name generator; the mapping has no \`nameGenerator:\`.`,
      producer === undefined
        ? `Add \`nameGenerator:\` naming a NameGenerator that produces '${name}'.`
        : `Name generator '${producer.name}' produces '${name}': add \`nameGenerator: ${producer.name}\`.`,
    )
  }
  const available = Object.keys(context.generated)
  const match = closestMatch(name, available)
  return report(
    `Name generator '${context.nameGenerator.name}' produces no name '${name}'.`,
    match !== undefined
      ? `Did you mean '${GENERATED_ALIAS}.${match}'?`
      : `Generated values here: ${available.map((n) => `${GENERATED_ALIAS}.${n}`).join(', ')}.`,
  )
}
