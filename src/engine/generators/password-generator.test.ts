import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type PasswordGeneratorConfig, SIMILAR_CHARACTERS, STANDARD_CHARACTERS } from '../../config/index.ts'
import { filterRowShape } from '../filter-row-scope.ts'
import { createPasswordGenerator, generatePassword, randomPassword, secureShuffle } from './password-generator.ts'
import { EMPLOYEES, employee, passwordGenerator } from './test-fixtures.ts'

/** Enough samples that a broken guarantee shows; the assertions hold for every single sample. */
const SAMPLES = 2000

function generator(...lines: string[]): Promise<PasswordGeneratorConfig> {
  return passwordGenerator(['kind: PasswordGenerator', 'name: p', ...lines].join('\n'))
}

function count(text: string, characters: string): number {
  return [...text].filter((c) => characters.includes(c)).length
}

describe('randomPassword', () => {
  it('has a length in range and meets every class minimum in every sample', async () => {
    const config = await generator(
      'length: { min: 16, max: 20 }',
      'classes: { lower: 2, upper: 2, digits: 2, symbols: 1 }',
    )
    const lengths = new Set<number>()
    for (let i = 0; i < SAMPLES; i++) {
      const password = randomPassword(config)
      lengths.add(password.length)
      assert.ok(password.length >= 16 && password.length <= 20, password)
      for (const c of config.classes) assert.ok(count(password, c.characters) >= c.min, `${c.name} in ${password}`)
    }
    assert.deepEqual([...lengths].sort(), [16, 17, 18, 19, 20])
  })

  it('never uses look-alike characters when excludeSimilar is on (the default)', async () => {
    const config = await generator('length: 40')
    for (let i = 0; i < SAMPLES; i++) {
      const password = randomPassword(config)
      for (const c of SIMILAR_CHARACTERS) assert.ok(!password.includes(c), `${c} in ${password}`)
    }
  })

  it('uses only the listed classes and their characters', async () => {
    const config = await generator('length: 12', "classes: { digits: 4, symbols: { min: 2, characters: '#+' } }")
    const allowed = new Set([...STANDARD_CHARACTERS.digits, '#', '+'].filter((c) => !SIMILAR_CHARACTERS.includes(c)))
    const seen = new Set<string>()
    for (let i = 0; i < SAMPLES; i++) {
      const password = randomPassword(config)
      for (const c of password) {
        assert.ok(allowed.has(c), `${c} in ${password}`)
        seen.add(c)
      }
      assert.ok(count(password, '#+') >= 2 && count(password, '34679') >= 4, password)
    }
    assert.deepEqual([...seen].sort(), [...allowed].sort())
  })

  it('keeps look-alikes when excludeSimilar is off, and a minimum that fills the whole length', async () => {
    const config = await generator('length: 6', 'classes: { digits: 6 }', 'excludeSimilar: false')
    const seen = new Set<string>()
    for (let i = 0; i < SAMPLES; i++) {
      const password = randomPassword(config)
      assert.match(password, /^[0-9]{6}$/)
      for (const c of password) seen.add(c)
    }
    assert.equal(seen.size, 10)
  })

  it('puts the guaranteed characters anywhere, not first', async () => {
    const config = await generator('length: 8', "classes: { lower: 7, symbols: { min: 1, characters: '#' } }")
    const positions = new Set<number>()
    for (let i = 0; i < SAMPLES; i++) positions.add(randomPassword(config).indexOf('#'))
    assert.deepEqual([...positions].sort(), [0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('refuses a hand-built configuration whose minimums cannot be met', async () => {
    const config = await generator('length: 4', 'classes: { digits: 4 }')
    assert.throws(() => randomPassword({ ...config, minLength: 3 }), /cannot be met/)
    assert.throws(() => randomPassword({ ...config, classes: [] }), /no characters/)
  })
})

describe('secureShuffle', () => {
  it('keeps the items and reaches every order of three', () => {
    const orders = new Set<string>()
    for (let i = 0; i < 600; i++) {
      const shuffled = secureShuffle(['a', 'b', 'c'])
      assert.deepEqual([...shuffled].sort(), ['a', 'b', 'c'])
      orders.add(shuffled.join(''))
    }
    assert.equal(orders.size, 6)
  })
})

describe('generatePassword and createPasswordGenerator', () => {
  it('joins the parts in order, the expression parts from the values given', async () => {
    const config = await generator('length: 10', 'parts: ["left(e.first_name, 1)", random, "\'!\'"]')
    const password = generatePassword(config, ['J', '!'])
    assert.match(password, /^J.{10}!$/)
    assert.match(generatePassword(config, [null]), /^.{10}$/)
  })

  it('evaluates expression parts over the filter row, transliteration and unicode included', async () => {
    const config = await generator('length: 16', 'parts: ["upper(left(transliterate(e.last_name), 2))", random]')
    const passwords = createPasswordGenerator(config, EMPLOYEES.scope)
    assert.match(passwords.generate(EMPLOYEES.toEvalRow(employee('1', 'Anna', 'Ærøskøbing'))), /^AE.{16}$/)
    assert.match(passwords.generate(EMPLOYEES.toEvalRow(employee('2', 'Bob', null))), /^.{16}$/)
  })

  it('lets parts read generated names but never the password', async () => {
    const config = await generator('length: 16', 'parts: [random, "left(generated.username, 1)"]')
    const shape = filterRowShape([{ name: 'e.first_name', type: 'string' }], {
      generated: { username: 'string', password: 'string' },
    })
    const passwords = createPasswordGenerator(config, shape.scope)
    assert.match(passwords.generate(shape.toEvalRow({ 'e.first_name': 'x' }, { username: 'jdoe' })), /^.{16}j$/)
    const bad = await generator('parts: [random, "e.frist_name"]')
    assert.throws(
      () => createPasswordGenerator(bad, shape.scope),
      (error: Error & { code?: string }) => error.code === 'ENG_INVALID_GENERATOR',
    )
  })

  it('gives a different password every time', async () => {
    const config = await generator()
    const passwords = new Set(Array.from({ length: 500 }, () => generatePassword(config)))
    assert.equal(passwords.size, 500)
  })
})
