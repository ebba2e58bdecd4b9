import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { NameGeneratorConfig, PasswordGeneratorConfig } from './engine-model.ts'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { mappingKind } from './mapping-kind.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** Who needs an account: employees without a directory user; `unit` has no default. */
const FILTERS = [
  yaml(
    'kind: Filter',
    'name: needs_account',
    'start: hr.employees AS e',
    'parameters:',
    "  today: { type: date, default: '2026-12-01' }",
    '  unit: string',
    '  grades: { type: integer, default: 1 }',
    'joins:',
    '  - { table: directory.users AS u, mode: none, via: employee_account }',
    'columns:',
    '  account_name: lower(e.first_name)',
  ),
  yaml('kind: Filter', 'name: everyone', 'start: hr.employees AS e'),
  yaml('kind: Filter', 'name: broken', 'start: hr.nothing AS n'),
].join('---\n')

/** Validates the fixture project plus the filters and `mappings/m.yaml` holding `lines`. */
async function mapping(...lines: string[]) {
  return validateWith({ 'filters/f.yaml': FILTERS, 'mappings/m.yaml': yaml(...lines) })
}

/** Every issue of the mapping file (the fixture's own documents are valid), as brief lines. */
async function issuesOf(...lines: string[]) {
  const { issues } = await mapping(...lines)
  return brief(issues.filter((i) => i.file === 'mappings/m.yaml'))
}

const head = ['kind: Mapping', 'name: m'] // lines 1-2

