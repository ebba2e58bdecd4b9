/**
 * Checks of a NameGenerator document that need only the configuration, and its resolution into a
 * {@link NameGeneratorConfig}: the filter it names exists, the `uniqueIn` columns exist and hold
 * text, the expressions parse and read only names generated before them, the counter fits the
 * length and the allowed characters. The expressions' types are checked by the engine against a
 * filter's output columns (checkGeneratorExpressions), which needs the filters layer.
 */
import { closestMatch } from '../core/index.ts'
import { resolveDocument } from './document-references.ts'
import type { ExpressionText, GeneratedName, NameGeneratorConfig } from './engine-model.ts'
import type { ColumnRef, FilterConfig } from './filter-model.ts'
import { columnRefOf, type Findings, resolveColumnPath } from './filter-references.ts'
import { expressionIssue, expressionNames, GENERATED_ALIAS, parseDocumentExpression } from './generator-expressions.ts'
import { issueAt } from './issues.ts'
import {
  DEFAULT_ITERATION_MAX,
  DEFAULT_ITERATION_START,
  type GeneratedNameDocument,
  type NameGeneratorDocument,
} from './name-generator-schema.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** The name under which a mapping's expressions read the password generator's value: `generated.password`. */
export const PASSWORD_NAME = 'password'

/**
 * The test of one character against an `allowedCharacters` class, or undefined when the text is
 * not one regular-expression character class. The engine filters names with the same test.
 *
 * @example
 * allowedCharacterTest('[a-z0-9.-]')?.test('é') // false
 */
export function allowedCharacterTest(characterClass: string): RegExp | undefined {
  if (!characterClass.startsWith('[') || !characterClass.endsWith(']')) return undefined
  try {
    // `u`: the class sees code points, so a letter outside the BMP is one character, not two halves.
    return new RegExp(`^(?:${characterClass})$`, 'u')
  } catch {
    return undefined
  }
}

/** Checks a schema-valid NameGenerator document; returns the resolved generator when it has no errors. */
export function checkNameGenerator(
  findings: Findings,
  generator: NameGeneratorDocument,
): NameGeneratorConfig | undefined {
  const filter = checkFilterReference(findings, generator)
  const entries = Object.entries(generator.names)
  if (entries.length === 0) {
    findings.add(
      issueAt(findings.document, 'CFG_INVALID_VALUE', 'The name generator declares no names.', ['names'], {
        hint: 'Add a name under `names:`, such as `username: { methods: ["e.first_name || e.last_name"] }`.',
      }),
    )
  }
  const allNames = entries.map(([name]) => name)
  checkNameSpelling(findings, allNames)
  const names = entries.map(([name, written], index) =>
    checkName(findings, name, written, allNames.slice(0, index), allNames),
  )
  if (!findings.isResolvable) return undefined
  const { document } = findings
  return {
    name: document.name,
    ...(generator.description === undefined ? {} : { description: generator.description }),
    ...(filter === undefined ? {} : { filter: filter.name }),
    names,
    file: document.file,
    document,
  }
}

function checkFilterReference(findings: Findings, generator: NameGeneratorDocument): FilterConfig | undefined {
  if (generator.filter === undefined) return undefined
  return resolveDocument(
    findings,
    { kind: 'Filter', noun: 'filter', valid: findings.context.filters },
    generator.filter,
    ['filter'],
  )
}

/** `password` is the password generator's name, and two names that differ only in case read alike. */
function checkNameSpelling(findings: Findings, names: readonly string[]): void {
  const seen = new Map<string, string>()
  for (const name of names) {
    const path = ['names', name]
    if (name.toLowerCase() === PASSWORD_NAME) {
      findings.add(
        issueAt(
          findings.document,
          'CFG_INVALID_NAME',
          `Name '${name}' is reserved: generated.password is the value of the mapping's password generator.`,
          path,
          { at: 'key', hint: 'Give the name another name (initialPassword), or use a PasswordGenerator.' },
        ),
      )
    }
    const first = seen.get(name.toLowerCase())
    if (first === undefined) seen.set(name.toLowerCase(), name)
    else {
      findings.add(
        issueAt(findings.document, 'CFG_INVALID_NAME', `Names '${first}' and '${name}' differ only in case.`, path, {
          at: 'key',
          hint: 'Give every name its own spelling; expressions tell them apart only by case.',
        }),
      )
    }
  }
}

