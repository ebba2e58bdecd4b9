import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** Validates the fixture project with `filters/f.yaml` holding `lines`. */
async function filter(...lines: string[]) {
  return validateWith({ 'filters/f.yaml': yaml(...lines) })
}

/** Errors only, as brief lines. */
async function errors(...lines: string[]) {
  const { issues } = await filter(...lines)
  return brief(issues.filter((i) => i.severity !== 'warning'))
}

const head = ['kind: Filter', 'name: f'] // lines 1-2

/** The brief's example, on the fixture's systems. */
const example = [
  'kind: Filter', // 1
  'name: employees_without_account', // 2
  'description: Active employees who need a directory account.', // 3
  'start: hr.employees AS e', // 4
  'parameters:', // 5
  '  unit: { type: string, default: EN_DOC }', // 6
  '  since: date', // 7
  "  at: { type: datetime, default: '2026-01-31 11:00:00+01:00' }", // 8
  "  tags: { type: 'string[]', default: [b, a, b] }", // 9
  "where: e.gender != 'X' and (:since is null or e.birth_date < :since)", // 10
  'joins:', // 11
  '  - table: hr.contracts AS c', // 12
  '    mode: any', // 13
  '    via: Contracts_Employee_Id', // 14
  '    where: c.start_date <= today() and (c.end_date is null or c.end_date >= today())', // 15
  '    joins:', // 16
  '      - table: hr.departments AS d', // 17
  '        mode: optional', // 18
  '  - table: directory.users AS u', // 19
  '    mode: none', // 20
  '    via: employee_account', // 21
  'lookups:', // 22
  '  - name: group_exists', // 23
  '    mode: exclude', // 24
  `    value: "'DEPGRP_' || d.unit"`, // 25
  '    in: directory.groups.cn', // 26
  '    caseInsensitive: true', // 27
  '  - mode: include', // 28
  '    value: e.employee_id', // 29
  '    in: directory.users.employeeID', // 30
  'columns:', // 31
  `  group_name: "'DEPGRP_' || d.unit"`, // 32
  'output: [e.employee_id, e.first_name, c.job_title, group_name, d.*]', // 33
]

