/**
 * Checks of a Mapping document that need only the configuration: the target system and table, the
 * filter and generators it names, the values of the filter's parameters, the syntax of its
 * expressions and the uniqueness of its attribute names. What needs the connector (the function and
 * its parameters) and the filter's output types (the expressions' types) is checked by the engine
 * (src/engine/check-mappings.ts) on the resolved {@link MappingConfig}.
 */
import { resolveDocument } from './document-references.ts'
import type { ExpressionText, MappingAttribute, MappingConfig } from './engine-model.ts'
import { parseDocumentExpression } from './generator-expressions.ts'
import { type Findings, resolveSystem, tableOfSystem } from './filter-references.ts'
import { checkParameterValues } from './filter-parameter-values.ts'
import { issueAt } from './issues.ts'
import type { MappingDocument } from './mapping-schema.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** Checks a schema-valid Mapping document; returns the resolved mapping when it has no errors. */
export function checkMapping(findings: Findings, mapping: MappingDocument): MappingConfig | undefined {
  const { context } = findings
  const target = checkTarget(findings, mapping)
  const filter = resolveDocument(findings, { kind: 'Filter', noun: 'filter', valid: context.filters }, mapping.filter, [
    'filter',
  ])
  const nameGenerator =
    mapping.nameGenerator === undefined
      ? undefined
      : resolveDocument(
          findings,
          { kind: 'NameGenerator', noun: 'name generator', valid: context.nameGenerators },
          mapping.nameGenerator,
          ['nameGenerator'],
        )
  const passwordGenerator =
    mapping.passwordGenerator === undefined
      ? undefined
      : resolveDocument(
          findings,
          { kind: 'PasswordGenerator', noun: 'password generator', valid: context.passwordGenerators },
          mapping.passwordGenerator,
          ['passwordGenerator'],
        )
  const parameters =
    filter === undefined
      ? {}
      : checkParameterValues(findings, filter, mapping.parameters, {
          path: ['parameters'],
          filterPath: ['filter'],
          owner: 'the mapping',
        })
  const key = mapping.key === undefined ? undefined : expressionAt(findings, ['key'], mapping.key)
  const attributes = checkAttributes(findings, mapping)
  if (!findings.isResolvable || target === undefined || filter === undefined) return undefined
  return {
    name: mapping.name,
    ...(mapping.description === undefined ? {} : { description: mapping.description }),
    system: target.system,
    table: target.table,
    function: mapping.function,
    filter: filter.name,
    parameters,
    ...(nameGenerator === undefined ? {} : { nameGenerator: nameGenerator.name }),
    ...(passwordGenerator === undefined ? {} : { passwordGenerator: passwordGenerator.name }),
    ...(key === undefined ? {} : { key }),
    attributes,
    file: findings.document.file,
    document: findings.document,
  }
}

/** The target system (any case) and table (exact, as expressions and connectors name it). */
function checkTarget(findings: Findings, mapping: MappingDocument): { system: string; table: string } | undefined {
  const system = resolveSystem(findings, mapping.system, ['system'], mapping.system)
  if (system === undefined) return undefined
  const table = tableOfSystem(findings, system, mapping.table, ['table'])
  return table === undefined ? undefined : { system: system.name, table: table.name }
}

function checkAttributes(findings: Findings, mapping: MappingDocument): MappingAttribute[] {
  const seen = new Map<string, string>()
  const attributes: MappingAttribute[] = []
  for (const [name, text] of Object.entries(mapping.attributes ?? {})) {
    const first = seen.get(name.toLowerCase())
    if (first !== undefined) {
      findings.add(
        issueAt(
          findings.document,
          'CFG_DUPLICATE_KEY',
          `Attribute '${name}' differs from attribute '${first}' only in case.`,
          ['attributes', name],
          {
            at: 'key',
            hint: `Keep one of them; write the name as the function's parameter is written.`,
          },
        ),
      )
    } else seen.set(name.toLowerCase(), name)
    attributes.push({ name, expression: expressionAt(findings, ['attributes', name], text) })
  }
  return attributes
}

/**
 * The expression at `path`, after a syntax check. Its names and types are checked by the engine,
 * which knows the filter's output columns; only a syntax error is reported here.
 */
function expressionAt(findings: Findings, path: DocumentPath, text: string): ExpressionText {
  const before = findings.issues.length
  const parsed = parseDocumentExpression(findings, path, text)
  // Text written without quotes (`cn: Created by Provisio`) is the most common cause: say so.
  if (parsed === undefined && !/['"()|+*/<>]/.test(text) && /[\s,]/.test(text.trim())) {
    for (let i = before; i < findings.issues.length; i++) {
      findings.issues[i] = { ...findings.issues[i]!, hint: quoteHint(text) }
    }
  }
  return { text, path }
}

function quoteHint(text: string): string {
  return `Text constants are quoted inside the YAML value: "'${text.trim()}'"; an expression joins columns and text with || (e.first_name || ' ' || e.last_name).`
}
