import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { REMOVED_MARKS, TRANSLITERATION_TABLE, transliterate, transliterationSteps } from './transliterate.ts'

describe('transliterate', () => {
  it('maps only to printable ASCII', () => {
    for (const [from, to] of TRANSLITERATION_TABLE) assert.match(to, /^[\x20-\x7e]+$/, from)
  })

  it('covers the letters Dutch, German, Nordic, Polish, Czech, Turkish, French and Vietnamese names use', () => {
    const input =
      'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŠšŽžČčŘřĚěŮůĞğŞşİıŁłŃńŚśŹźŻżĄąĘęÆæØøÅåÐðÞþßŒœĳĲỆệẠạ'
    assert.equal(
      transliterate(input),
      'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyySsZzCcRrEeUuGgSsIiLlNnSsZzZzAaEeAEaeOoAaDdThthssOEoeijIJEeAa',
    )
  })

  it('removes combining accents and keeps everything else', () => {
    assert.equal(transliterate('Zoe\u0308 – Ω 😀 名前 \u00a0'), 'Zoe – Ω 😀 名前 \u00a0')
  })

  it('gives PostgreSQL the same table: translate() then replace(), in any order', () => {
    const { from, to, replacements } = transliterationSteps()
    const fromChars = [...from]
    const toChars = [...to]
    assert.equal(fromChars.length, toChars.length + [...REMOVED_MARKS].length)
    const viaSteps = (s: string) => {
      let out = [...s].map((c) => (fromChars.includes(c) ? (toChars[fromChars.indexOf(c)] ?? '') : c)).join('')
      for (const [a, b] of replacements) out = out.replaceAll(a, b)
      return out
    }
    const sample = [...TRANSLITERATION_TABLE.keys()].join('') + 'e\u0301 ok'
    assert.equal(viaSteps(sample), transliterate(sample))
  })
})
