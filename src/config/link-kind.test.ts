import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { renderIssue } from '../core/index.ts'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** Validates the fixture project with `links/l.yaml` holding `lines`. */
async function link(...lines: string[]) {
  return validateWith({ 'links/l.yaml': yaml(...lines) })
}

const head = (name: string) => ['kind: Link', `name: ${name}`]

describe('Link kind', () => {
  it('resolves a link with names as the data model declares them and defaults applied', async () => {
    const { project, issues } = await link(
      ...head('account_by_ssn'),
      'description: SSN to uid',
      'left: HR.employees.ssn', // system names match regardless of case
      'right: directory.users.employeeID',
      'caseInsensitive: true',
      'leftExpression: trim(ssn)',
    )
    assert.deepEqual(issues, [])
    const resolved = project.links.find((l) => l.name === 'account_by_ssn')
    assert.ok(resolved)
    const { document, ...rest } = resolved
    assert.equal(document.file, 'links/l.yaml')
    assert.deepEqual(rest, {
      name: 'account_by_ssn',
      description: 'SSN to uid',
      left: { system: 'hr', table: 'employees', column: 'ssn' },
      right: { system: 'directory', table: 'users', column: 'employeeID' },
      caseInsensitive: true,
      leftExpression: 'trim(ssn)',
      file: 'links/l.yaml',
    })
    const plain = project.links.find((l) => l.name === 'employee_account')
    assert.equal(plain?.caseInsensitive, false)
    assert.equal(plain?.leftExpression, undefined)
  })

  it('reports unknown systems, tables and columns at the value, with did-you-mean', async () => {
    const { project, issues } = await validateWith({
      'links/l.yaml': [
        yaml(...head('a'), 'left: hr5.employees.employee_id', 'right: directory.user.employeeID'),
        yaml(...head('b'), 'left: hr.employees.employe_id', 'right: nowhere.users.x'),
      ].join('---\n'),
    })
    assert.deepEqual(brief(issues), [
      "links/l.yaml:3:7 CFG_UNKNOWN_SYSTEM System 'hr5' is not declared in the project. | Did you mean 'hr'?",
      "links/l.yaml:4:8 CFG_UNKNOWN_TABLE Table 'user' is not declared in system 'directory'. | Did you mean 'directory.users'?",
      "links/l.yaml:8:7 CFG_UNKNOWN_COLUMN Column 'employe_id' is not declared in table 'hr.employees'. | Did you mean 'hr.employees.employee_id'?",
      "links/l.yaml:9:8 CFG_UNKNOWN_SYSTEM System 'nowhere' is not declared in the project. | Use one of the project's systems: directory, hr.",
    ])
    assert.deepEqual(
      project.links.map((l) => l.name),
      ['employee_account'],
    )
  })

  it('checks the shape of both sides and rejects unknown keys with did-you-mean', async () => {
    const { issues } = await link(
      ...head('x'),
      'left: hr.employees',
      'right: directory.users.dn',
      'caseInsensitve: true',
    )
    assert.deepEqual(brief(issues), [
      "links/l.yaml:3:7 CFG_INVALID_VALUE Expected 'system.table.column', received 'hr.employees'. | Correct the value as the message describes.",
      "links/l.yaml:5:1 CFG_UNKNOWN_KEY Unknown key 'caseInsensitve'. | Did you mean 'caseInsensitive'?",
    ])
  })

  it('requires comparable single-valued types on both sides, after the expressions', async () => {
    const { issues } = await validateWith({
      'links/l.yaml': [
        yaml(...head('a'), 'left: hr.employees.number', 'right: directory.users.employeeID'),
        yaml(...head('b'), 'left: hr.employees.number', 'right: directory.users.uid'),
        yaml(
          ...head('c'),
          'left: hr.employees.number',
          'right: directory.users.employeeID',
          'leftExpression: to_text(number)',
        ),
        yaml(...head('d'), 'left: hr.employees.ssn', 'right: directory.users.memberOf'),
        yaml(...head('e'), 'left: hr.employees.ssn', 'right: hr.employees.ssn'),
        yaml(...head('f'), 'left: hr.employees.number', 'right: directory.users.uid', 'caseInsensitive: true'),
      ].join('---\n'),
    })
    // Warnings about the non-key columns aside (see the next test):
    assert.deepEqual(brief(issues.filter((i) => i.severity !== 'warning')), [
      "links/l.yaml:4:8 CFG_TYPE_MISMATCH The link's sides have incompatible types: 'hr.employees.number' is integer, 'directory.users.employeeID' is string. | Link columns of the same type, or convert one side with leftExpression or rightExpression (to_text(column)).",
      "links/l.yaml:20:8 CFG_INVALID_LINK The right side of the link, 'directory.users.memberOf', is multi-valued (string[]); a link compares single values. | Link a single-valued column, or give rightExpression that turns the values into one (join(column, ',')).",
      "links/l.yaml:25:8 CFG_INVALID_LINK The link compares 'hr.employees.ssn' with itself. | Name the column of the other system on the right.",
      "links/l.yaml:31:18 CFG_INVALID_VALUE caseInsensitive compares lower-cased text, but the left side, 'hr.employees.number', is integer. | Remove caseInsensitive, or convert the left side to text with leftExpression.",
    ])
  })

  it('warns, without failing, when a side is not a key column', async () => {
    const { project, issues } = await link(...head('by_mail'), 'left: hr.employees.ssn', 'right: directory.users.mail')
    assert.equal(issues.length, 1)
    assert.equal(
      renderIssue(issues[0]!),
      `links/l.yaml:4:8  warning: Column 'directory.users.mail' is neither the primary key nor a reference key of its table, so one row on the other side may match several rows here and matches may multiply. [CFG_LINK_NOT_UNIQUE]
    at right, value "directory.users.mail"
    hint: \`provisio link match by_mail\` shows the duplicates; if the column is unique, add 'mail' to referenceKeys of table 'users' in system 'directory'.`,
    )
    assert.ok(project.links.some((l) => l.name === 'by_mail'))
  })

  it('places an expression error at its character in the file and keeps the excerpt', async () => {
    const { issues } = await link(
      ...head('x'),
      'left: hr.employees.employee_id',
      'right: directory.users.employeeID',
      'leftExpression: trim(employe_id)',
    )
    assert.equal(issues.length, 1)
    assert.equal(
      renderIssue(issues[0]!),
      `links/l.yaml:5:22  error: There is no column 'employe_id'. [EXPR_UNKNOWN_COLUMN]
    at leftExpression
    trim(employe_id)
         ^^^^^^^^^^
    hint: Did you mean 'employee_id'?`,
    )
  })

  it('maps quoted expressions exactly, and block scalars to their start with the position in the message', async () => {
    const { issues } = await validateWith({
      'links/l.yaml': [
        yaml(
          ...head('a'),
          'left: hr.employees.employee_id',
          'right: directory.users.employeeID',
          'leftExpression: "upper(employees.first)"',
          "rightExpression: 'lower(''x'') || nope'",
        ),
        yaml(
          ...head('b'),
          'left: hr.employees.employee_id',
          'right: directory.users.employeeID',
          'rightExpression: |',
          '  upper(',
          '    emploeeID)',
        ),
      ].join('---\n'),
    })
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message}`),
      [
        "5:24 EXPR_UNKNOWN_COLUMN 'employees' has no column 'first'.",
        // Doubled quotes inside: the value is shorter than its source, so the node's start is used.
        "6:18 EXPR_UNKNOWN_COLUMN There is no column 'nope'. (expression line 1, column 15)",
        "12:18 EXPR_UNKNOWN_COLUMN There is no column 'emploeeID'. (expression line 2, column 3)",
      ],
    )
    assert.equal(issues[2]?.excerpt, '  emploeeID)\n  ^^^^^^^^^')
  })

  it('says nothing about a link to a system that has errors of its own, and does not resolve it', async () => {
    const { project, issues } = await validateWith({
      'systems/directory.yaml': yaml('kind: System', 'name: directory', 'connector: ldap', 'config: {}', 'tables: {}'),
    })
    assert.deepEqual(
      issues.map((i) => `${i.file} ${i.code}`),
      ['systems/directory.yaml CFG_INVALID_VALUE'],
    )
    assert.deepEqual(project.links, [])
  })
})
