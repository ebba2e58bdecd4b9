/**
 * The function library: every function, from one list per family. Names (and aliases) are
 * case-insensitive and unique; this module checks that once at load time.
 */
import { ARRAY_FUNCTIONS } from './array-functions.ts'
import { CONDITIONAL_FUNCTIONS } from './conditional-functions.ts'
import { CONVERSION_FUNCTIONS } from './conversion-functions.ts'
import { DATE_FORMAT_FUNCTIONS } from './date-format-functions.ts'
import { DATE_FUNCTIONS } from './date-functions.ts'
import type { FunctionDefinition } from './definition.ts'
import { HASH_FUNCTIONS } from './hash-functions.ts'
import { NUMBER_FUNCTIONS } from './number-functions.ts'
import { REGEX_FUNCTIONS } from './regex-functions.ts'
import { STRING_FUNCTIONS } from './string-functions.ts'

const ALL: readonly FunctionDefinition[] = [
  ...STRING_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...CONDITIONAL_FUNCTIONS,
  ...NUMBER_FUNCTIONS,
  ...REGEX_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...DATE_FORMAT_FUNCTIONS,
  ...HASH_FUNCTIONS,
]

const BY_NAME = new Map<string, FunctionDefinition>()
for (const fn of ALL) {
  for (const name of [fn.name, ...(fn.aliases ?? [])]) {
    if (BY_NAME.has(name)) throw new Error(`Function ${name} is declared twice`)
    BY_NAME.set(name, fn)
  }
}

/** Every function of the language, in documentation order. */
export function listFunctions(): readonly FunctionDefinition[] {
  return ALL
}

/** The function called `name` (any case), or undefined. */
export function findFunction(name: string): FunctionDefinition | undefined {
  return BY_NAME.get(name.toLowerCase())
}

/** Every callable name, aliases included, for "did you mean". */
export function functionNames(): readonly string[] {
  return [...BY_NAME.keys()]
}
