/**
 * The engine part of `provisio validate`: each valid Mapping against the function its target's
 * connector offers (declared without a connection, ConnectorDefinition.functions) and against its
 * filter's output columns. Problems are positioned in the Mapping document, all at once:
 *
 * - the function exists on the table (a connector without functions: the system is read-only);
 * - every mandatory parameter has an attribute; no attribute names an unknown or prohibited one;
 * - each attribute's expression type-checks and its type fits the parameter's (value-types.ts);
 * - a secret parameter gets generated.password, and generated.password goes only into secret
 *   parameters (either else is an error: a password would land in the vault, plans or the audit);
 * - only a create mapping has a name generator (generated names are for new rows);
 * - `key:` is given for every semantics but create, absent for create, and fits the key column;
 * - generated.<name> is a name the mapping's generators produce;
 * - the generators' own expressions type-check over this mapping's filter rows.
 */
import {
  closestMatch,
  type FunctionParameter,
  type FunctionSchema,
  type Issue,
  type TableSchema,
} from '../core/index.ts'
import { type MappingConfig, type SystemConfig, sortIssues, type ValidatedProject } from '../config/index.ts'
import { connectorFunctions, type FunctionsOf } from './functions.ts'
import { checkGeneratorExpressions } from './generators/check-generator-expressions.ts'
import { checkMappingExpression, type MappingScope, mappingScope } from './mapping-expressions.ts'
import { mappingIssue } from './mapping-issues.ts'
import { conversionHint, fitsType } from './value-types.ts'

/** Options of {@link checkMappings}. */
export interface CheckMappingsOptions {
  /** Where the functions come from. @default the system connector's `functions(table, config)` */
  readonly functionsOf?: FunctionsOf | undefined
}

/**
 * The problems of every valid mapping of `project` against its function and its filter, sorted by
 * position.
 *
 * @example
 * const { project, issues } = await validateProject(dir)
 * issues.push(...checkMappings(project))
 */
export function checkMappings(project: ValidatedProject, options: CheckMappingsOptions = {}): Issue[] {
  const functionsOf = options.functionsOf ?? connectorFunctions
  const generatorIssues = new Map<string, Issue>()
  const issues = project.mappings.flatMap((mapping) => {
    const { issues, scope } = checkMapping(project, mapping, functionsOf)
    if (scope !== undefined) {
      for (const issue of checkGenerators(mapping, scope)) {
        // A generator used by several mappings over the same filter has the same problem once.
        const key = `${issue.file}:${issue.line}:${issue.column}:${issue.code}:${issue.message}`
        if (!generatorIssues.has(key)) generatorIssues.set(key, issue)
      }
    }
    return issues
  })
  return sortIssues([...issues, ...[...generatorIssues.values()].map(forMapping)])
}

/** The generators' own expressions, in the scope of this mapping's filter rows (positioned in the generator). */
function checkGenerators(mapping: MappingConfig, scope: MappingScope): Issue[] {
  return [scope.nameGenerator, scope.passwordGenerator].flatMap((generator) =>
    generator === undefined
      ? []
      : checkGeneratorExpressions(generator, scope.scope).map((issue) => ({ ...issue, mapping: mapping.name })),
  )
}

/** Says which mapping's filter a generator's problem shows with: the generator is fine elsewhere. */
function forMapping(issue: Issue & { readonly mapping?: string }): Issue {
  const { mapping, ...rest } = issue
  return { ...rest, message: `${rest.message} (used by mapping '${mapping}' over its filter's rows)` }
}

function checkMapping(
  project: ValidatedProject,
  mapping: MappingConfig,
  functionsOf: FunctionsOf,
): { issues: Issue[]; scope?: MappingScope | undefined } {
  const issues: Issue[] = []
  const system = project.systems.find((s) => s.name === mapping.system)
  const table = system?.tables.find((t) => t.name === mapping.table)
  if (system === undefined || table === undefined) return { issues } // not resolved: the config layer said why
  const fn = resolveFunction(mapping, system, table, functionsOf(system, table), issues)
  if (fn !== undefined) {
    checkPresence(mapping, fn, issues)
    checkNameGenerator(mapping, fn, issues)
  }
  const { scope, issues: scopeIssues } = mappingScope(project, mapping)
  issues.push(...scopeIssues)
  for (const attribute of mapping.attributes) {
    const checked =
      scope === undefined ? undefined : checkMappingExpression(mapping, scope, attribute.expression, project)
    if (checked === undefined) continue
    issues.push(...checked.issues)
    const parameter = fn?.parameters.find((p) => p.name === attribute.name)
    if (parameter === undefined || parameter.allowance === 'prohibited') continue
    const path = attribute.expression.path
    if (checked.type !== undefined && !fitsType(checked.type, parameter.type)) {
      issues.push(
        mappingIssue(
          mapping,
          'ENG_TYPE_MISMATCH',
          `Attribute '${attribute.name}' is ${checked.type}, but parameter '${parameter.name}' of ${fn!.name} is ${parameter.type}.`,
          path,
          { hint: conversionHint(checked.type, parameter.type), value: attribute.expression.text },
        ),
      )
    }
    checkSecret(mapping, fn!, parameter, attribute.name, attribute.expression.text, path, checked, issues)
  }
  if (fn !== undefined) checkKey(mapping, table, fn, scope, project, issues)
  else if (mapping.key !== undefined && scope !== undefined) {
    issues.push(...checkMappingExpression(mapping, scope, mapping.key, project).issues)
  }
  return { issues, scope }
}