function checkName(
  findings: Findings,
  name: string,
  written: GeneratedNameDocument,
  before: readonly string[],
  all: readonly string[],
): GeneratedName {
  const path: DocumentPath = ['names', name]
  const order = { name, before, all }
  const methods: ExpressionText[] = written.methods.map((text, i) => {
    const methodPath = [...path, 'methods', i]
    checkExpressionText(findings, methodPath, text, order)
    return { text, path: methodPath }
  })
  const iteration = checkIteration(findings, name, written, order)
  checkAllowedCharacters(findings, name, written)
  const uniqueIn = checkUniqueIn(findings, name, written)
  if (written.iteration !== undefined && written.multiValued !== true && written.uniqueIn === undefined) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `Name '${name}' has an iteration but no uniqueIn, so its first method's value is never taken and the counter never used.`,
        [...path, 'iteration'],
        {
          at: 'key',
          hint: 'Add `uniqueIn:` with the columns the name must be unique in, or remove `iteration:`.',
          severity: 'warning',
        },
      ),
    )
  }
  return {
    name,
    methods,
    ...(iteration === undefined ? {} : { iteration }),
    ...(written.maxLength === undefined ? {} : { maxLength: written.maxLength }),
    transliterate: written.transliterate ?? true,
    ...(written.allowedCharacters === undefined ? {} : { allowedCharacters: written.allowedCharacters }),
    lowercase: written.lowercase ?? false,
    uniqueIn,
    multiValued: written.multiValued ?? false,
    path,
  }
}

/** Where a name sits among the generator's names: what its expressions may read as generated.<name>. */
interface NameOrder {
  readonly name: string
  readonly before: readonly string[]
  readonly all: readonly string[]
}

/**
 * Parses an expression and checks its generated.<name> references; returns the parameters it uses,
 * or undefined when it does not parse.
 */
function checkExpressionText(
  findings: Findings,
  path: DocumentPath,
  text: string,
  order: NameOrder,
): string[] | undefined {
  const expr = parseDocumentExpression(findings, path, text)
  if (expr === undefined) return undefined
  const parameters: string[] = []
  for (const used of expressionNames(expr)) {
    if (used.kind === 'Parameter') parameters.push(used.name)
    else if (used.alias === GENERATED_ALIAS) checkGeneratedReference(findings, path, text, used, order)
  }
  return parameters
}

function checkGeneratedReference(
  findings: Findings,
  path: DocumentPath,
  text: string,
  used: ReturnType<typeof expressionNames>[number],
  order: NameOrder,
): void {
  const target = used.name
  if (order.before.includes(target)) return
  const report = (message: string, hint: string) =>
    expressionIssue(findings, 'CFG_UNKNOWN_GENERATED_NAME', message, path, text, used.span, hint)
  if (target === PASSWORD_NAME) {
    report(
      `Name '${order.name}' uses generated.${PASSWORD_NAME}; a password never goes into a name.`,
      'Names appear in plans, logs and the vault; build the name from the filter row and earlier names.',
    )
  } else if (target === order.name) {
    report(
      `Name '${order.name}' uses generated.${target}, its own value.`,
      'Build the name from the filter row and the names declared before it.',
    )
  } else if (order.all.includes(target)) {
    report(
      `Name '${order.name}' uses generated.${target}, which is generated after it.`,
      `Move '${target}' above '${order.name}' under \`names:\`: a name sees only the names before it.`,
    )
  } else {
    const match = closestMatch(target, order.before)
    report(
      `Name '${order.name}' uses generated.${target}, but the generator has no name '${target}'.`,
      match !== undefined
        ? `Did you mean 'generated.${match}'?`
        : order.before.length === 0
          ? `No name is generated before '${order.name}'; use the filter row's columns.`
          : `Names generated before '${order.name}': ${order.before.join(', ')}.`,
    )
  }
}

