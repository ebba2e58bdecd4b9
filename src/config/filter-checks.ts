/**
 * Checks of a Filter document against the data model, in the order a reader would: tables and
 * aliases, the relation or link of each join, parameters, computed columns, conditions, lookups and
 * the output list. Every problem is reported (not only the first); the filter is resolved into a
 * {@link FilterConfig} only when there are no errors.
 */
import type { ExprType, Scope } from '../expr/index.ts'
import { resolveFilter } from './filter-config.ts'
import { areComparable, checkDocumentExpression } from './filter-expressions.ts'
import { checkJoins } from './filter-joins.ts'
import type { FilterConfig, FilterParameter, LookupItem } from './filter-model.ts'
import { checkOutput } from './filter-output.ts'
import { checkParameters } from './filter-parameters.ts'
import { columnRefOf, type Findings, resolveColumnPath } from './filter-references.ts'
import type { FilterDocument, LookupDocument } from './filter-schema.ts'
import { filterScope, joinScope } from './filter-scopes.ts'
import { collectTables, type FilterTables } from './filter-tables.ts'
import { issueAt } from './issues.ts'

/** Checks a schema-valid Filter document; returns the resolved filter when it has no errors. */
export function checkFilter(findings: Findings, filter: FilterDocument): FilterConfig | undefined {
  const tables = collectTables(findings, filter)
  checkJoins(findings, tables.all)
  const parameters = checkParameters(findings, filter)
  checkComputedNames(findings, tables, filter)
  checkConditions(findings, tables, filter, parameters)
  checkComputedColumns(findings, tables, filter, parameters)
  const lookups = checkLookups(findings, tables, filter, parameters)
  checkOutput(findings, tables, filter)
  if (!findings.isResolvable) return undefined
  return resolveFilter(findings.document, filter, tables, parameters, lookups)
}

/** A computed column's name must not be an alias: `e` could then mean either. */
function checkComputedNames(findings: Findings, tables: FilterTables, filter: FilterDocument): void {
  for (const name of Object.keys(filter.columns ?? {})) {
    const table = tables.all.find((t) => t.alias.toLowerCase() === name.toLowerCase())
    if (table === undefined) continue
    findings.add(
      issueAt(
        findings.document,
        'CFG_DUPLICATE_ALIAS',
        `Computed column '${name}' has the name of the alias of '${table.text}'.`,
        ['columns', name],
        {
          at: 'key',
          hint: `Rename the computed column, or give the table another alias with AS.`,
        },
      ),
    )
  }
}

/** The filter's `where` and every join's `where`: boolean conditions. */
function checkConditions(
  findings: Findings,
  tables: FilterTables,
  filter: FilterDocument,
  parameters: readonly FilterParameter[],
): void {
  if (filter.where !== undefined) {
    checkIn(findings, ['where'], filter.where, filterScope(tables, parameters), 'boolean')
  }
  for (const table of tables.all) {
    if (table.join?.where === undefined) continue
    checkIn(findings, [...table.path, 'where'], table.join.where, joinScope(table, parameters), 'boolean')
  }
}

function checkComputedColumns(
  findings: Findings,
  tables: FilterTables,
  filter: FilterDocument,
  parameters: readonly FilterParameter[],
): void {
  const scope = filterScope(tables, parameters)
  for (const [name, expression] of Object.entries(filter.columns ?? {})) {
    checkIn(findings, ['columns', name], expression, scope)
  }
}

/** Checks an expression when its scope could be built; returns its type when it is valid. */
function checkIn(
  findings: Findings,
  path: (string | number)[],
  text: string,
  scope: Scope | undefined,
  expectedType?: ExprType,
): ExprType | undefined {
  if (scope === undefined) return undefined
  const result = checkDocumentExpression(findings.document, path, text, scope, { expectedType })
  findings.add(...result.issues)
  return result.type
}

function checkLookups(
  findings: Findings,
  tables: FilterTables,
  filter: FilterDocument,
  parameters: readonly FilterParameter[],
): LookupItem[] {
  const scope = filterScope(tables, parameters)
  const seen = new Map<string, number>()
  const resolved: LookupItem[] = []
  ;(filter.lookups ?? []).forEach((lookup, i) => {
    const path = ['lookups', i]
    const name = lookup.name ?? `lookup${i + 1}`
    const first = seen.get(name.toLowerCase())
    if (first === undefined) seen.set(name.toLowerCase(), i)
    else {
      findings.add(
        issueAt(
          findings.document,
          'CFG_INVALID_VALUE',
          `Lookup name '${name}' is already used by lookups[${first}].`,
          lookup.name === undefined ? path : [...path, 'name'],
          {
            hint: `Give the lookup its own \`name:\` (lookups without a name are called lookup1, lookup2…).`,
            value: name,
          },
        ),
      )
    }
    const target = resolveColumnPath(findings, lookup.in, [...path, 'in'])
    const type = checkIn(findings, [...path, 'value'], lookup.value, scope)
    if (target !== undefined && type !== undefined) compareLookup(findings, lookup, path, type, target.column.type)
    if (target === undefined) return
    resolved.push({
      name,
      mode: lookup.mode,
      value: lookup.value,
      in: columnRefOf(target),
      caseInsensitive: lookup.caseInsensitive ?? false,
      path,
    })
  })
  return resolved
}

function compareLookup(
  findings: Findings,
  lookup: LookupDocument,
  path: (string | number)[],
  type: ExprType,
  columnType: ExprType,
): void {
  if (!areComparable(type, columnType)) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_TYPE_MISMATCH',
        `The lookup's value is ${type}, but '${lookup.in}' is ${columnType}; they cannot be compared.`,
        [...path, 'value'],
        {
          hint:
            columnType === 'string[]' || type === 'string[]'
              ? 'A lookup compares single values; look up in a single-valued column.'
              : 'Convert the value with to_text(), to_integer() or to_date() to the column type.',
          value: lookup.value,
        },
      ),
    )
    return
  }
  if (lookup.caseInsensitive === true && type !== 'string' && type !== 'null') {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `caseInsensitive compares lower-cased text, but the lookup's value is ${type}.`,
        [...path, 'caseInsensitive'],
        { hint: 'Remove caseInsensitive from this lookup.', value: true },
      ),
    )
  }
}
