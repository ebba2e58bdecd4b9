/**
 * Checks of a PasswordGenerator document and its resolution into a {@link PasswordGeneratorConfig}:
 * the length range, the classes (at least one, printable characters, not emptied by excludeSimilar,
 * minimums that fit the shortest length) and the parts (one random part, expressions that parse).
 * The part expressions' types are checked by the engine against a mapping's filter row.
 */
import type { PasswordCharacterClass, PasswordGeneratorConfig } from './engine-model.ts'
import type { Findings } from './filter-references.ts'
import { expressionIssue, expressionNames, GENERATED_ALIAS, parseDocumentExpression } from './generator-expressions.ts'
import { issueAt } from './issues.ts'
import { PASSWORD_NAME } from './name-generator-checks.ts'
import { effectiveCharacters, PASSWORD_CLASS_NAMES, STANDARD_CHARACTERS } from './password-classes.ts'
import { DEFAULT_PASSWORD_LENGTH, type PasswordGeneratorDocument, RANDOM_PART } from './password-generator-schema.ts'

type ClassName = PasswordCharacterClass['name']
type Part = PasswordGeneratorConfig['parts'][number]

/** The classes when `classes:` is not written: one of each. */
const DEFAULT_CLASSES: Readonly<Record<ClassName, { min?: number; characters?: string }>> = {
  lower: {},
  upper: {},
  digits: {},
  symbols: {},
}

/** Printable ASCII without the space: every target and every keyboard can take these. */
const PRINTABLE = /^[\x21-\x7e]+$/

/** Checks a schema-valid PasswordGenerator document; returns the resolved generator when it has no errors. */
export function checkPasswordGenerator(
  findings: Findings,
  generator: PasswordGeneratorDocument,
): PasswordGeneratorConfig | undefined {
  const length = generator.length ?? DEFAULT_PASSWORD_LENGTH
  if (length.min > length.max) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        `length.min (${length.min}) is greater than length.max (${length.max}).`,
        ['length', 'max'],
        { hint: 'Make max at least min, or write one number for a fixed length.', value: length.max },
      ),
    )
  }
  const excludeSimilar = generator.excludeSimilar ?? true
  const classes = checkClasses(findings, generator, excludeSimilar)
  checkMinimums(findings, generator, classes, length.min)
  const parts = checkParts(findings, generator)
  if (!findings.isResolvable) return undefined
  const { document } = findings
  return {
    name: document.name,
    ...(generator.description === undefined ? {} : { description: generator.description }),
    minLength: length.min,
    maxLength: length.max,
    classes,
    excludeSimilar,
    parts,
    file: document.file,
    document,
  }
}

function checkClasses(
  findings: Findings,
  generator: PasswordGeneratorDocument,
  excludeSimilar: boolean,
): PasswordCharacterClass[] {
  const written = generator.classes ?? DEFAULT_CLASSES
  const listed = PASSWORD_CLASS_NAMES.filter((name) => written[name] !== undefined)
  if (listed.length === 0) {
    findings.add(
      issueAt(findings.document, 'CFG_INVALID_VALUE', 'The password generator lists no character class.', ['classes'], {
        hint: 'List at least one of lower, upper, digits and symbols, such as `classes: { lower: 1, digits: 1 }`.',
      }),
    )
  }
  const resolved: PasswordCharacterClass[] = []
  for (const name of listed) {
    const spec = written[name]!
    const path = ['classes', name]
    if (spec.characters !== undefined && !PRINTABLE.test(spec.characters)) {
      findings.add(
        issueAt(
          findings.document,
          'CFG_INVALID_VALUE',
          `The characters of class '${name}' must be printable ASCII without spaces.`,
          [...path, 'characters'],
          {
            hint: "Use characters from '!' to '~' on a US keyboard; leave out spaces, letters with accents and emoji.",
          },
        ),
      )
      continue
    }
    const characters = effectiveCharacters(spec.characters ?? STANDARD_CHARACTERS[name], excludeSimilar)
    if (characters === '') {
      findings.add(
        issueAt(
          findings.document,
          'CFG_INVALID_VALUE',
          `Class '${name}' has no characters left once excludeSimilar leaves out the look-alikes.`,
          [...path, 'characters'],
          {
            hint: 'Add characters that are not look-alikes (0 O o 1 l I | 5 S 2 Z 8 B), or set excludeSimilar: false.',
          },
        ),
      )
      continue
    }
    resolved.push({ name, characters, min: spec.min ?? 1 })
  }
  return resolved
}

function checkMinimums(
  findings: Findings,
  generator: PasswordGeneratorDocument,
  classes: readonly PasswordCharacterClass[],
  minLength: number,
): void {
  const total = classes.reduce((sum, c) => sum + c.min, 0)
  if (total <= minLength) return
  const counts = classes.map((c) => `${c.name} ${c.min}`).join(', ')
  findings.add(
    issueAt(
      findings.document,
      'CFG_INVALID_VALUE',
      `The class minimums add up to ${total} characters (${counts}), more than the shortest length, ${minLength}.`,
      generator.classes === undefined ? ['length'] : ['classes'],
      { hint: `Raise length.min to at least ${total}, or lower the minimums.` },
    ),
  )
}

function checkParts(findings: Findings, generator: PasswordGeneratorDocument): Part[] {
  const written = generator.parts ?? [RANDOM_PART]
  const randoms = written.filter((p) => p === RANDOM_PART).length
  if (randoms !== 1) {
    findings.add(
      issueAt(
        findings.document,
        'CFG_INVALID_VALUE',
        randoms === 0
          ? 'The parts have no random part, so the password could be guessed from the filter row.'
          : `The parts name the random part ${randoms} times; it appears once.`,
        ['parts'],
        { hint: 'Write `random` exactly once in parts, such as `parts: ["left(e.first_name, 1)", random]`.' },
      ),
    )
  }
  return written.map((text, i): Part => {
    if (text === RANDOM_PART) return { kind: 'random' }
    const path = ['parts', i]
    const expr = parseDocumentExpression(findings, path, text)
    for (const used of expr === undefined ? [] : expressionNames(expr)) {
      if (used.kind !== 'Column' || used.alias !== GENERATED_ALIAS || used.name !== PASSWORD_NAME) continue
      expressionIssue(
        findings,
        'CFG_UNKNOWN_GENERATED_NAME',
        'A part of the password uses generated.password, the password itself.',
        path,
        text,
        used.span,
        "Build the parts from the filter row (and the names of the mapping's name generator).",
      )
    }
    return { kind: 'expression', expression: { text, path } }
  })
}
