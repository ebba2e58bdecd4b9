/**
 * Regular expressions in the portable syntax of runtime/regex.ts. Patterns and replacements must be
 * literals: they are checked when the expression is checked and translated per backend.
 */
import type { Value } from '../../core/index.ts'
import { isRegexProblem, translateRegex } from '../runtime/regex.ts'
import { parseReplacement, regexMatch, regexReplace } from '../runtime/regex-replace.ts'
import { param, sql } from '../sql/fragment.ts'
import type { ArgumentProblem, FunctionDefinition, SqlArg } from './definition.ts'
import { p } from './definition.ts'
import { at, constant, str, udf } from './helpers.ts'

const pattern = p('pattern', 'string', { constant: true })

function checkPattern(value: Value | undefined): ArgumentProblem | undefined {
  if (typeof value !== 'string') return undefined
  const regex = translateRegex(value)
  if (!isRegexProblem(regex)) return undefined
  return {
    index: 1,
    code: 'EXPR_INVALID_REGEX',
    message: `The regular expression is not valid here: ${regex.message}`,
    valueIndex: regex.index,
  }
}

function checkReplacement(
  patternValue: Value | undefined,
  replacement: Value | undefined,
): ArgumentProblem | undefined {
  const regex = typeof patternValue === 'string' ? translateRegex(patternValue) : undefined
  if (regex === undefined || isRegexProblem(regex) || typeof replacement !== 'string') return undefined
  const parsed = parseReplacement(replacement, regex.groups)
  if (!('message' in parsed)) return undefined
  return {
    index: 2,
    code: 'EXPR_INVALID_ARGUMENT',
    message: `The replacement is not valid: ${parsed.message}`,
    valueIndex: parsed.index,
    hint: 'Write $1…$9 for a group, $& for the whole match and $$ for a dollar sign.',
  }
}

function postgresPattern(args: readonly SqlArg[]): string {
  const regex = translateRegex(constant(args, 1))
  if (isRegexProblem(regex)) throw new Error(regex.message)
  return regex.postgres
}

export const REGEX_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'regex_match',
    family: 'regex',
    signatures: [{ params: [p('text', 'string'), pattern], returns: 'boolean' }],
    summary:
      'Whether the regular expression matches somewhere in `text` (anchor it with ^ and $ to match the whole text). Case-sensitive.',
    nulls: 'Null if the text is null.',
    notes: 'PostgreSQL runs the translated pattern with `~` under COLLATE "C"; SQLite runs provisio_regex_match.',
    examples: [
      { expr: "regex_match('E12345', '^E[0-9]{5}$')", result: true },
      { expr: "regex_match('ann smith', '\\bsmith')", result: true },
    ],
    validate: ([, pat]) => checkPattern(pat),
    js: ([s, pat]) => regexMatch(str(s), str(pat)),
    sql: {
      sqlite: udf('provisio_regex_match'),
      // https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP
      postgres: (args) => sql`((${at(args, 0)}) COLLATE "C" ~ ${param(postgresPattern(args), 'string')})`,
    },
  },
  {
    name: 'regex_replace',
    family: 'regex',
    signatures: [
      { params: [p('text', 'string'), pattern, p('replacement', 'string', { constant: true })], returns: 'string' },
    ],
    summary:
      'Replaces every match of the regular expression. In the replacement, $1…$9 insert a group, $& the whole match, $$ a dollar sign.',
    nulls: 'Null if the text is null.',
    notes:
      'When alternatives of different length can match at the same place, PostgreSQL takes the longest and JavaScript the first: write the longer alternative first (`ab|a`) and the backends agree.',
    examples: [
      { expr: "regex_replace('+31 (0)6-1234', '[^0-9]', '')", result: '31061234' },
      { expr: "regex_replace('Smith, Ann', '^(\\w+), (\\w+)$', '$2 $1')", result: 'Ann Smith' },
    ],
    validate: ([, pat, replacement]) => checkPattern(pat) ?? checkReplacement(pat, replacement),
    js: ([s, pat, r]) => regexReplace(str(s), str(pat), str(r)),
    sql: {
      sqlite: udf('provisio_regex_replace'),
      postgres: (args) => {
        const regex = translateRegex(constant(args, 1))
        if (isRegexProblem(regex)) throw new Error(regex.message)
        const replacement = parseReplacement(constant(args, 2), regex.groups)
        if ('message' in replacement) throw new Error(replacement.message)
        // https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-POSIX-REGEXP ('g' = every match)
        return sql`regexp_replace((${at(args, 0)}) COLLATE "C", ${param(regex.postgres, 'string')}, ${param(replacement.postgres, 'string')}, 'g')`
      },
    },
  },
]
