import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { SIMILAR_CHARACTERS } from './password-classes.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** Validates the fixture project with `generators/p.yaml` holding `lines`. */
async function generator(...lines: string[]) {
  return validateWith({ 'generators/p.yaml': yaml(...lines) })
}

const head = ['kind: PasswordGenerator', 'name: p'] // lines 1-2

describe('PasswordGenerator kind', () => {
  it('resolves the brief example: lengths, classes with their characters, parts in order', async () => {
    const { project, issues } = await generator(
      'kind: PasswordGenerator',
      'name: initial_password',
      'description: First password of a new account',
      'length: { min: 16, max: 20 }',
      "classes: { lower: 2, upper: 2, digits: 2, symbols: { min: 1, characters: '!#%+!' } }",
      'excludeSimilar: true',
      'parts: ["left(e.first_name, 1)", random]',
    )
    assert.deepEqual(issues, [])
    const resolved = project.passwordGenerators[0]
    assert.ok(resolved)
    const { document, ...rest } = resolved
    assert.equal(document.file, 'generators/p.yaml')
    assert.deepEqual(rest, {
      name: 'initial_password',
      description: 'First password of a new account',
      minLength: 16,
      maxLength: 20,
      classes: [
        { name: 'lower', characters: 'abcdefghijkmnpqrstuvwxyz', min: 2 },
        { name: 'upper', characters: 'ACDEFGHJKLMNPQRTUVWXY', min: 2 },
        { name: 'digits', characters: '34679', min: 2 },
        { name: 'symbols', characters: '!#%+', min: 1 },
      ],
      excludeSimilar: true,
      parts: [
        { kind: 'expression', expression: { text: 'left(e.first_name, 1)', path: ['parts', 0] } },
        { kind: 'random' },
      ],
      file: 'generators/p.yaml',
    })
  })

  it('defaults to 16 to 20 characters of all four classes, one each at least, without look-alikes', async () => {
    const { project, issues } = await generator(...head)
    assert.deepEqual(issues, [])
    const resolved = project.passwordGenerators[0]!
    assert.equal(resolved.minLength, 16)
    assert.equal(resolved.maxLength, 20)
    assert.deepEqual(
      resolved.classes.map((c) => [c.name, c.min]),
      [
        ['lower', 1],
        ['upper', 1],
        ['digits', 1],
        ['symbols', 1],
      ],
    )
    for (const c of resolved.classes) for (const s of SIMILAR_CHARACTERS) assert.ok(!c.characters.includes(s))
    assert.deepEqual(resolved.parts, [{ kind: 'random' }])
  })

  it('takes a number as a fixed length and keeps look-alikes when excludeSimilar is false', async () => {
    const { project, issues } = await generator(
      ...head,
      'length: 15',
      'classes: { digits: 3 }',
      'excludeSimilar: false',
    )
    assert.deepEqual(issues, [])
    const resolved = project.passwordGenerators[0]!
    assert.deepEqual([resolved.minLength, resolved.maxLength], [15, 15])
    assert.deepEqual(resolved.classes, [{ name: 'digits', characters: '0123456789', min: 3 }])
  })

  it('rejects unknown keys and classes with did-you-mean, and lengths out of range', async () => {
    const { issues } = await generator(
      ...head,
      'lenght: 12', // 3
      'classes: { lowr: 1, digits: -1 }', // 4
      'length: { min: 0, max: 300 }', // 5
    )
    assert.deepEqual(brief(issues), [
      "generators/p.yaml:3:1 CFG_UNKNOWN_KEY Unknown key 'lenght'. | Did you mean 'length'?",
      "generators/p.yaml:4:12 CFG_UNKNOWN_KEY Unknown key 'lowr' in classes. | Did you mean 'lower'?",
      'generators/p.yaml:4:29 CFG_INVALID_VALUE Expected a number at least 0, received -1. | Correct the value as the message describes.',
      'generators/p.yaml:5:16 CFG_INVALID_VALUE Expected a number at least 1, received 0. | Correct the value as the message describes.',
      'generators/p.yaml:5:24 CFG_INVALID_VALUE Expected a number at most 256, received 300. | Correct the value as the message describes.',
    ])
  })

  it('checks min ≤ max, that the minimums fit the shortest length, and that a class is listed', async () => {
    const { issues } = await validateWith({
      'generators/p.yaml': [
        yaml(...head, 'length: { min: 20, max: 16 }'),
        yaml('kind: PasswordGenerator', 'name: q', 'length: 5', 'classes: { lower: 2, upper: 2, digits: 2 }'),
        yaml('kind: PasswordGenerator', 'name: r', 'classes: {}'),
        yaml('kind: PasswordGenerator', 'name: s', 'length: 3'),
      ].join('---\n'),
    })
    assert.deepEqual(brief(issues), [
      'generators/p.yaml:3:25 CFG_INVALID_VALUE length.min (20) is greater than length.max (16). | Make max at least min, or write one number for a fixed length.',
      'generators/p.yaml:8:10 CFG_INVALID_VALUE The class minimums add up to 6 characters (lower 2, upper 2, digits 2), more than the shortest length, 5. | Raise length.min to at least 6, or lower the minimums.',
      'generators/p.yaml:12:10 CFG_INVALID_VALUE The password generator lists no character class. | List at least one of lower, upper, digits and symbols, such as `classes: { lower: 1, digits: 1 }`.',
      'generators/p.yaml:16:9 CFG_INVALID_VALUE The class minimums add up to 4 characters (lower 1, upper 1, digits 1, symbols 1), more than the shortest length, 3. | Raise length.min to at least 4, or lower the minimums.',
    ])
  })

  it('rejects characters that are not printable ASCII, and classes that excludeSimilar empties', async () => {
    const { issues } = await generator(
      ...head,
      "classes: { lower: { characters: 'abc é' }, digits: { characters: '015' }, symbols: { min: 0, characters: '|' } }",
    )
    assert.deepEqual(
      brief(issues).map((line) => line.split(' | ')[0]),
      [
        "generators/p.yaml:3:33 CFG_INVALID_VALUE The characters of class 'lower' must be printable ASCII without spaces.",
        "generators/p.yaml:3:66 CFG_INVALID_VALUE Class 'digits' has no characters left once excludeSimilar leaves out the look-alikes.",
        "generators/p.yaml:3:106 CFG_INVALID_VALUE Class 'symbols' has no characters left once excludeSimilar leaves out the look-alikes.",
      ],
    )
  })

  it('needs exactly one random part; expression parts must parse and must not use the password', async () => {
    const { issues } = await validateWith({
      'generators/p.yaml': [
        yaml(...head, 'parts: ["e.first_name"]'),
        yaml('kind: PasswordGenerator', 'name: q', 'parts: [random, "left(e.first_name", random, generated.password]'),
      ].join('---\n'),
    })
    assert.deepEqual(
      brief(issues).map((line) => line.split(' | ')[0]),
      [
        'generators/p.yaml:3:8 CFG_INVALID_VALUE The parts have no random part, so the password could be guessed from the filter row.',
        'generators/p.yaml:7:8 CFG_INVALID_VALUE The parts name the random part 2 times; it appears once.',
        "generators/p.yaml:7:35 EXPR_SYNTAX Expected ')' to close the '(' at 1:5, found the end of the expression.",
        'generators/p.yaml:7:46 CFG_UNKNOWN_GENERATED_NAME A part of the password uses generated.password, the password itself.',
      ],
    )
  })
})