describe('Mapping kind', () => {
  it('resolves a mapping with names as declared, parameter values parsed and expressions kept as text', async () => {
    const { project, issues } = await mapping(
      ...head,
      'description: Accounts for new employees.', // 3
      'system: Directory', // 4
      'table: users', // 5
      'function: users_create', // 6
      'filter: NEEDS_ACCOUNT', // 7
      "parameters: { unit: EN_DOC, today: '2026-11-30' }", // 8
      'attributes:', // 9
      '  dn: "\'cn=\' || account_name"', // 10
      '  uid: 42', // 11
      '  enabled: true', // 12
      '  mail:', // 13
    )
    assert.deepEqual(
      issues.filter((i) => i.file === 'mappings/m.yaml'),
      [],
    )
    const { document, ...resolved } = project.mappings[0]!
    assert.equal(document.name, 'm')
    assert.deepEqual(resolved, {
      name: 'm',
      description: 'Accounts for new employees.',
      system: 'directory',
      table: 'users',
      function: 'users_create',
      filter: 'needs_account',
      parameters: { unit: 'EN_DOC', today: '2026-11-30' },
      attributes: [
        { name: 'dn', expression: { text: "'cn=' || account_name", path: ['attributes', 'dn'] } },
        { name: 'uid', expression: { text: '42', path: ['attributes', 'uid'] } },
        { name: 'enabled', expression: { text: 'true', path: ['attributes', 'enabled'] } },
        { name: 'mail', expression: { text: 'null', path: ['attributes', 'mail'] } },
      ],
      file: 'mappings/m.yaml',
    })
  })

  it('keeps the key and defaults attributes to none', async () => {
    const { project, issues } = await mapping(
      ...head,
      'system: directory',
      'table: users',
      'function: users_delete',
      'filter: everyone',
      'key: e.employee_id',
    )
    assert.deepEqual(
      issues.filter((i) => i.file === 'mappings/m.yaml'),
      [],
    )
    const m = project.mappings[0]!
    assert.deepEqual(m.key, { text: 'e.employee_id', path: ['key'] })
    assert.deepEqual([m.attributes, m.parameters, m.nameGenerator, m.passwordGenerator], [[], {}, undefined, undefined])
  })

  it('reports every schema problem at once, positioned', async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'system: directory', // 3
        'tabel: users', // 4
        'function: ""', // 5
        'filter: everyone', // 6
        'attributes:', // 7
        '  a: [x]', // 8
        '  b: "  "', // 9
      ),
      [
        "mappings/m.yaml:1:1 CFG_MISSING_KEY Missing required key 'table'. | Add `table:`.",
        "mappings/m.yaml:4:1 CFG_UNKNOWN_KEY Unknown key 'tabel'. | Did you mean 'table'?",
        'mappings/m.yaml:5:11 CFG_INVALID_VALUE Expected text of at least 1 character. | Correct the value as the message describes.',
        'mappings/m.yaml:8:6 CFG_INVALID_VALUE Expected an expression (text), a number, true, false or nothing (null), received a list. | Correct the value as the message describes.',
        'mappings/m.yaml:9:6 CFG_INVALID_VALUE Expected text of at least 1 character. | Correct the value as the message describes.',
      ],
    )
  })

  it('reports unknown systems, tables, filters and generators with did-you-mean, all at once', async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'system: directry', // 3
        'table: users', // 4
        'function: users_create', // 5
        'filter: needs_acount', // 6
        'nameGenerator: names', // 7
        'passwordGenerator: pw', // 8
      ),
      [
        "mappings/m.yaml:3:9 CFG_UNKNOWN_SYSTEM System 'directry' is not declared in the project. | Did you mean 'directory'?",
        "mappings/m.yaml:6:9 CFG_UNKNOWN_DOCUMENT There is no filter 'needs_acount' (kind Filter) in the project. | Did you mean 'needs_account'?",
        "mappings/m.yaml:7:16 CFG_UNKNOWN_DOCUMENT There is no name generator 'names' (kind NameGenerator) in the project. | Add a NameGenerator document named 'names'.",
        "mappings/m.yaml:8:20 CFG_UNKNOWN_DOCUMENT There is no password generator 'pw' (kind PasswordGenerator) in the project. | Add a PasswordGenerator document named 'pw'.",
      ],
    )
    assert.deepEqual(await issuesOf(...head, 'system: directory', 'table: user', 'function: f', 'filter: nobody'), [
      "mappings/m.yaml:4:8 CFG_UNKNOWN_TABLE Table 'user' is not declared in system 'directory'. | Did you mean 'users'?",
      "mappings/m.yaml:6:9 CFG_UNKNOWN_DOCUMENT There is no filter 'nobody' (kind Filter) in the project. | Use one of the project's filters: needs_account, everyone, broken.",
    ])
  })

  it("checks the filter's parameter values: known, of their type, and given when there is no default", async () => {
    assert.deepEqual(
      await issuesOf(
        ...head,
        'system: directory', // 3
        'table: users', // 4
        'function: f', // 5
        'filter: needs_account', // 6
        'parameters:', // 7
        '  todya: 2026-12-01', // 8
        '  grades: 2.5', // 9
        "  today: 'soon'", // 10
      ),
      [
        "mappings/m.yaml:7:1 CFG_MISSING_KEY Filter 'needs_account' needs a value for parameter 'unit' (string, no default); the mapping gives none. | Add `unit: <value>` under `parameters:`.",
        "mappings/m.yaml:8:3 CFG_UNKNOWN_KEY Filter 'needs_account' has no parameter 'todya'. | Did you mean 'today'?",
        "mappings/m.yaml:9:11 CFG_INVALID_VALUE Parameter 'grades' of filter 'needs_account' is integer: expected a whole number within ±9007199254740991. | Write a value of type integer, as the filter's parameter defaults are written (docs/configuration.md, Kind Filter).",
        "mappings/m.yaml:10:10 CFG_INVALID_VALUE Parameter 'today' of filter 'needs_account' is date: expected a date written 'YYYY-MM-DD' that exists. | Write a value of type date, as the filter's parameter defaults are written (docs/configuration.md, Kind Filter).",
      ],
    )
    assert.deepEqual(
      await issuesOf(...head, 'system: directory', 'table: users', 'function: f', 'filter: needs_account'),
      [
        "mappings/m.yaml:6:1 CFG_MISSING_KEY Filter 'needs_account' needs a value for parameter 'unit' (string, no default); the mapping gives none. | Add `parameters: { unit: <value> }` to the mapping, or give the filter's parameter a default.",
      ],
    )
  })

  it('takes hostile text as plain values: SQL in a parameter value, unicode and quotes in names', async () => {
    const { project, issues } = await mapping(
      ...head,
      'system: directory',
      'table: users',
      'function: f',
      'filter: needs_account',
      `parameters: { unit: "x'); DROP TABLE users; --" }`,
      'attributes:',
      `  "naïve'; DROP TABLE users; --": "'Zoë'' %_ 😀'"`,
    )
    assert.deepEqual(
      issues.filter((i) => i.file === 'mappings/m.yaml'),
      [],
    )
    const m = project.mappings[0]!
    assert.deepEqual(m.parameters, { unit: "x'); DROP TABLE users; --" })
    assert.deepEqual(m.attributes[0], {
      name: "naïve'; DROP TABLE users; --",
      expression: { text: "'Zoë'' %_ 😀'", path: ['attributes', "naïve'; DROP TABLE users; --"] },
    })
  })

  it('reports syntax errors of the key and attributes at the character, and names that differ only in case', async () => {
    const { project, issues } = await mapping(
      ...head,
      'system: directory', // 3
      'table: users', // 4
      'function: f', // 5
      'filter: everyone', // 6
      'key: e.employee_id +', // 7
      'attributes:', // 8
      '  mail: "lower(e.first_name"', // 9
      '  Mail: e.first_name', // 10
      '  cn: Created by Provisio', // 11
      '  sn: e.nothing', // 12: names are the engine's to check
    )
    assert.deepEqual(
      brief(issues.filter((i) => i.file === 'mappings/m.yaml')).map((l) => l.split(' | ')[0]),
      [
        'mappings/m.yaml:7:21 EXPR_SYNTAX Expected a value, a column or a function call, found the end of the expression.',
        "mappings/m.yaml:9:28 EXPR_SYNTAX Expected ')' to close the '(' at 1:6, found the end of the expression.",
        "mappings/m.yaml:10:3 CFG_DUPLICATE_KEY Attribute 'Mail' differs from attribute 'mail' only in case.",
        "mappings/m.yaml:11:15 EXPR_SYNTAX Unexpected 'by' after the end of the expression.",
      ],
    )
    assert.equal(issues.find((i) => i.line === 7)?.hint, undefined)
    assert.equal(
      issues.find((i) => i.line === 11)?.hint,
      `Text constants are quoted inside the YAML value: "'Created by Provisio'"; an expression joins columns and text with || (e.first_name || ' ' || e.last_name).`,
    )
    assert.deepEqual(project.mappings, [])
  })

  it('says nothing more about a filter that has errors of its own, and does not resolve the mapping', async () => {
    const { project, issues } = await mapping(
      ...head,
      'system: directory',
      'table: users',
      'function: f',
      'filter: broken',
    )
    assert.deepEqual(
      issues.filter((i) => i.file === 'mappings/m.yaml'),
      [],
    )
    assert.ok(issues.some((i) => i.file === 'filters/f.yaml'))
    assert.deepEqual(project.mappings, [])
  })

  it('resolves generators by name regardless of case, with their names as declared', async () => {
    const { project } = await mapping(
      ...head,
      'system: directory',
      'table: users',
      'function: users_create',
      'filter: everyone',
      'nameGenerator: ACCOUNT_names',
      'passwordGenerator: Initial',
    )
    const document = project.documents.find((d) => d.kind === 'Mapping')!
    const nameGenerator = { name: 'account_names' } as NameGeneratorConfig
    const passwordGenerator = { name: 'initial' } as PasswordGeneratorConfig
    const { value, issues } = mappingKind.validate(document, {
      ...project,
      nameGenerators: [nameGenerator],
      passwordGenerators: [passwordGenerator],
    })
    assert.deepEqual(issues, [])
    assert.deepEqual([value?.nameGenerator, value?.passwordGenerator], ['account_names', 'initial'])
  })
})
