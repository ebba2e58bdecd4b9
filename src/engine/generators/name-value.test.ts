import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cut, lengthOf, shapeCandidate, shapeName, valueText } from './name-value.ts'

describe('name values', () => {
  it('transliterates, lower-cases, drops disallowed characters and trims, in that order', () => {
    const rules = { transliterate: true, lowercase: true, allowed: /^(?:[a-z.])$/u, maxLength: undefined }
    assert.equal(shapeName("  Dröge-Müller, Ærø O'Brien ", rules), 'drogemulleraeroobrien')
    // Lower-casing comes before the filter, so upper-case letters survive a lower-case class.
    assert.equal(shapeName('JOHN.DOE', rules), 'john.doe')
  })

  it('counts and cuts code points, so a letter outside the BMP is one character', () => {
    assert.equal(lengthOf('a𝒜b'), 3)
    assert.equal(cut('a𝒜bc', 2), 'a𝒜')
    assert.equal(cut('abc', 0), '')
    const rules = { transliterate: false, lowercase: false, allowed: undefined, maxLength: 3 }
    assert.equal(shapeCandidate('𝒜𝒜 𝒜𝒜', rules), '𝒜𝒜') // cut to 3, then the trailing space trimmed
  })

  it('reads null and empty lists as nothing, and lists and numbers as text', () => {
    assert.equal(valueText(null), '')
    assert.equal(valueText([]), '')
    assert.equal(valueText(['a', 'b']), 'ab')
    assert.equal(valueText(42), '42')
  })
})
