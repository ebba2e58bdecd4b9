import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ColumnRef } from '../../config/index.ts'
import { createNameGenerator, type NameOutcome } from './name-generator.ts'
import { type NameUniqueness, TakenValues } from './name-uniqueness.ts'
import { EMPLOYEES, employee, nameGenerator } from './test-fixtures.ts'

const SAM: ColumnRef = { system: 'directory', table: 'users', column: 'sAMAccountName' }
const MAIL: ColumnRef = { system: 'directory', table: 'users', column: 'mail' }

/** Vault values taken per column, counting the checks made against them. */
function counting(values: { sam?: string[]; mail?: string[] } = {}): NameUniqueness & { checks: number } {
  const taken = new TakenValues()
  for (const [column, list] of [
    [SAM, values.sam ?? []],
    [MAIL, values.mail ?? []],
  ] as const) {
    taken.declare(column)
    for (const v of list) taken.add(column, v)
  }
  const counter = {
    checks: 0,
    isTaken(column: ColumnRef, value: string) {
      counter.checks++
      return taken.isTaken(column, value)
    },
  }
  return counter
}

function generator(max: number, extra = '') {
  return nameGenerator(
    [
      'kind: NameGenerator',
      'name: g',
      'names:',
      '  username:',
      '    methods:',
      '      - "left(e.first_name, 1) || e.last_name"',
      '      - "e.first_name || \'.\' || e.last_name"',
      `    iteration: { start: 2, max: ${max} }`,
      '    lowercase: true',
      '    uniqueIn: directory.users.sAMAccountName',
      extra,
    ].join('\n'),
  )
}

function brief(outcomes: readonly NameOutcome[]): unknown[] {
  return outcomes.map((o) => (o.ok ? o.values['username'] : o.error.code))
}

describe('NameGenerator counters', () => {
  it('gives the rows of one base consecutive counters, without trying the taken ones again for each row', async () => {
    const uniqueness = counting()
    const names = createNameGenerator(await generator(999), EMPLOYEES.scope, { uniqueness })
    const outcomes = Array.from({ length: 500 }, (_, i) =>
      names.generate(EMPLOYEES.toEvalRow(employee(String(i), 'John', 'Doe'))),
    )
    assert.deepEqual(brief(outcomes).slice(0, 5), ['jdoe', 'john.doe', 'jdoe2', 'jdoe3', 'jdoe4'])
    assert.equal(new Set(brief(outcomes)).size, 500)
    assert.equal(brief(outcomes).at(-1), 'jdoe499')
    // Counting from 2 for every row would make 125,000 checks; a few per row is linear.
    assert.ok(uniqueness.checks < 500 * 5, `${uniqueness.checks} checks`)
  })

  it('lists every value tried when a row finds all of them taken, as a first row of the base would', async () => {
    const names = createNameGenerator(await generator(4), EMPLOYEES.scope, { uniqueness: counting() })
    const outcomes = ['1', '2', '3', '4', '5', '6'].map((id) =>
      names.generate(EMPLOYEES.toEvalRow(employee(id, 'John', 'Doe')), { identity: id }),
    )
    assert.deepEqual(brief(outcomes), ['jdoe', 'john.doe', 'jdoe2', 'jdoe3', 'jdoe4', 'ENG_NAMES_EXHAUSTED'])
    const failure = outcomes[5]!
    assert.ok(!failure.ok)
    assert.equal(
      failure.error.message,
      "Every value of name 'username' of name generator 'g' is taken for row 6: tried jdoe, john.doe, jdoe2, jdoe3, jdoe4.",
    )
    assert.equal((failure.error.details as { triedCount: number }).triedCount, 5)
  })

  it('gives a counter again when the row it was found for failed on a later name', async () => {
    const mail = [
      '  mail:',
      '    methods: ["e.middle_name || \'@corp.example\'"]',
      '    uniqueIn: directory.users.mail',
    ].join('\n')
    const names = createNameGenerator(await generator(99, mail), EMPLOYEES.scope, {
      uniqueness: counting({ sam: ['jdoe', 'john.doe'], mail: ['taken@corp.example'] }),
    })
    const outcomes = [
      employee('1', 'John', 'Doe', 'taken'),
      employee('2', 'John', 'Doe', 'free'),
      employee('3', 'John', 'Doe', 'other'),
    ].map((row) => names.generate(EMPLOYEES.toEvalRow(row)))
    assert.deepEqual(brief(outcomes), ['ENG_NAMES_EXHAUSTED', 'jdoe2', 'jdoe3'])
  })

  it('counts from the start for a row whose own values are free for it alone', async () => {
    const names = createNameGenerator(await generator(99), EMPLOYEES.scope, {
      uniqueness: counting({ sam: ['jdoe', 'john.doe', 'jdoe2'] }),
    })
    const first = names.generate(EMPLOYEES.toEvalRow(employee('1', 'John', 'Doe')))
    const own = names.generate(EMPLOYEES.toEvalRow(employee('2', 'John', 'Doe')), {
      isOwn: (_column, value) => value === 'jdoe2',
    })
    assert.deepEqual(brief([first, own]), ['jdoe3', 'jdoe2'])
  })
})
