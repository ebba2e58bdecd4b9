/**
 * Validates a document, or a part of it, with a zod schema and turns zod's issues into positioned
 * {@link Issue}s: unknown keys with a "did you mean" for the closest allowed key, wrong enum values
 * with the closest allowed value, missing keys, wrong types. The connectors layer reuses this for
 * `config:` and table `options:`, so every schema's problems read alike.
 */
import type { z } from 'zod'
import { closestMatch, didYouMean, formatPath, type Issue } from '../core/index.ts'
import { issueAt, sortIssues } from './issues.ts'
import type { LoadedDocument } from './loaded-document.ts'
import { allowedKeysAt, type ConfigHint, hintsAt } from './schema-walk.ts'
import { looksLikeSecretKey, plainSecretMessage } from './secrets.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** The outcome of validating (part of) a document: the parsed value when valid, else the issues. */
export type PartValidation<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: Issue[] }

/**
 * Validates the value at `path` of `document` with `schema`; issues are positioned in the document
 * and sorted by position.
 *
 * @param path where the part sits in the document (`['config']`, `['tables', 'employees', 'options']`).
 * @default path [] (the whole document)
 * @example
 * const result = validateDocumentPart(document, csvConfigSchema, ['config'])
 * if (!result.ok) issues.push(...result.issues)
 */
export function validateDocumentPart<T>(
  document: LoadedDocument,
  schema: z.ZodType<T>,
  path: DocumentPath = [],
): PartValidation<T> {
  const part = valueAt(document.value, path)
  const result = schema.safeParse(part, { reportInput: true })
  if (result.success) return { ok: true, value: result.data }
  const issues = result.error.issues.flatMap((issue) => toIssues(document, schema, path, issue))
  return { ok: false, issues: sortIssues(issues) }
}

/** The plain value at `path`, or undefined when the path leaves the value. */
export function valueAt(value: unknown, path: DocumentPath): unknown {
  let current = value
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string | number, unknown>)[segment]
  }
  return current
}

function toIssues(document: LoadedDocument, schema: z.ZodType, base: DocumentPath, issue: z.core.$ZodIssue): Issue[] {
  const local = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
  const path = [...base, ...local]
  const hints = hintsAt(schema, local)
  const last = path.at(-1)
  const secret = hints.secret === true || (typeof last === 'string' && looksLikeSecretKey(last))
  const shown = secret ? undefined : shownValue(issue.input)
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(schema, local)
      return issue.keys.map((key) =>
        issueAt(document, 'CFG_UNKNOWN_KEY', `Unknown key '${key}'${where(path)}.`, [...path, key], {
          at: 'key',
          hint: unknownKeyHint(key, allowed),
        }),
      )
    }
    case 'invalid_key': {
      const inner = issue.issues[0]?.message ?? `Key '${String(last)}' is not allowed here.`
      return [issueAt(document, 'CFG_INVALID_NAME', inner, path, { at: 'key' })]
    }
    case 'invalid_type':
      if (issue.input === undefined) {
        const parent = path.slice(0, -1)
        return [
          issueAt(document, 'CFG_MISSING_KEY', `Missing required key '${String(last)}'${where(parent)}.`, path, {
            anchor: parent,
            at: 'key',
            hint: `Add \`${String(last)}:\`${where(parent)}.`,
          }),
        ]
      }
      return [typeIssue(document, path, hints.expected ?? expectedWords(issue.expected), issue.input, secret)]
    case 'invalid_value':
      return [invalidValue(document, path, issue.values, issue.input, hints, secret)]
    case 'invalid_union': {
      const expected = hints.expected ?? unionExpected(issue)
      return [invalid(document, path, `Expected ${expected}, received ${received(issue.input, secret)}.`, shown)]
    }
    case 'too_small':
    case 'too_big':
      return [invalid(document, path, sizeMessage(issue, secret), shown)]
    case 'invalid_format':
      // A secret field (core's secretRef) that fails its format holds a written-out value.
      if (hints.secret === true && typeof issue.input === 'string') {
        return [issueAt(document, 'CFG_PLAIN_SECRET', plainSecretMessage(String(last)), path)]
      }
      return [invalid(document, path, secret ? secretMessage(last) : issue.message, shown)]
    default:
      // Custom refinements and regexes carry their own full-sentence messages, which may quote the
      // input; for a secret the message is replaced so that the value cannot leak through it.
      return [invalid(document, path, secret ? secretMessage(last) : issue.message, shown)]
  }
}