function resolveFunction(
  mapping: MappingConfig,
  system: SystemConfig,
  table: TableSchema,
  functions: readonly FunctionSchema[] | undefined,
  issues: Issue[],
): FunctionSchema | undefined {
  if (functions === undefined) return undefined
  const qualified = `${system.name}.${table.name}`
  if (functions.length === 0) {
    issues.push(
      mappingIssue(
        mapping,
        'ENG_READ_ONLY_SYSTEM',
        `System '${system.name}' is read-only: its connector '${system.connector}' offers no functions on ${qualified}.`,
        ['function'],
        {
          hint: 'Target a system whose connector can write (such as sql), or remove the mapping.',
          value: mapping.function,
        },
      ),
    )
    return undefined
  }
  const fn = functions.find((f) => f.name === mapping.function)
  if (fn !== undefined) return fn
  const names = functions.map((f) => f.name)
  const match = closestMatch(mapping.function, names)
  issues.push(
    mappingIssue(
      mapping,
      'ENG_UNKNOWN_FUNCTION',
      `There is no function '${mapping.function}' on ${qualified}.`,
      ['function'],
      {
        hint: `${match === undefined ? '' : `Did you mean '${match}'? `}Functions on ${qualified}: ${names.join(', ')}.`,
        value: mapping.function,
      },
    ),
  )
  return undefined
}

/** Mandatory parameters without an attribute, attributes for unknown or prohibited parameters. */
function checkPresence(mapping: MappingConfig, fn: FunctionSchema, issues: Issue[]): void {
  const given = new Set(mapping.attributes.map((a) => a.name))
  const missing = fn.parameters.filter((p) => p.allowance === 'mandatory' && !given.has(p.name))
  if (missing.length > 0) {
    const hasAttributes = mapping.document.value['attributes'] !== undefined
    const names = missing.map((p) => `'${p.name}'`).join(', ')
    issues.push(
      mappingIssue(
        mapping,
        'ENG_MISSING_ATTRIBUTE',
        `Function ${fn.name} needs ${missing.length === 1 ? 'parameter' : 'parameters'} ${names}; the mapping gives no attribute for ${missing.length === 1 ? 'it' : 'them'}.`,
        ['attributes'],
        {
          hint: `Add under \`attributes:\` ${missing.map((p) => `\`${p.name}: <${p.type} expression>\``).join(', ')}.`,
          ...(hasAttributes ? { at: 'key' as const } : { anchor: ['function'] }),
        },
      ),
    )
  }
  const parameterNames = fn.parameters.filter((p) => p.allowance !== 'prohibited').map((p) => p.name)
  for (const attribute of mapping.attributes) {
    const path = ['attributes', attribute.name]
    const parameter = fn.parameters.find((p) => p.name === attribute.name)
    if (parameter === undefined) {
      const match = closestMatch(attribute.name, parameterNames)
      issues.push(
        mappingIssue(
          mapping,
          'ENG_UNKNOWN_ATTRIBUTE',
          `Function ${fn.name} has no parameter '${attribute.name}'.`,
          path,
          {
            at: 'key',
            hint:
              match !== undefined
                ? `Did you mean '${match}'?`
                : `Its parameters are: ${parameterNames.join(', ') || '(none)'}.`,
          },
        ),
      )
    } else if (parameter.allowance === 'prohibited') {
      issues.push(
        mappingIssue(
          mapping,
          'ENG_PROHIBITED_ATTRIBUTE',
          `Function ${fn.name} does not accept parameter '${attribute.name}' (it is prohibited).`,
          path,
          { at: 'key', hint: `Remove the attribute '${attribute.name}'.` },
        ),
      )
    }
  }
}

/** Generated names are for new rows: only a create mapping may have a name generator. */
function checkNameGenerator(mapping: MappingConfig, fn: FunctionSchema, issues: Issue[]): void {
  if (fn.semantics === 'create' || mapping.nameGenerator === undefined) return
  issues.push(
    mappingIssue(
      mapping,
      'ENG_NAME_GENERATOR_NOT_CREATE',
      `Function ${fn.name} (${fn.semantics}) works on existing rows, but name generators make names for new rows: generated.<name> would have no value here.`,
      ['nameGenerator'],
      {
        at: 'key',
        hint: `Compute the new name with an expression over the filter row and remove \`nameGenerator: ${mapping.nameGenerator}\`, or use a create mapping.`,
      },
    ),
  )
}

