import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ColumnRef } from '../../config/index.ts'
import { createNameGenerator, type NameGeneratorOptions, type NameOutcome } from './name-generator.ts'
import { HandedOutNames, NOTHING_TAKEN, TakenValues } from './name-uniqueness.ts'
import { EMPLOYEES, employee, nameGenerator } from './test-fixtures.ts'

const SAM: ColumnRef = { system: 'directory', table: 'users', column: 'sAMAccountName' }
const MAIL: ColumnRef = { system: 'directory', table: 'users', column: 'mail' }
const PROXY: ColumnRef = { system: 'directory', table: 'users', column: 'proxyAddresses' }

/** Uniqueness with `values` taken per column (every fixture column declared). */
function taken(values: { sam?: string[]; mail?: string[]; proxy?: string[] } = {}): TakenValues {
  const result = new TakenValues()
  for (const [column, list] of [
    [SAM, values.sam ?? []],
    [MAIL, values.mail ?? []],
    [PROXY, values.proxy ?? []],
  ] as const) {
    result.declare(column)
    for (const v of list) result.add(column, v)
  }
  return result
}

/** A generator of the one name `username` with the given YAML lines (indented under it). */
async function username(...lines: string[]) {
  return nameGenerator(
    ['kind: NameGenerator', 'name: g', 'names:', '  username:', ...lines.map((l) => `    ${l}`)].join('\n'),
  )
}

function run(
  generator: Awaited<ReturnType<typeof nameGenerator>>,
  options: NameGeneratorOptions,
  ...rows: ReturnType<typeof employee>[]
): NameOutcome[] {
  const names = createNameGenerator(generator, EMPLOYEES.scope, options)
  return rows.map((row) => names.generate(EMPLOYEES.toEvalRow(row), { identity: String(row['e.employee_id']) }))
}

/** The values of successful outcomes, the error codes of failed ones. */
function brief(outcomes: readonly NameOutcome[]): unknown[] {
  return outcomes.map((o) => (o.ok ? o.values : o.error.code))
}

const SAM_20 = [
  'methods:',
  '  - "left(e.first_name, 1) || e.last_name"',
  '  - "e.first_name || \'.\' || e.last_name"',
  'iteration: { start: 2, max: 99 }',
  'maxLength: 20',
  'lowercase: true',
  "allowedCharacters: '[a-z0-9.-]'",
  'uniqueIn: directory.users.sAMAccountName',
]

