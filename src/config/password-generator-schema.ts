/**
 * The `PasswordGenerator` document (docs/generators.md): a random part of a length in a range, drawn
 * from character classes with minimum counts, optionally between parts computed from the filter row.
 * password-generator-checks.ts checks it and resolves a {@link PasswordGeneratorConfig}.
 *
 * @example
 * kind: PasswordGenerator
 * name: initial_password
 * length: { min: 16, max: 20 }
 * classes: { lower: 2, upper: 2, digits: 2, symbols: { min: 1, characters: '!#%+' } }
 * excludeSimilar: true
 * parts: [random]
 */
import { z } from 'zod'
import { configHints } from './schema-walk.ts'

/** The longest random part a generator may ask for. */
export const MAX_PASSWORD_LENGTH = 256

/** The length of the random part when `length:` is not written. */
export const DEFAULT_PASSWORD_LENGTH = { min: 16, max: 20 } as const

/** The word in `parts:` that stands for the random part. */
export const RANDOM_PART = 'random'

const lengthValue = z.number().int().min(1).max(MAX_PASSWORD_LENGTH)

/** `length:`: a number (exactly that many characters) or `{ min, max }`. */
export const passwordLengthSchema = z.preprocess(
  (v) => (typeof v === 'number' ? { min: v, max: v } : v),
  z.strictObject({
    /** The fewest characters of the random part. */
    min: lengthValue,
    /** The most characters of the random part. */
    max: lengthValue,
  }),
)
configHints.add(passwordLengthSchema, { expected: 'a number of characters (16) or a mapping `{ min: 16, max: 20 }`' })

/** One class under `classes:`: a minimum count, or `{ min, characters }`. */
export const passwordClassSchema = z.preprocess(
  (v) => (typeof v === 'number' ? { min: v } : v),
  z.strictObject({
    /** How many characters of the class a password has at least. @default 1 */
    min: z.number().int().min(0).max(MAX_PASSWORD_LENGTH).optional(),
    /** The characters of the class (printable ASCII, no space). @default the class's standard set */
    characters: z.string().min(1).optional(),
  }),
)
configHints.add(passwordClassSchema, {
  expected: "a minimum count (2) or a mapping `{ min: 1, characters: '!#%+' }`",
})

/** `classes:`: the character classes the random part draws from; only the listed ones are used. */
export const passwordClassesSchema = z.strictObject({
  /** Lower-case letters a–z. */
  lower: passwordClassSchema.optional(),
  /** Upper-case letters A–Z. */
  upper: passwordClassSchema.optional(),
  /** Digits 0–9. */
  digits: passwordClassSchema.optional(),
  /** Symbols `!#$%&()*+,-./:;<=>?@[]^_{|}~` (no quotes, backslash or space). */
  symbols: passwordClassSchema.optional(),
})

/** A whole `kind: PasswordGenerator` document. Objects are strict: unknown keys are errors. */
export const passwordGeneratorSchema = z.strictObject({
  kind: z.literal('PasswordGenerator'),
  name: z.string(),
  description: z.string().optional(),
  /** Length of the random part. @default { min: 16, max: 20 } */
  length: passwordLengthSchema.optional(),
  /** @default { lower: 1, upper: 1, digits: 1, symbols: 1 } */
  classes: passwordClassesSchema.optional(),
  /** Leave out look-alike characters (0 O o 1 l I | 5 S 2 Z 8 B). @default true */
  excludeSimilar: z.boolean().optional(),
  /** `random` (exactly once) and expressions over the filter row, joined in order. @default [random] */
  parts: z.array(z.string().trim().min(1)).min(1).optional(),
})

/** A PasswordGenerator document as written, after the schema has checked its shape. */
export type PasswordGeneratorDocument = z.output<typeof passwordGeneratorSchema>
