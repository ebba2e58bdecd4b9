/**
 * Generates the function reference and the error table of docs/expressions.md from the function
 * registry and the error registry. The rest of the page is written by hand; the generated parts sit
 * between BEGIN/END markers, and expression-docs.test.ts fails when the committed page drifts.
 * Regenerate with: node --import tsx src/expr/docs/write-expression-docs.ts
 */
import { registeredErrors, type Value } from '../../core/index.ts'
import { formatStringLiteral } from '../ast/index.ts'
import type { FunctionDefinition, FunctionFamily, ReturnRule, Signature } from '../functions/definition.ts'
import { listFunctions } from '../functions/registry.ts'
import '../errors.ts'
import { parseExpression } from '../parser.ts'
import type { Scope } from '../scope.ts'
import { typeCheck } from '../type-check.ts'
import type { ExprType } from '../types.ts'
import { SQLITE_FUNCTION_NAMES } from '../sql/sqlite-functions.ts'

const FAMILY_TITLES: Readonly<Record<FunctionFamily, string>> = {
  string: 'Text',
  conversion: 'Conversion',
  array: 'Multi-valued columns',
  conditional: 'Null handling and conditions',
  number: 'Numbers',
  regex: 'Regular expressions',
  date: 'Dates and times',
  hash: 'Hashing',
}

const NO_COLUMNS: Scope = { aliases: {} }

/** Escapes a table cell: a pipe would end the cell even inside backticks. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|')
}

/** A value of type `type` as the expression literal that denotes it. */
export function formatValue(value: Value, type: ExprType): string {
  if (value === null) return 'null'
  if (typeof value === 'string')
    return type === 'date' || type === 'datetime' ? `${type} ${formatStringLiteral(value)}` : formatStringLiteral(value)
  if (Array.isArray(value)) return JSON.stringify(value)
  return String(value)
}

function returnLabel(rule: ReturnRule, signature: Signature): string {
  if (typeof rule === 'string') return rule
  const names =
    rule.unify === 'all' ? signature.params.map((p) => p.name) : rule.unify.map((i) => signature.params[i]?.name ?? '?')
  return `the common type of ${names.join(' and ')}`
}

export function formatSignature(fn: FunctionDefinition, signature: Signature): string {
  const params = signature.params.map((p) => {
    const types = p.types === 'any' ? 'any' : p.types.join(' | ')
    const text = `${p.name} ${types}${p.variadic === true ? ', …' : ''}`
    return p.optional === true ? `[${text}]` : text
  })
  return `${fn.name}(${params.join(', ')}) → ${returnLabel(signature.returns, signature)}`
}

function constantsNote(fn: FunctionDefinition): string[] {
  const accepted = new Map<string, Set<string> | undefined>()
  for (const s of fn.signatures) {
    for (const p of s.params) {
      if (p.constant !== true) continue
      const values = p.oneOf === undefined ? undefined : new Set([...(accepted.get(p.name) ?? []), ...p.oneOf])
      accepted.set(p.name, values)
    }
  }
  return [...accepted].map(([name, values]) => {
    const list = values === undefined ? '' : `: ${[...values].map((v) => `\`'${v}'\``).join(', ')}`
    return `\`${name}\` must be a string literal${list}.`
  })
}

function renderFunction(fn: FunctionDefinition): string {
  const lines = [
    `#### ${fn.name}`,
    '',
    ...fn.signatures.map((s) => `- \`${formatSignature(fn, s)}\``),
    '',
    fn.summary,
    '',
  ]
  if (fn.aliases !== undefined) lines.push(`Also called ${fn.aliases.map((a) => `\`${a}\``).join(', ')}.`, '')
  const constants = constantsNote(fn)
  lines.push(`**Null:** ${fn.nulls}`, '')
  if (constants.length > 0) lines.push(`**Literal arguments:** ${constants.join(' ')}`, '')
  if (fn.notes !== undefined) lines.push(`**Notes:** ${fn.notes}`, '')
  if (fn.examples.length > 0) {
    lines.push('| Expression | Result |', '|---|---|')
    for (const e of fn.examples)
      lines.push(
        `| \`${cell(e.expr)}\` | \`${cell(formatValue(e.result, typeCheck(parseExpression(e.expr), NO_COLUMNS).type))}\` |`,
      )
    lines.push('')
  }
  return lines.join('\n')
}

/** The function reference: one section per family, in registry order. */
export function renderFunctionReference(): string {
  const families = [...new Set(listFunctions().map((f) => f.family))]
  const sections = families.map((family) => {
    const functions = listFunctions().filter((f) => f.family === family)
    return [`### ${FAMILY_TITLES[family]}`, '', ...functions.map(renderFunction)].join('\n')
  })
  const sqlite = `SQLite connections must have these functions, registered by \`registerSqliteFunctions(db)\`: ${SQLITE_FUNCTION_NAMES.map((n) => `\`${n}\``).join(', ')}.`
  return [...sections, '### Functions registered on SQLite', '', sqlite, ''].join('\n')
}

/** The EXPR_ error codes with their meaning and default hint. */
export function renderErrorTable(): string {
  const rows = registeredErrors()
    .filter((e) => e.code.startsWith('EXPR_'))
    .map((e) => `| \`${e.code}\` | ${cell(e.title)} | ${cell(e.hint)} |`)
  return ['| Code | Meaning | What to do |', '|---|---|---|', ...rows, ''].join('\n')
}

const SECTIONS: Readonly<Record<string, () => string>> = {
  functions: renderFunctionReference,
  errors: renderErrorTable,
}

/** Replaces every generated section of the page with freshly generated text. */
export function updateExpressionDocs(markdown: string): string {
  let result = markdown
  for (const [name, render] of Object.entries(SECTIONS)) {
    const begin = `<!-- BEGIN GENERATED ${name}: node --import tsx src/expr/docs/write-expression-docs.ts -->`
    const end = `<!-- END GENERATED ${name} -->`
    const from = result.indexOf(begin)
    const to = result.indexOf(end)
    if (from === -1 || to < from)
      throw new Error(`docs/expressions.md lacks the markers of the generated ${name} section`)
    result = `${result.slice(0, from + begin.length)}\n\n${render()}\n${result.slice(to)}`
  }
  return result
}
