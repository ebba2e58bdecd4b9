import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** A filter over the fixture's systems for the generators to name. */
const NEEDS_ACCOUNT = yaml(
  'kind: Filter',
  'name: needs_account',
  'start: hr.employees AS e',
  'joins:',
  '  - { table: directory.users AS u, mode: none, via: employee_account }',
)

/** Validates the fixture project with `generators/g.yaml` holding `lines`. */
async function generator(...lines: string[]) {
  return validateWith({ 'filters/f.yaml': NEEDS_ACCOUNT, 'generators/g.yaml': yaml(...lines) })
}

const head = ['kind: NameGenerator', 'name: g'] // lines 1-2

describe('NameGenerator kind', () => {
  it('resolves the brief example with defaults applied and names in order', async () => {
    const { project, issues } = await generator(
      'kind: NameGenerator', // 1
      'name: account_names', // 2
      'description: Account names', // 3
      'filter: Needs_Account', // 4: any case
      'names:', // 5
      '  username:', // 6
      '    methods:', // 7
      '      - "left(e.first_name, 1) || e.last_name"', // 8
      `      - "e.first_name || '.' || e.last_name"`, // 9
      '    iteration: { start: 2, max: 99 }', // 10
      '    maxLength: 20', // 11
      '    lowercase: true', // 12
      '    allowedCharacters: "[a-z0-9.-]"', // 13
      '    transliterate: true', // 14
      '    uniqueIn: [DIRECTORY.users.dn, directory.users.mail, directory.users.dn]', // 15
      '  mail:', // 16
      `    methods: ["generated.username || '@corp.example'"]`, // 17
      '    uniqueIn: directory.users.mail', // 18
      '  proxyAddresses:', // 19
      '    multiValued: true', // 20
      `    methods: ["'SMTP:' || generated.mail", "split(e.ssn, ',')"]`, // 21
    )
    assert.deepEqual(issues, [])
    const resolved = project.nameGenerators[0]
    assert.ok(resolved)
    const { document, ...rest } = resolved
    assert.equal(document.name, 'account_names')
    assert.deepEqual(rest, {
      name: 'account_names',
      description: 'Account names',
      filter: 'needs_account',
      names: [
        {
          name: 'username',
          methods: [
            { text: 'left(e.first_name, 1) || e.last_name', path: ['names', 'username', 'methods', 0] },
            { text: "e.first_name || '.' || e.last_name", path: ['names', 'username', 'methods', 1] },
          ],
          iteration: { start: 2, max: 99 },
          maxLength: 20,
          transliterate: true,
          allowedCharacters: '[a-z0-9.-]',
          lowercase: true,
          uniqueIn: [
            { system: 'directory', table: 'users', column: 'dn' },
            { system: 'directory', table: 'users', column: 'mail' },
          ],
          multiValued: false,
          path: ['names', 'username'],
        },
        {
          name: 'mail',
          methods: [{ text: "generated.username || '@corp.example'", path: ['names', 'mail', 'methods', 0] }],
          transliterate: true,
          lowercase: false,
          uniqueIn: [{ system: 'directory', table: 'users', column: 'mail' }],
          multiValued: false,
          path: ['names', 'mail'],
        },
        {
          name: 'proxyAddresses',
          methods: [
            { text: "'SMTP:' || generated.mail", path: ['names', 'proxyAddresses', 'methods', 0] },
            { text: "split(e.ssn, ',')", path: ['names', 'proxyAddresses', 'methods', 1] },
          ],
          transliterate: true,
          lowercase: false,
          uniqueIn: [],
          multiValued: true,
          path: ['names', 'proxyAddresses'],
        },
      ],
      file: 'generators/g.yaml',
    })
  })

  it('applies the iteration defaults and keeps a pattern with its path', async () => {
    const { project, issues } = await generator(
      ...head,
      'names:',
      '  login:',
      '    methods: [e.first_name]',
      '    iteration: { pattern: "left(:base, 6) || \'-\' || :n" }',
      '    uniqueIn: [directory.users.dn]',
    )
    assert.deepEqual(issues, [])
    assert.deepEqual(project.nameGenerators[0]?.names[0]?.iteration, {
      start: 2,
      max: 99,
      pattern: { text: "left(:base, 6) || '-' || :n", path: ['names', 'login', 'iteration', 'pattern'] },
    })
  })

  it('rejects unknown keys with did-you-mean, and names that are not identifiers', async () => {
    const { issues } = await generator(
      ...head,
      'names:', // 3
      '  username:', // 4
      '    method: [e.first_name]', // 5
      '    maxLenght: 20', // 6
      '  mail-address:', // 7
      '    methods: [e.first_name]', // 8
      'uniqueIn: [directory.users.dn]', // 9
    )
    assert.deepEqual(brief(issues), [
      "generators/g.yaml:4:3 CFG_MISSING_KEY Missing required key 'methods' in names.username. | Add `methods:` in names.username.",
      "generators/g.yaml:5:5 CFG_UNKNOWN_KEY Unknown key 'method' in names.username. | Did you mean 'methods'?",
      "generators/g.yaml:6:5 CFG_UNKNOWN_KEY Unknown key 'maxLenght' in names.username. | Did you mean 'maxLength'?",
      "generators/g.yaml:7:3 CFG_INVALID_NAME Name 'mail-address' is not valid: start with a letter or '_', then use only letters, digits and '_' (expressions write it as generated.<name>). | Use a name that starts with a letter and holds only letters, digits and underscores (hr_500).",
      "generators/g.yaml:9:1 CFG_UNKNOWN_KEY Unknown key 'uniqueIn'. | Remove the key; allowed keys here are kind, name, description, filter, names.",
    ])
  })

  it('reports an unknown filter with did-you-mean, and unknown or non-text uniqueIn columns', async () => {
    const { project, issues } = await generator(
      ...head,
      'filter: needs_acount', // 3
      'names:', // 4
      '  username:', // 5
      '    methods: [e.first_name]', // 6
      '    uniqueIn: [directory.users.mial, directory.users.uid, directory.users.memberOf, nowhere.users.x]', // 7
    )
    assert.deepEqual(brief(issues), [
      "generators/g.yaml:3:9 CFG_UNKNOWN_DOCUMENT There is no filter 'needs_acount' (kind Filter) in the project. | Did you mean 'needs_account'?",
      "generators/g.yaml:7:16 CFG_UNKNOWN_COLUMN Column 'mial' is not declared in table 'directory.users'. | Did you mean 'directory.users.mail'?",
      "generators/g.yaml:7:38 CFG_TYPE_MISMATCH Name 'username' is text, but uniqueIn column 'directory.users.uid' is integer; they cannot be compared. | Name a column of type string or string[].",
      "generators/g.yaml:7:85 CFG_UNKNOWN_SYSTEM System 'nowhere' is not declared in the project. | Use one of the project's systems: directory, hr.",
    ])
    assert.deepEqual(project.nameGenerators, [])
  })

  it('reports generated.<name> of a later, unknown or its own name, and of the password, at the expression', async () => {
    const { issues } = await generator(
      ...head,
      'names:', // 3
      '  username:', // 4
      `    methods: ["generated.mail || 'x'", generated.username]`, // 5
      '  mail:', // 6
      `    methods: ["generated.usrname || '@x'", "generated.password"]`, // 7
    )
    assert.deepEqual(brief(issues), [
      "generators/g.yaml:5:15 CFG_UNKNOWN_GENERATED_NAME Name 'username' uses generated.mail, which is generated after it. | Move 'mail' above 'username' under `names:`: a name sees only the names before it.",
      "generators/g.yaml:5:40 CFG_UNKNOWN_GENERATED_NAME Name 'username' uses generated.username, its own value. | Build the name from the filter row and the names declared before it.",
      "generators/g.yaml:7:15 CFG_UNKNOWN_GENERATED_NAME Name 'mail' uses generated.usrname, but the generator has no name 'usrname'. | Did you mean 'generated.username'?",
      "generators/g.yaml:7:44 CFG_UNKNOWN_GENERATED_NAME Name 'mail' uses generated.password; a password never goes into a name. | Names appear in plans, logs and the vault; build the name from the filter row and earlier names.",
    ])
    assert.equal(issues[0]?.excerpt, "generated.mail || 'x'\n^^^^^^^^^^^^^^")
  })

  it('reports syntax errors of methods and patterns at the character, and a pattern without :n', async () => {
    const { issues } = await generator(
      ...head,
      'names:', // 3
      '  username:', // 4
      '    methods: ["left(e.first_name, 1 || e.last_name"]', // 5
      '    iteration: { pattern: "left(:base, 18) || \'x\'" }', // 6
      '    uniqueIn: directory.users.dn', // 7
      '  other:', // 8
      '    methods: [e.first_name]', // 9
      '    iteration: { pattern: "left(:base,, 2)" }', // 10
      '    uniqueIn: directory.users.dn', // 11
    )
    assert.deepEqual(
      brief(issues).map((line) => line.split(' | ')[0]),
      [
        "generators/g.yaml:5:51 EXPR_SYNTAX Expected ')' to close the '(' at 1:5, found the end of the expression.",
        "generators/g.yaml:6:27 CFG_INVALID_VALUE The pattern of name 'username' does not use the counter :n, so every iteration gives the same value.",
        "generators/g.yaml:10:39 EXPR_SYNTAX Expected a value, a column or a function call, found ','.",
      ],
    )
  })

  it('checks iterations: ranges, multi-valued names, room for the counter, digits allowed, uniqueIn present', async () => {
    const { issues } = await generator(
      ...head,
      'names:', // 3
      '  a:', // 4
      '    methods: [e.first_name]', // 5
      '    iteration: { start: 5, max: 3 }', // 6
      '    uniqueIn: directory.users.dn', // 7
      '  b:', // 8
      '    methods: [e.first_name]', // 9
      '    multiValued: true', // 10
      '    iteration: {}', // 11
      '  c:', // 12
      '    methods: [e.first_name]', // 13
      '    iteration: { max: 100 }', // 14
      '    maxLength: 3', // 15
      "    allowedCharacters: '[a-z]'", // 16
      '    lowercase: true', // 17
      '    uniqueIn: directory.users.dn', // 18
    )
    assert.deepEqual(brief(issues), [
      'generators/g.yaml:6:33 CFG_INVALID_VALUE iteration.start (5) is greater than iteration.max (3). | Make max at least start; the counter runs from start to max.',
      "generators/g.yaml:11:5 CFG_INVALID_VALUE Name 'b' is multi-valued and has an iteration; a counter applies to a single value only. | Remove `iteration:`, or `multiValued: true`.",
      "generators/g.yaml:15:16 CFG_INVALID_VALUE maxLength 3 of name 'c' leaves no room for a base before the counter (up to 100). | Raise maxLength, or lower iteration.max.",
      "generators/g.yaml:16:24 CFG_INVALID_VALUE allowedCharacters of name 'c' drops digits, so the counter of its iteration would be dropped too. | Allow 0-9 in the class, or give the iteration a pattern that adds no digits.",
    ])
    assert.ok(issues.every((i) => i.severity === undefined))
  })

  it('warns that an iteration without uniqueIn is never used, and still resolves the generator', async () => {
    const { project, issues } = await generator(
      ...head,
      'names:',
      '  a:',
      '    methods: [e.first_name]',
      '    iteration: {}',
    )
    assert.deepEqual(brief(issues), [
      "generators/g.yaml:6:5 CFG_INVALID_VALUE Name 'a' has an iteration but no uniqueIn, so its first method's value is never taken and the counter never used. | Add `uniqueIn:` with the columns the name must be unique in, or remove `iteration:`.",
    ])
    assert.equal(issues[0]?.severity, 'warning')
    assert.equal(project.nameGenerators.length, 1)
  })

  it('checks allowedCharacters is one character class, and warns when it drops upper case that is kept', async () => {
    const { issues } = await generator(
      ...head,
      'names:', // 3
      '  a:', // 4
      '    methods: [e.first_name]', // 5
      "    allowedCharacters: '[a-z]+'", // 6
      '  b:', // 7
      '    methods: [e.first_name]', // 8
      "    allowedCharacters: '[a-z][0-9]'", // 9
      '  c:', // 10
      '    methods: [e.first_name]', // 11
      "    allowedCharacters: '[a-z'", // 12
      '  d:', // 13
      '    methods: [e.first_name]', // 14
      "    allowedCharacters: '[a-z0-9]'", // 15
    )
    assert.deepEqual(
      brief(issues).map((line) => line.split(' | ')[0]),
      [
        "generators/g.yaml:6:24 CFG_INVALID_VALUE allowedCharacters of name 'a' is not one regular-expression character class.",
        "generators/g.yaml:9:24 CFG_INVALID_VALUE allowedCharacters of name 'b' is not one regular-expression character class.",
        "generators/g.yaml:12:24 CFG_INVALID_VALUE allowedCharacters of name 'c' is not one regular-expression character class.",
        "generators/g.yaml:15:24 CFG_INVALID_VALUE allowedCharacters of name 'd' drops upper-case letters, and the name is not lower-cased first.",
      ],
    )
    assert.deepEqual(
      issues.map((i) => i.severity ?? 'error'),
      ['error', 'error', 'error', 'warning'],
    )
  })

  it('reserves the name password, and rejects names that differ only in case or no names at all', async () => {
    const { issues } = await validateWith({
      'generators/g.yaml': [
        yaml(
          ...head,
          'names:',
          '  Password: { methods: [e.first_name] }',
          '  mail: { methods: [x] }',
          '  Mail: { methods: [y] }',
        ),
        yaml('kind: NameGenerator', 'name: empty', 'names: {}'),
      ].join('---\n'),
    })
    assert.deepEqual(
      brief(issues).map((line) => line.split(' | ')[0]),
      [
        "generators/g.yaml:4:3 CFG_INVALID_NAME Name 'Password' is reserved: generated.password is the value of the mapping's password generator.",
        "generators/g.yaml:6:3 CFG_INVALID_NAME Names 'mail' and 'Mail' differ only in case.",
        'generators/g.yaml:10:8 CFG_INVALID_VALUE The name generator declares no names.',
      ],
    )
  })

  it('does not resolve a generator whose filter has errors of its own, and does not report it twice', async () => {
    const { project, issues } = await validateWith({
      'filters/f.yaml': yaml('kind: Filter', 'name: broken', 'start: hr.nothing AS e'),
      'generators/g.yaml': yaml(...head, 'filter: broken', 'names:', '  a: { methods: [e.first_name] }'),
    })
    assert.deepEqual(
      issues.map((i) => `${i.file} ${i.code}`),
      ['filters/f.yaml CFG_UNKNOWN_TABLE'],
    )
    assert.deepEqual(project.nameGenerators, [])
  })

  it('takes hostile text as data: SQL-looking and unicode expressions parse or fail like any other', async () => {
    const { project, issues } = await generator(
      ...head,
      'names:',
      '  a:',
      `    methods: ["e.first_name || '''; DROP TABLE users; --'", "'Ærøskøbing' || e.last_name"]`,
    )
    assert.deepEqual(issues, [])
    assert.equal(project.nameGenerators[0]?.names[0]?.methods[0]?.text, "e.first_name || '''; DROP TABLE users; --'")
  })
})