describe('NameGenerator', () => {
  it('tries the methods in order and takes the first value that is free', async () => {
    const generator = await username(...SAM_20)
    const outcomes = run(
      generator,
      { uniqueness: taken({ sam: ['jdoe'] }) },
      employee('1', 'Jane', 'Roe'),
      employee('2', 'John', 'Doe'),
    )
    assert.deepEqual(brief(outcomes), [{ username: 'jroe' }, { username: 'john.doe' }])
  })

  it('counts up when every method is taken, appending the counter to the first value', async () => {
    const generator = await username(...SAM_20)
    const outcomes = run(
      generator,
      { uniqueness: taken({ sam: ['jdoe', 'john.doe', 'jdoe2'] }) },
      employee('1', 'John', 'Doe'),
    )
    assert.deepEqual(brief(outcomes), [{ username: 'jdoe3' }])
  })

  it('cuts the base so that base and counter fit maxLength (sAMAccountName: 20)', async () => {
    const generator = await username(...SAM_20)
    const long = employee('1', 'Maximilian', 'Oberhausen-Wolkenstein')
    const first = 'moberhausen-wolkens' + 't' // 20 characters
    const second = 'maximilian.oberhause' // 20
    const outcomes = run(generator, { uniqueness: taken({ sam: [first, second] }) }, long, long, long)
    assert.deepEqual(brief(outcomes), [
      { username: 'moberhausen-wolkens2' },
      { username: 'moberhausen-wolkens3' },
      { username: 'moberhausen-wolkens4' },
    ])
    for (const o of outcomes) assert.ok(o.ok && (o.values['username'] as string).length <= 20)
  })

  it('cuts more of the base once the counter has more digits', async () => {
    const generator = await username(
      'methods: ["e.last_name"]',
      'iteration: { start: 9, max: 10 }',
      'maxLength: 6',
      'uniqueIn: directory.users.sAMAccountName',
    )
    const outcomes = run(
      generator,
      { uniqueness: taken({ sam: ['abcdef', 'abcde9'] }) },
      employee('1', 'X', 'abcdefgh'),
    )
    assert.deepEqual(brief(outcomes), [{ username: 'abcd10' }])
  })

  it('builds counter values from a pattern over :base and :n, shortening the base to fit', async () => {
    const generator = await username(
      'methods: ["lower(e.last_name)"]',
      'iteration: { start: 1, max: 3, pattern: ":base || \'_\' || to_text(:n) || upper(left(e.first_name, 1))" }',
      'maxLength: 8',
      'uniqueIn: directory.users.sAMAccountName',
    )
    const outcomes = run(
      generator,
      { uniqueness: taken({ sam: ['lindgren', 'lindg_1A'] }) },
      employee('1', 'Astrid', 'Lindgren'),
    )
    assert.deepEqual(brief(outcomes), [{ username: 'lindg_2A' }])
  })

  it('checks uniqueness case-insensitively, in the vault and among the names handed out in the run', async () => {
    const generator = await username(
      'methods: ["e.first_name || e.last_name"]',
      'iteration: { max: 5 }',
      'uniqueIn: directory.users.sAMAccountName',
    )
    const handedOut = new HandedOutNames()
    const outcomes = run(
      generator,
      { uniqueness: taken({ sam: ['ANNSMITH'] }), handedOut },
      employee('1', 'Ann', 'Smith'),
      employee('2', 'ann', 'SMITH'),
      employee('3', 'Bob', 'Lee'),
    )
    assert.deepEqual(brief(outcomes), [{ username: 'AnnSmith2' }, { username: 'annSMITH3' }, { username: 'BobLee' }])
    assert.equal(handedOut.isTaken(SAM, 'annsmith3'), true)
    // A second generator of the same run sees what the first handed out.
    assert.deepEqual(brief(run(generator, { uniqueness: taken(), handedOut }, employee('4', 'Bob', 'LEE'))), [
      { username: 'BobLEE2' },
    ])
  })

  it("does not count a value found in the vault as taken when it is the row's own", async () => {
    const generator = await username('methods: ["lower(e.last_name)"]', 'uniqueIn: directory.users.sAMAccountName')
    const names = createNameGenerator(generator, EMPLOYEES.scope, { uniqueness: taken({ sam: ['doe'] }) })
    const row = EMPLOYEES.toEvalRow(employee('1', 'John', 'Doe'))
    assert.equal(names.generate(row).ok, false)
    const own = names.generate(row, { isOwn: (column, value) => column.column === 'sAMAccountName' && value === 'doe' })
    assert.deepEqual(own.ok && own.values, { username: 'doe' })
  })

  it('fails only the row whose methods and counter are all taken, naming the row, the name and what it tried', async () => {
    const generator = await username(...SAM_20.map((l) => l.replace('max: 99', 'max: 4')))
    const outcomes = run(
      generator,
      { uniqueness: taken({ sam: ['jdoe', 'john.doe', 'jdoe2', 'jdoe3', 'jdoe4'] }) },
      employee('E7', 'John', 'Doe'),
      employee('E8', 'Jane', 'Doe'),
    )
    assert.deepEqual(brief(outcomes), ['ENG_NAMES_EXHAUSTED', { username: 'jane.doe' }])
    const failure = outcomes[0]!
    assert.ok(!failure.ok)
    assert.equal(
      failure.error.message,
      "Every value of name 'username' of name generator 'g' is taken for row E7: tried jdoe, john.doe, jdoe2, jdoe3, jdoe4.",
    )
    assert.match(
      failure.error.hint ?? '',
      /a higher iteration\.max \(now 4\).*directory\.users\.sAMAccountName; the other rows go on\./,
    )
    assert.deepEqual(failure.error.details, {
      generator: 'g',
      name: 'username',
      row: 'E7',
      methods: ['left(e.first_name, 1) || e.last_name', "e.first_name || '.' || e.last_name"],
      iteration: { start: 2, max: 4 },
      uniqueIn: ['directory.users.sAMAccountName'],
      tried: ['jdoe', 'john.doe', 'jdoe2', 'jdoe3', 'jdoe4'],
      triedCount: 5,
    })
  })

  it('skips methods whose value is null or empty, and fails the row when every method is empty', async () => {
    const generator = await username(
      'methods: ["e.middle_name", "e.first_name || \'\'", "e.last_name"]',
      "allowedCharacters: '[a-z]'",
      'lowercase: true',
    )
    const outcomes = run(
      generator,
      { uniqueness: NOTHING_TAKEN },
      employee('1', null, 'Doe'),
      employee('2', '!!!', null),
      employee('3', null, null, '  '),
    )
    assert.deepEqual(brief(outcomes), [{ username: 'doe' }, 'ENG_NAME_EMPTY', 'ENG_NAME_EMPTY'])
    const empty = outcomes[1]!
    assert.ok(!empty.ok)
    assert.equal(
      empty.error.message,
      "Every method of name 'username' of name generator 'g' gives an empty value for row 2.",
    )
  })

  it('transliterates unicode names by default, or keeps them when told not to', async () => {
    const rows = [
      employee('1', 'Łukasz', 'Ærøskøbing'),
      employee('2', 'Siobhán', "O'Brien"),
      employee('3', 'Jürgen', 'Dröge-Müller'),
      employee('4', 'Þóra', 'Straße'),
    ]
    const ascii = await username(
      'methods: ["e.first_name || \'.\' || e.last_name"]',
      'lowercase: true',
      "allowedCharacters: '[a-z0-9.-]'",
    )
    assert.deepEqual(brief(run(ascii, { uniqueness: NOTHING_TAKEN }, ...rows)), [
      { username: 'lukasz.aeroskobing' },
      { username: 'siobhan.obrien' },
      { username: 'jurgen.droge-muller' },
      { username: 'thora.strasse' },
    ])
    const kept = await username(
      'methods: ["e.first_name || \'.\' || e.last_name"]',
      'transliterate: false',
      'maxLength: 10',
    )
    assert.deepEqual(brief(run(kept, { uniqueness: NOTHING_TAKEN }, rows[0]!, rows[3]!)), [
      { username: 'Łukasz.Ærø' },
      { username: 'Þóra.Straß' },
    ])
  })

  it('treats values that look like SQL as plain text', async () => {
    const generator = await username(
      'methods: ["e.last_name"]',
      'iteration: { max: 3 }',
      'uniqueIn: directory.users.sAMAccountName',
    )
    const hostile = "x'); DROP TABLE users; --"
    const outcomes = run(
      generator,
      { uniqueness: taken({ sam: [hostile.toUpperCase()] }) },
      employee('1', 'A', hostile),
      employee('2', 'B', "' OR '1'='1"),
    )
    assert.deepEqual(brief(outcomes), [{ username: `${hostile}2` }, { username: "' OR '1'='1" }])
  })

  it('gives later names the earlier ones as generated.<name>, and keeps multi-valued names as lists', async () => {
    const generator = await nameGenerator(
      [
        'kind: NameGenerator',
        'name: g',
        'names:',
        '  username:',
        '    methods: ["lower(left(e.first_name, 1) || e.last_name)"]',
        '    iteration: { max: 9 }',
        '    uniqueIn: directory.users.sAMAccountName',
        '  mail:',
        '    methods: ["generated.username || \'@corp.example\'"]',
        "    iteration: { max: 9, pattern: \"replace(:base, '@', :n || '@')\" }",
        '    uniqueIn: [directory.users.mail, directory.users.proxyAddresses]',
        '  proxyAddresses:',
        '    multiValued: true',
        '    methods:',
        '      - "\'SMTP:\' || generated.mail"',
        "      - \"'smtp:' || generated.username || '@old.example'\"",
        '      - "\'SMTP:\' || generated.mail"',
        '      - e.aliases',
        '    uniqueIn: directory.users.proxyAddresses',
      ].join('\n'),
    )
    const outcomes = run(
      generator,
      { uniqueness: taken({ sam: ['jdoe'], mail: ['JDoe2@corp.example'], proxy: ['smtp:jdoe3@old.example.org'] }) },
      employee('1', 'John', 'Doe', null, ['x500:a', 'X500:A', 'x500:b']),
      employee('2', 'Jane', 'Doe'),
    )
    assert.deepEqual(brief(outcomes), [
      {
        username: 'jdoe2',
        mail: 'jdoe22@corp.example',
        proxyAddresses: ['SMTP:jdoe22@corp.example', 'smtp:jdoe2@old.example', 'x500:a', 'x500:b'],
      },
      {
        username: 'jdoe3',
        mail: 'jdoe3@corp.example',
        proxyAddresses: ['SMTP:jdoe3@corp.example', 'smtp:jdoe3@old.example'],
      },
    ])
  })

  it('fails the row when a value of a multi-valued name is taken', async () => {
    const generator = await nameGenerator(
      [
        'kind: NameGenerator',
        'name: g',
        'names:',
        '  proxyAddresses:',
        '    multiValued: true',
        "    methods: [\"'SMTP:' || lower(e.last_name) || '@corp.example'\"]",
        '    uniqueIn: directory.users.proxyAddresses',
      ].join('\n'),
    )
    const outcomes = run(
      generator,
      { uniqueness: taken({ proxy: ['smtp:doe@corp.example'] }) },
      employee('1', 'John', 'Doe'),
      employee('2', 'Jane', 'Roe'),
      employee('3', 'Jim', 'Roe'),
    )
    assert.deepEqual(brief(outcomes), [
      'ENG_NAME_TAKEN',
      { proxyAddresses: ['SMTP:roe@corp.example'] },
      'ENG_NAME_TAKEN',
    ])
    const third = outcomes[2]!
    assert.ok(!third.ok)
    assert.equal(
      third.error.message,
      "Value 'SMTP:roe@corp.example' of multi-valued name 'proxyAddresses' of name generator 'g' was handed out to another row of this run, for row 3.",
    )
  })

  it('does not hand out the names of a row that fails', async () => {
    const generator = await nameGenerator(
      [
        'kind: NameGenerator',
        'name: g',
        'names:',
        '  username:',
        '    methods: ["lower(e.last_name)"]',
        '    uniqueIn: directory.users.sAMAccountName',
        '  mail:',
        '    methods: ["e.middle_name"]',
      ].join('\n'),
    )
    const handedOut = new HandedOutNames()
    const outcomes = run(
      generator,
      { uniqueness: taken(), handedOut },
      employee('1', 'A', 'Doe'),
      employee('2', 'B', 'Doe', 'm'),
    )
    assert.deepEqual(brief(outcomes), ['ENG_NAME_EMPTY', { username: 'doe', mail: 'm' }])
  })

  it('refuses to build a generator whose expressions do not fit the rows', async () => {
    const generator = await username('methods: ["e.number", "e.frist_name"]')
    assert.throws(
      () => createNameGenerator(generator, EMPLOYEES.scope, { uniqueness: NOTHING_TAKEN }),
      (error: Error & { code?: string; issues?: unknown[] }) =>
        error.code === 'ENG_INVALID_GENERATOR' && error.issues?.length === 2,
    )
  })

  it('never guesses when a uniqueIn column was not loaded', async () => {
    const generator = await username('methods: ["e.last_name"]', 'uniqueIn: directory.users.sAMAccountName')
    const names = createNameGenerator(generator, EMPLOYEES.scope, { uniqueness: new TakenValues() })
    assert.throws(() => names.generate(EMPLOYEES.toEvalRow(employee('1', 'A', 'B'))), /were not loaded/)
  })
})