describe('Filter kind', () => {
  it('resolves a valid filter as filter-model.ts describes it', async () => {
    const { project, issues } = await filter(...example)
    assert.deepEqual(issues, [])
    assert.equal(project.filters.length, 1)
    const { document, ...resolved } = project.filters[0]!
    assert.equal(document.name, 'employees_without_account')
    assert.deepEqual(resolved, {
      name: 'employees_without_account',
      description: 'Active employees who need a directory account.',
      start: { system: 'hr', table: 'employees', alias: 'e' },
      where: "e.gender != 'X' and (:since is null or e.birth_date < :since)",
      parameters: [
        { name: 'unit', type: 'string', default: 'EN_DOC', path: ['parameters', 'unit'] },
        { name: 'since', type: 'date', path: ['parameters', 'since'] },
        { name: 'at', type: 'datetime', default: '2026-01-31T10:00:00.000Z', path: ['parameters', 'at'] },
        { name: 'tags', type: 'string[]', default: ['a', 'b'], path: ['parameters', 'tags'] },
      ],
      joins: [
        {
          system: 'hr',
          table: 'contracts',
          alias: 'c',
          mode: 'any',
          via: 'contracts_employee_id',
          through: { kind: 'relation', system: 'hr', name: 'contracts_employee_id' },
          where: 'c.start_date <= today() and (c.end_date is null or c.end_date >= today())',
          joins: [
            {
              system: 'hr',
              table: 'departments',
              alias: 'd',
              mode: 'optional',
              through: { kind: 'relation', system: 'hr', name: 'contracts_unit' },
              joins: [],
              path: ['joins', 0, 'joins', 0],
            },
          ],
          path: ['joins', 0],
        },
        {
          system: 'directory',
          table: 'users',
          alias: 'u',
          mode: 'none',
          via: 'employee_account',
          through: { kind: 'link', name: 'employee_account' },
          joins: [],
          path: ['joins', 1],
        },
      ],
      lookups: [
        {
          name: 'group_exists',
          mode: 'exclude',
          value: "'DEPGRP_' || d.unit",
          in: { system: 'directory', table: 'groups', column: 'cn' },
          caseInsensitive: true,
          path: ['lookups', 0],
        },
        {
          name: 'lookup2',
          mode: 'include',
          value: 'e.employee_id',
          in: { system: 'directory', table: 'users', column: 'employeeID' },
          caseInsensitive: false,
          path: ['lookups', 1],
        },
      ],
      computed: [{ name: 'group_name', expression: "'DEPGRP_' || d.unit", path: ['columns', 'group_name'] }],
      output: ['e.employee_id', 'e.first_name', 'c.job_title', 'group_name', 'd.*'],
      maxMultiplication: 10,
      file: 'filters/f.yaml',
    })
  })

  it('defaults the alias to the table name and leaves optional parts empty', async () => {
    const { project, issues } = await filter(...head, 'start: hr.employees', 'maxMultiplication: 3')
    assert.deepEqual(issues, [])
    const f = project.filters[0]!
    assert.deepEqual(f.start, { system: 'hr', table: 'employees', alias: 'employees' })
    assert.deepEqual(
      [f.parameters, f.joins, f.lookups, f.computed, f.output, f.where],
      [[], [], [], [], undefined, undefined],
    )
    assert.equal(f.maxMultiplication, 3)
  })

  it('rejects unknown keys at any depth of joins, wrong modes and malformed references', async () => {
    assert.deepEqual(
      await errors(
        ...head,
        'start: hr.employees as e', // 3
        'joins:', // 4
        '  - table: hr.contracts AS c', // 5
        '    mode: any', // 6
        '    joins:', // 7
        '      - table: hr.departments AS d', // 8
        '        mode: optinal', // 9
        '        wehre: d.unit is null', // 10
        '  - table: directory.users u', // 11
        '    mode: none', // 12
        'lookups: [{ mode: exclude, value: e.ssn, in: directory.groups }]', // 13
        'maxMultiplication: 0', // 14
      ),
      [
        "filters/f.yaml:9:15 CFG_INVALID_VALUE Expected one of 'any', 'none', 'multiple', 'all', 'optional', received 'optinal'. | Did you mean 'optional'?",
        "filters/f.yaml:10:9 CFG_UNKNOWN_KEY Unknown key 'wehre' in joins[0].joins[0]. | Did you mean 'where'?",
        "filters/f.yaml:11:12 CFG_INVALID_VALUE Expected 'system.table' or 'system.table AS alias' (an alias starts with a letter or '_', then letters, digits and '_'), received 'directory.users u'. | Correct the value as the message describes.",
        "filters/f.yaml:13:46 CFG_INVALID_VALUE Expected 'system.table.column', received 'directory.groups'. | Correct the value as the message describes.",
        'filters/f.yaml:14:20 CFG_INVALID_VALUE Expected a number at least 1, received 0. | Correct the value as the message describes.',
      ],
    )
  })

  it('reports unknown systems, tables and columns with did-you-mean, at the value', async () => {
    assert.deepEqual(
      await errors(
        ...head,
        'start: hr.employes AS e', // 3
        'joins:', // 4
        '  - { table: directry.users AS u, mode: none }', // 5
        'lookups:', // 6
        '  - { mode: exclude, value: "\'x\'", in: directory.groups.cnn }', // 7
      ),
      [
        "filters/f.yaml:3:8 CFG_UNKNOWN_TABLE Table 'employes' is not declared in system 'hr'. | Did you mean 'hr.employees'?",
        "filters/f.yaml:5:14 CFG_UNKNOWN_SYSTEM System 'directry' is not declared in the project. | Did you mean 'directory'?",
        "filters/f.yaml:7:40 CFG_UNKNOWN_COLUMN Column 'cnn' is not declared in table 'directory.groups'. | Did you mean 'directory.groups.cn'?",
      ],
    )
  })

  it('requires unique aliases (regardless of case) that are not computed column names', async () => {
    assert.deepEqual(
      await errors(
        ...head,
        'start: hr.employees AS e', // 3
        'joins:', // 4
        '  - table: hr.contracts AS E', // 5
        '    mode: any', // 6
        '    joins: [{ table: hr.employees, mode: none, via: contracts_employee_id }]', // 7
        '  - { table: hr.employees, mode: any, via: employees_manager_id }', // 8
        'columns:', // 9
        '  c: "\'x\'"', // 10
        '  Employees: "\'y\'"', // 11
      ),
      [
        "filters/f.yaml:5:12 CFG_DUPLICATE_ALIAS Alias 'E' is already used by start (line 3). | Give this table its own alias: `hr.contracts AS E2`.",
        "filters/f.yaml:8:14 CFG_DUPLICATE_ALIAS Alias 'employees' (the table's name, the default alias) is already used by joins[0].joins[0] (line 7). | Give this table its own alias: `hr.employees AS employees2`.",
        "filters/f.yaml:11:3 CFG_DUPLICATE_ALIAS Computed column 'Employees' has the name of the alias of 'hr.employees'. | Rename the computed column, or give the table another alias with AS.",
      ],
    )
  })

  it('parses parameter defaults as their type', async () => {
    assert.deepEqual(
      await errors(
        ...head,
        'start: hr.employees', // 3
        'parameters:', // 4
        '  a: { type: string, default: 42 }', // 5
        '  b: { type: integer, default: 2.5 }', // 6
        '  c: { type: date, default: 2026-02-30 }', // 7
        "  d: { type: datetime, default: '2026-01-31T10:00:00' }", // 8
        '  e: { type: boolean, default: yes }', // 9
        "  f: { type: 'string[]', default: x }", // 10
        '  g: { type: date, default: null }', // 11
        '  h: { type: number, default: 0.5 }', // 12
        '  i: { type: int }', // 13
      ),
      [
        "filters/f.yaml:13:14 CFG_INVALID_VALUE Expected one of 'string', 'integer', 'number', 'boolean', 'date', 'datetime', 'string[]', received 'int'. | Did you mean 'integer'?",
      ],
    )
    // With the type fixed, the defaults are checked.
    assert.deepEqual(
      await errors(
        ...head,
        'start: hr.employees',
        'parameters:',
        '  a: { type: string, default: 42 }',
        '  b: { type: integer, default: 2.5 }',
        '  c: { type: date, default: 2026-02-30 }',
        "  d: { type: datetime, default: '2026-01-31T10:00:00' }",
        '  e: { type: boolean, default: yes }',
        "  f: { type: 'string[]', default: x }",
        '  g: { type: date, default: null }',
        '  h: { type: number, default: 0.5 }',
      ),
      [
        "filters/f.yaml:5:31 CFG_INVALID_VALUE The default of parameter 'a' must be text (its type is string), received 42. | Quote the value so that YAML reads it as text, for example default: '0042'.",
        "filters/f.yaml:6:32 CFG_INVALID_VALUE The default of parameter 'b' must be a whole number within ±9007199254740991 (its type is integer), received 2.5. | Write a value of type integer, or remove the default.",
        "filters/f.yaml:7:29 CFG_INVALID_VALUE The default of parameter 'c' must be a date written 'YYYY-MM-DD' that exists (its type is date), received '2026-02-30'. | Write the date as 'YYYY-MM-DD', for example default: '2026-01-31'.",
        "filters/f.yaml:8:33 CFG_INVALID_VALUE The default of parameter 'd' must be a datetime in ISO 8601 with a zone, such as '2026-01-31T10:00:00Z' (its type is datetime), received '2026-01-31T10:00:00'. | Write the datetime with its zone, for example default: '2026-01-31T10:00:00Z'.",
        "filters/f.yaml:9:32 CFG_INVALID_VALUE The default of parameter 'e' must be true or false (its type is boolean), received 'yes'. | Write true or false (yes, no, on and off are text in YAML 1.2).",
        "filters/f.yaml:10:35 CFG_INVALID_VALUE The default of parameter 'f' must be a list of text (its type is string[]), received 'x'. | Write a list of text, for example default: [a, b].",
      ],
    )
  })

  it('checks output entries against attached aliases, their columns and computed columns', async () => {
    assert.deepEqual(
      await errors(
        ...head,
        'start: hr.employees AS e', // 3
        'joins:', // 4
        '  - table: directory.users AS u', // 5
        '    mode: none', // 6
        '    joins: [{ table: directory.groups AS g, mode: any, via: nothing }]', // 7
        'columns: { full: e.first_name }', // 8
        'output: [e.frist_name, x.ssn, u.dn, g.*, ful, first_name, e]', // 9
      ).then((lines) => lines.filter((l) => !l.includes('CFG_UNKNOWN_RELATION'))),
      [
        "filters/f.yaml:9:10 CFG_UNKNOWN_COLUMN Output 'e.frist_name': table 'hr.employees' (alias 'e') has no column 'frist_name'. | Did you mean 'e.first_name'?",
        "filters/f.yaml:9:24 CFG_UNKNOWN_ALIAS Output 'x.ssn' names alias 'x', which the filter does not define. | Did you mean 'e.ssn'?",
        "filters/f.yaml:9:31 CFG_UNKNOWN_ALIAS Output 'u.dn' names alias 'u', a join with mode none, so its columns are not in the filter's rows. | Output columns of the start table or of any, multiple and optional joins: e.",
        "filters/f.yaml:9:37 CFG_UNKNOWN_ALIAS Output 'g.*' names alias 'g', a join inside joins[0] (mode none), so its columns are not in the filter's rows. | Output columns of the start table or of any, multiple and optional joins: e.",
        "filters/f.yaml:9:42 CFG_UNKNOWN_COLUMN Output 'ful' is not a computed column; a table's column is written alias.column. | Did you mean 'full'?",
        "filters/f.yaml:9:47 CFG_UNKNOWN_COLUMN Output 'first_name' is not a computed column; a table's column is written alias.column. | Did you mean 'e.first_name'?",
        "filters/f.yaml:9:59 CFG_UNKNOWN_COLUMN Output 'e' is not a computed column; a table's column is written alias.column. | Write 'e.*' for every column of 'e'.",
      ],
    )
  })

  it('names lookups lookup<n> by default and requires unique names and comparable types', async () => {
    assert.deepEqual(
      await errors(
        ...head,
        'start: hr.employees AS e', // 3
        'lookups:', // 4
        '  - { mode: include, value: e.ssn, in: directory.users.employeeID }', // 5
        '  - { name: lookup1, mode: exclude, value: e.birth_date, in: directory.groups.cn }', // 6
        '  - { mode: exclude, value: e.number, in: directory.users.uid, caseInsensitive: true }', // 7
        '  - { mode: exclude, value: e.ssn, in: directory.users.memberOf }', // 8
      ),
      [
        "filters/f.yaml:6:13 CFG_INVALID_VALUE Lookup name 'lookup1' is already used by lookups[0]. | Give the lookup its own `name:` (lookups without a name are called lookup1, lookup2…).",
        "filters/f.yaml:6:44 CFG_TYPE_MISMATCH The lookup's value is date, but 'directory.groups.cn' is string; they cannot be compared. | Convert the value with to_text(), to_integer() or to_date() to the column type.",
        "filters/f.yaml:7:81 CFG_INVALID_VALUE caseInsensitive compares lower-cased text, but the lookup's value is integer. | Remove caseInsensitive from this lookup.",
        "filters/f.yaml:8:29 CFG_TYPE_MISMATCH The lookup's value is string, but 'directory.users.memberOf' is string[]; they cannot be compared. | A lookup compares single values; look up in a single-valued column.",
      ],
    )
  })
})