/** A password is written only into secret parameters, and secret parameters only get passwords. */
function checkSecret(
  mapping: MappingConfig,
  fn: FunctionSchema,
  parameter: FunctionParameter,
  attribute: string,
  text: string,
  path: readonly (string | number)[],
  checked: { readonly type?: string | undefined; readonly usesPassword: boolean },
  issues: Issue[],
): void {
  const secret = parameter.secret === true
  if (!secret && checked.usesPassword) {
    issues.push(
      mappingIssue(
        mapping,
        'ENG_PASSWORD_NOT_SECRET',
        `Attribute '${attribute}' uses generated.password, but parameter '${parameter.name}' of ${fn.name} is not secret: the password would land in plans and the audit.`,
        path,
        {
          hint: `Use generated.password only for the secret parameter${secretNames(fn)}.`,
          value: text,
        },
      ),
    )
  }
  if (secret && !checked.usesPassword && checked.type !== undefined && checked.type !== 'null') {
    // The value itself is not echoed: it may be a password written out.
    issues.push(
      mappingIssue(
        mapping,
        'ENG_SECRET_NOT_GENERATED',
        `Parameter '${parameter.name}' of ${fn.name} is secret, but its value does not come from generated.password: a password from a filter column would be stored in the vault (and one written here sits in the YAML).`,
        path,
        { hint: `Write \`${attribute}: generated.password\` and name a PasswordGenerator in \`passwordGenerator:\`.` },
      ),
    )
  }
}

function secretNames(fn: FunctionSchema): string {
  const secrets = fn.parameters.filter((p) => p.secret === true).map((p) => `'${p.name}'`)
  return secrets.length === 0 ? ` (${fn.name} has none)` : ` (${secrets.join(', ')})`
}

/** `key:` for every semantics but create, none for create; its type fits the key column. */
function checkKey(
  mapping: MappingConfig,
  table: TableSchema,
  fn: FunctionSchema,
  scope: MappingScope | undefined,
  project: ValidatedProject,
  issues: Issue[],
): void {
  const qualified = `${mapping.system}.${table.name}`
  if (fn.semantics === 'create') {
    if (mapping.key !== undefined) {
      issues.push(
        mappingIssue(
          mapping,
          'ENG_UNEXPECTED_KEY',
          `Function ${fn.name} creates rows: it has no target row to find, so the mapping takes no \`key:\`.`,
          ['key'],
          {
            at: 'key',
            hint: `Remove \`key:\`; give the new row's key as an attribute when ${fn.name} takes one.`,
          },
        ),
      )
    }
    return
  }
  const columnName = fn.keyColumn ?? table.primaryKey
  const column = table.columns.find((c) => c.name === columnName)
  if (column === undefined) {
    issues.push(
      mappingIssue(
        mapping,
        'ENG_NO_KEY_COLUMN',
        `Function ${fn.name} (${fn.semantics}) finds its target row by key, but ${qualified} has no primary key and the function names no key column.`,
        ['table'],
        {
          hint: `Declare \`primaryKey:\` for table ${table.name} in System '${mapping.system}'.`,
          value: mapping.table,
        },
      ),
    )
    return
  }
  if (mapping.key === undefined) {
    const suggestion = scope?.columns.find((c) => c.name.split('.').at(-1)?.toLowerCase() === column.name.toLowerCase())
    issues.push(
      mappingIssue(
        mapping,
        'ENG_MISSING_KEY',
        `Function ${fn.name} (${fn.semantics}) finds its target row by ${qualified}.${column.name}, but the mapping has no \`key:\`.`,
        ['key'],
        {
          anchor: ['function'],
          hint: `Add \`key: ${suggestion?.name ?? '<expression>'}\`, the value of ${column.name} (${column.type}) for each filter row.`,
        },
      ),
    )
    return
  }
  if (scope === undefined) return
  const checked = checkMappingExpression(mapping, scope, mapping.key, project)
  issues.push(...checked.issues)
  if (checked.usesPassword) {
    issues.push(
      mappingIssue(
        mapping,
        'ENG_PASSWORD_NOT_SECRET',
        'The key uses generated.password: the password would land in plans and the audit.',
        ['key'],
        { hint: `Give the key from the filter row, such as the value of ${column.name}.`, value: mapping.key.text },
      ),
    )
  }
  if (checked.type !== undefined && !fitsType(checked.type, column.type)) {
    issues.push(
      mappingIssue(
        mapping,
        'ENG_TYPE_MISMATCH',
        `The key is ${checked.type}, but the key column ${qualified}.${column.name} is ${column.type}.`,
        ['key'],
        { hint: conversionHint(checked.type, column.type), value: mapping.key.text },
      ),
    )
  }
}
