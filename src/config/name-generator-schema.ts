/**
 * The `NameGenerator` document (docs/generators.md): one or more names (an account name, a mail
 * address, proxy addresses) made from a filter row by ordered methods, a counter when every method
 * is taken, and rules that shape the value (transliteration, case, allowed characters, length).
 * name-generator-checks.ts checks it against the project and resolves a {@link NameGeneratorConfig}.
 *
 * @example
 * kind: NameGenerator
 * name: account_names
 * filter: needs_account
 * names:
 *   username:
 *     methods:
 *       - "left(e.first_name, 1) || e.last_name"
 *       - "e.first_name || '.' || e.last_name"
 *     iteration: { start: 2, max: 99 }
 *     maxLength: 20
 *     lowercase: true
 *     allowedCharacters: "[a-z0-9.-]"
 *     uniqueIn: [directory.users.sAMAccountName]
 *   mail:
 *     methods: ["generated.username || '@corp.example'"]
 *     uniqueIn: directory.users.mail
 */
import { z } from 'zod'
import { columnPathSchema } from './link-schema.ts'
import { configHints } from './schema-walk.ts'
import { IDENTIFIER } from './system-schema.ts'

const expression = z.string().trim().min(1)

/** The counter's first value when `iteration.start` is not written. */
export const DEFAULT_ITERATION_START = 2
/** The counter's last value when `iteration.max` is not written. */
export const DEFAULT_ITERATION_MAX = 99

/** `iteration:` of a name: a counter tried when every method's value is taken. */
export const iterationSchema = z.strictObject({
  /** The first counter value. @default 2 */
  start: z.number().int().min(0).optional(),
  /** The last counter value tried. @default 99 */
  max: z.number().int().min(0).optional(),
  /**
   * An expression giving the candidate from `:base` (the first non-empty method value) and `:n`
   * (the counter), such as `left(:base, 18) || :n`. @default the counter appended to the base
   */
  pattern: expression.optional(),
})

/** `uniqueIn:` as written: one `system.table.column` or a list of them. */
const uniqueInSchema = z.union([columnPathSchema, z.array(columnPathSchema)])
configHints.add(uniqueInSchema, { expected: "'system.table.column' or a list of them" })

/** One entry under `names:`. */
export const generatedNameSchema = z.strictObject({
  /**
   * Expressions over the filter row, tried in order; earlier names are `generated.<name>`. The
   * first whose value is non-empty (after the rules below) and not taken wins.
   */
  methods: z.array(expression).min(1),
  /** A counter for when every method's value is taken. @default none: the row fails */
  iteration: iterationSchema.optional(),
  /** Longest value allowed; longer values are cut (with a counter, the base is cut). @default no limit */
  maxLength: z.number().int().min(1).optional(),
  /** Lower-case the value. @default false */
  lowercase: z.boolean().optional(),
  /** One regular-expression character class (`[a-z0-9.-]`); characters outside it are dropped. @default keep all */
  allowedCharacters: z.string().min(1).optional(),
  /** Turn letters into ASCII (é → e, ß → ss, Ł → L) first. @default true */
  transliterate: z.boolean().optional(),
  /** Columns of any system the value must not already occur in, compared case-insensitively. @default [] */
  uniqueIn: uniqueInSchema.optional(),
  /** A list of values (proxyAddresses): every method gives values, all are kept. @default false */
  multiValued: z.boolean().optional(),
})

const nameKey = z.string().regex(IDENTIFIER, {
  error: (issue) =>
    `Name '${String(issue.input)}' is not valid: start with a letter or '_', then use only letters, digits and '_' (expressions write it as generated.<name>).`,
})

/** A whole `kind: NameGenerator` document. Objects are strict: unknown keys are errors. */
export const nameGeneratorSchema = z.strictObject({
  kind: z.literal('NameGenerator'),
  name: z.string(),
  description: z.string().optional(),
  /** The Filter whose rows previews use and whose columns the expressions are checked against. @default none */
  filter: z.string().min(1).optional(),
  /** The names, in order: a name may use the names before it as `generated.<name>`. */
  names: z.record(nameKey, generatedNameSchema),
})

/** A NameGenerator document as written, after the schema has checked its shape. */
export type NameGeneratorDocument = z.output<typeof nameGeneratorSchema>
/** One name as written. */
export type GeneratedNameDocument = z.output<typeof generatedNameSchema>
