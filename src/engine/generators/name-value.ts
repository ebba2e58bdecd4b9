/**
 * The rules that turn a method's raw value into a name candidate, in this order: transliteration
 * (Ærøskøbing → AEroskobing), lower case, dropping characters outside `allowedCharacters`, trimming
 * surrounding white space, and cutting to `maxLength`. Lengths count code points, so a letter outside
 * the BMP is one character, as a directory counts it.
 */
import type { Value } from '../../core/index.ts'
import { allowedCharacterTest, type GeneratedName } from '../../config/index.ts'
import { transliterate } from '../../expr/index.ts'

/** The shaping rules of one name, prepared once. */
export interface NameRules {
  readonly transliterate: boolean
  readonly lowercase: boolean
  /** The test of one character, when the name restricts its characters. */
  readonly allowed?: RegExp | undefined
  readonly maxLength?: number | undefined
}

/** The rules of a resolved name. */
export function nameRules(name: GeneratedName): NameRules {
  const allowed = name.allowedCharacters === undefined ? undefined : allowedCharacterTest(name.allowedCharacters)
  if (name.allowedCharacters !== undefined && allowed === undefined)
    throw new Error(`allowedCharacters of name ${name.name} is not a character class; validation should have said so`)
  return {
    transliterate: name.transliterate,
    lowercase: name.lowercase,
    allowed,
    maxLength: name.maxLength,
  }
}

/** The text of a method's value; null (and an empty list) gives '' — "nothing", which is skipped. */
export function valueText(value: Value): string {
  if (value === null) return ''
  if (Array.isArray(value)) return value.join('')
  return String(value)
}

/** Number of code points of `text`. */
export function lengthOf(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

/** The first `length` code points of `text`. */
export function cut(text: string, length: number): string {
  if (length <= 0) return ''
  if (text.length <= length) return text // fewer code units than `length` means fewer code points too
  let result = ''
  let n = 0
  for (const c of text) {
    if (n++ >= length) break
    result += c
  }
  return result
}

/** Applies every rule but the length: the base a counter is added to. */
export function shapeName(raw: string, rules: NameRules): string {
  let text = rules.transliterate ? (transliterate(raw) ?? '') : raw
  if (rules.lowercase) text = text.toLowerCase()
  const allowed = rules.allowed
  if (allowed !== undefined) {
    let kept = ''
    for (const c of text) if (allowed.test(c)) kept += c
    text = kept
  }
  return text.trim()
}

/** A shaped value cut to `maxLength` (and trimmed again, as the cut may end on a space). */
export function fitLength(shaped: string, maxLength: number | undefined): string {
  return maxLength === undefined ? shaped : cut(shaped, maxLength).trim()
}

/** Applies every rule, the length included: a method's candidate. */
export function shapeCandidate(raw: string, rules: NameRules): string {
  return fitLength(shapeName(raw, rules), rules.maxLength)
}
