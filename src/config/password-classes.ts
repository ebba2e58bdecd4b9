/**
 * The character classes of passwords: their standard characters and the look-alikes that
 * `excludeSimilar` leaves out. Symbols avoid quotes, the backslash, the backtick and the space, which
 * scripts, CSV files and shells treat specially, so a generated password survives every target.
 */
import type { PasswordCharacterClass } from './engine-model.ts'

/** The classes in the order they are listed and resolved. */
export const PASSWORD_CLASS_NAMES: readonly PasswordCharacterClass['name'][] = ['lower', 'upper', 'digits', 'symbols']

/** Each class's characters when the generator does not give its own. */
export const STANDARD_CHARACTERS: Readonly<Record<PasswordCharacterClass['name'], string>> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
}

/** Characters easily mistaken for one another when read aloud or copied from paper. */
export const SIMILAR_CHARACTERS = '0Oo1lI|5S2Z8B'

/** `characters` without duplicates and, when `excludeSimilar`, without look-alikes; order kept. */
export function effectiveCharacters(characters: string, excludeSimilar: boolean): string {
  const kept = [...new Set(characters)].filter((c) => !excludeSimilar || !SIMILAR_CHARACTERS.includes(c))
  return kept.join('')
}