function secretMessage(key: string | number | undefined): string {
  return `The value of '${String(key)}' is not valid (it is not shown because it is a secret).`
}

function typeIssue(
  document: LoadedDocument,
  path: DocumentPath,
  expected: string,
  input: unknown,
  secret: boolean,
): Issue {
  const message = `Expected ${expected}, received ${received(input, secret)}.`
  // YAML 1.1 read yes/no/on/off as booleans; YAML 1.2 (and so Provisio) reads them as text.
  const hint =
    expected === 'true or false' && typeof input === 'string' && /^(yes|no|on|off|y|n)$/i.test(input)
      ? `Write true or false; '${input}' is text in YAML 1.2.`
      : undefined
  return issueAt(document, 'CFG_INVALID_VALUE', message, path, { hint, value: secret ? undefined : shownValue(input) })
}

function invalid(document: LoadedDocument, path: DocumentPath, message: string, value: unknown): Issue {
  return issueAt(document, 'CFG_INVALID_VALUE', message, path, value === undefined ? {} : { value })
}

function invalidValue(
  document: LoadedDocument,
  path: DocumentPath,
  values: readonly unknown[],
  input: unknown,
  hints: ConfigHint,
  secret: boolean,
): Issue {
  const allowed = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v)))
  const expected = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`
  const message = `Expected ${expected}, received ${received(input, secret)}.`
  let hint: string | undefined
  if (typeof input === 'string' && !secret) {
    const alias = hints.aliases?.[input.toLowerCase()]
    const candidates = values.filter((v): v is string => typeof v === 'string')
    const match = alias ?? closestMatch(input, candidates)
    if (match !== undefined) hint = `Did you mean '${match}'?`
  }
  return issueAt(document, 'CFG_INVALID_VALUE', message, path, {
    hint,
    ...(secret ? {} : { value: shownValue(input) }),
  })
}

function unknownKeyHint(key: string, allowed: readonly string[]): string {
  const suggestion = didYouMean(key, allowed)
  if (suggestion !== '') return suggestion
  return allowed.length === 0 ? 'Remove the key.' : `Remove the key; allowed keys here are ${allowed.join(', ')}.`
}

/** ` in tables.employees` for messages; empty at the document's top level. */
function where(path: DocumentPath): string {
  if (path.length === 0) return ''
  return ` in ${formatPath(path)}`
}

const EXPECTED_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  null: 'nothing (null)',
}

function expectedWords(expected: string): string {
  return EXPECTED_WORDS[expected] ?? expected
}

function unionExpected(issue: z.core.$ZodIssueInvalidUnion): string {
  const options = issue.errors.flatMap((branch) =>
    branch
      .filter((i) => i.code === 'invalid_type' && i.path.length === 0)
      .map((i) => expectedWords((i as z.core.$ZodIssueInvalidType).expected)),
  )
  return options.length === 0 ? 'one of the allowed forms' : [...new Set(options)].join(' or ')
}

/** How the received value reads in a message; secrets are described only by their type. */
function received(input: unknown, secret: boolean): string {
  if (input === undefined) return 'nothing'
  if (input === null) return 'nothing (null)'
  if (Array.isArray(input)) return 'a list'
  if (typeof input === 'object') return 'a mapping'
  if (secret) return typeof input === 'string' ? 'text' : `a ${typeof input}`
  if (typeof input === 'string') return `'${input}'`
  return typeof input === 'number' || typeof input === 'boolean' ? String(input) : typeof input
}

/** Only scalars are shown as the issue's value; mappings and lists are shown by their position. */
function shownValue(input: unknown): unknown {
  return typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean' ? input : undefined
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, secret: boolean): string {
  const small = issue.code === 'too_small'
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum)
  const inclusive = issue.inclusive !== false
  const relation = small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than'
  switch (issue.origin) {
    case 'string':
      return `Expected text of ${relation} ${limit} character${limit === 1 ? '' : 's'}.`
    case 'array':
      return `Expected a list of ${relation} ${limit} item${limit === 1 ? '' : 's'}.`
    default:
      return `Expected a number ${relation} ${limit}, received ${received(issue.input, secret)}.`
  }
}