function checkIteration(
  findings: Findings,
  name: string,
  written: GeneratedNameDocument,
  order: NameOrder,
): GeneratedName['iteration'] {
  const iteration = written.iteration
  if (iteration === undefined) return undefined
  const path: DocumentPath = ['names', name, 'iteration']
  const start = iteration.start ?? DEFAULT_ITERATION_START
  const max = iteration.max ?? DEFAULT_ITERATION_MAX
  if (written.multiValued === true) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `Name '${name}' is multi-valued and has an iteration; a counter applies to a single value only.`,
        path,
        { at: 'key', hint: 'Remove `iteration:`, or `multiValued: true`.' },
      ),
    )
  }
  if (start > max) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `iteration.start (${start}) is greater than iteration.max (${max}).`,
        [...path, iteration.max === undefined ? 'start' : 'max'],
        {
          hint: 'Make max at least start; the counter runs from start to max.',
          value: iteration.max ?? start,
        },
      ),
    )
  }
  let pattern: ExpressionText | undefined
  if (iteration.pattern !== undefined) {
    const patternPath = [...path, 'pattern']
    pattern = { text: iteration.pattern, path: patternPath }
    const parameters = checkExpressionText(findings, patternPath, iteration.pattern, order)
    if (parameters !== undefined && !parameters.includes('n')) {
      findings.add(
        issueAt(
          findings.document,
          'CFG_INVALID_VALUE',
          `The pattern of name '${name}' does not use the counter :n, so every iteration gives the same value.`,
          patternPath,
          { hint: 'Use :n in the pattern, such as `left(:base, 18) || :n`.', value: iteration.pattern },
        ),
      )
    }
  } else if (written.maxLength !== undefined && String(max).length >= written.maxLength) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `maxLength ${written.maxLength} of name '${name}' leaves no room for a base before the counter (up to ${max}).`,
        ['names', name, 'maxLength'],
        { hint: 'Raise maxLength, or lower iteration.max.', value: written.maxLength },
      ),
    )
  }
  return { start, max, ...(pattern === undefined ? {} : { pattern }) }
}

function checkAllowedCharacters(findings: Findings, name: string, written: GeneratedNameDocument): void {
  const characterClass = written.allowedCharacters
  if (characterClass === undefined) return
  const path = ['names', name, 'allowedCharacters']
  const test = allowedCharacterTest(characterClass)
  const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))
  if (test === undefined || !printable.some((c) => test.test(c))) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `allowedCharacters of name '${name}' is not one regular-expression character class.`,
        path,
        { hint: "Write one class in brackets, such as '[a-z0-9.-]' or '[A-Za-z0-9_]'.", value: characterClass },
      ),
    )
    return
  }
  const digits = '0123456789'.split('').every((d) => test.test(d))
  if (written.iteration !== undefined && written.iteration.pattern === undefined && !digits) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `allowedCharacters of name '${name}' drops digits, so the counter of its iteration would be dropped too.`,
        path,
        { hint: 'Allow 0-9 in the class, or give the iteration a pattern that adds no digits.', value: characterClass },
      ),
    )
  }
  if (written.lowercase !== true && test.test('a') && !test.test('A')) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `allowedCharacters of name '${name}' drops upper-case letters, and the name is not lower-cased first.`,
        path,
        { hint: 'Add `lowercase: true`, or allow A-Z in the class.', value: characterClass, severity: 'warning' },
      ),
    )
  }
}

/** Resolves the `uniqueIn` columns: declared, of text (string or string[]), each once. */
function checkUniqueIn(findings: Findings, name: string, written: GeneratedNameDocument): ColumnRef[] {
  const raw = written.uniqueIn
  if (raw === undefined) return []
  const list = typeof raw === 'string' ? [raw] : raw
  const resolved: ColumnRef[] = []
  list.forEach((text, i) => {
    const path: DocumentPath = typeof raw === 'string' ? ['names', name, 'uniqueIn'] : ['names', name, 'uniqueIn', i]
    const target = resolveColumnPath(findings, text, path)
    if (target === undefined) return
    const type = target.column.type
    if (type !== 'string' && type !== 'string[]') {
      findings.add(
        issueAt(
          findings.document,
          'CFG_TYPE_MISMATCH',
          `Name '${name}' is text, but uniqueIn column '${text}' is ${type}; they cannot be compared.`,
          path,
          { hint: 'Name a column of type string or string[].', value: text },
        ),
      )
      return
    }
    const ref = columnRefOf(target)
    const same = (r: ColumnRef) =>
      r.system.toLowerCase() === ref.system.toLowerCase() && r.table === ref.table && r.column === ref.column
    if (!resolved.some(same)) resolved.push(ref)
  })
  return resolved
}
