import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { renderIssue } from '../core/index.ts'
import { removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

/** `line:column code message`, for a filter document in `filters/f.yaml`. */
async function found(...lines: string[]) {
  const { issues } = await validateWith({ 'filters/f.yaml': yaml(...lines) })
  return issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message}`)
}

/** A filter with a start table, an any join with an optional child, and a none join with an any child. */
const tree = [
  'kind: Filter', // 1
  'name: f', // 2
  'start: hr.employees AS e', // 3
  'parameters: { since: date, unit: string }', // 4
  'joins:', // 5
  '  - table: hr.contracts AS c', // 6
  '    mode: any', // 7
  '    joins:', // 8
  '      - table: hr.departments AS d', // 9
  '        mode: optional', // 10
  '  - table: directory.users AS u', // 11
  '    mode: none', // 12
  '    joins:', // 13
  '      - table: directory.groups AS g', // 14
  '        mode: any', // 15
  '        via: nothing_yet', // 16: reported, but the expressions are still checked
]

describe('Filter expression scopes', () => {
  it("lets the filter's where see the attached aliases and parameters, with bare names on the start table", async () => {
    assert.deepEqual(
      await found(
        ...tree,
        'where: first_name = :unit and d.name is not null and c.start_date > :since and u.dn is null and g.cn = :unknown', // 17
      ),
      [
        "16:14 CFG_UNKNOWN_RELATION No relation of system 'directory' and no link is named 'nothing_yet'.",
        "17:80 EXPR_UNKNOWN_ALIAS There is no table alias 'u'.",
        "17:97 EXPR_UNKNOWN_ALIAS There is no table alias 'g'.",
        "17:104 EXPR_UNKNOWN_PARAMETER The parameter ':unknown' is not declared.",
      ],
    )
  })

  it("lets a join's where see its own table (by bare name), its ancestors and the parameters, not its siblings", async () => {
    const lines = [...tree]
    lines.splice(10, 0, '        where: name = :unit and c.job_title is not null and e.gender = u.dn') // line 11
    lines.splice(16, 0, "        where: cn = 'x' and u.dn is not null and e.ssn is not null and c.unit = d.unit") // line 17
    assert.deepEqual(await found(...lines), [
      "11:72 EXPR_UNKNOWN_ALIAS There is no table alias 'u'.",
      "17:72 EXPR_UNKNOWN_ALIAS There is no table alias 'c'.",
      "17:81 EXPR_UNKNOWN_ALIAS There is no table alias 'd'.",
      "18:14 CFG_UNKNOWN_RELATION No relation of system 'directory' and no link is named 'nothing_yet'.",
    ])
  })

  it('checks computed columns and lookup values over the attached aliases, without other computed columns', async () => {
    assert.deepEqual(
      await found(
        ...tree,
        'columns:', // 17
        '  group: "\'DEPGRP_\' || d.unit"', // 18
        '  again: group', // 19
        'lookups:', // 20
        '  - { mode: exclude, value: group, in: directory.groups.cn }', // 21
        '  - { mode: exclude, value: "\'G_\' || u.dn", in: directory.groups.cn }', // 22
      ).then((lines) => lines.filter((l) => !l.includes('CFG_UNKNOWN_RELATION'))),
      [
        "19:10 EXPR_UNKNOWN_COLUMN There is no column 'group'.",
        "21:29 EXPR_UNKNOWN_COLUMN There is no column 'group'.",
        "22:38 EXPR_UNKNOWN_ALIAS There is no table alias 'u'.",
      ],
    )
  })

  it('requires conditions to be boolean, and renders the excerpt under the issue', async () => {
    const { issues } = await validateWith({
      'filters/f.yaml': yaml(
        'kind: Filter',
        'name: f',
        'start: hr.employees AS e',
        'joins:',
        '  - table: hr.contracts AS c',
        '    mode: any',
        '    where: c.start_date <= today() and c.fte', // 7
        'where: lower(e.first_name)', // 8
      ),
    })
    assert.deepEqual(
      issues.map((i) => renderIssue(i)),
      [
        `filters/f.yaml:7:40  error: The right side of 'and' must be boolean, got number. [EXPR_TYPE_MISMATCH]
    at joins[0].where
    c.start_date <= today() and c.fte
                                ^^^^^`,
        `filters/f.yaml:8:8  error: The expression must be boolean, got string. [EXPR_TYPE_MISMATCH]
    at where
    lower(e.first_name)
    ^^^^^^^^^^^^^^^^^^^
    hint: A condition compares values, for example status = 'active'.`,
      ],
    )
  })

  it('does not check expressions over a table whose reference did not resolve', async () => {
    assert.deepEqual(
      await found(
        'kind: Filter',
        'name: f',
        'start: hr.employes AS e', // 3
        'joins: [{ table: hr.contracts AS c, mode: any, where: c.nope = 1 }]', // 4
        'where: e.nope = 1',
        'columns: { x: e.nope }',
        'output: [e.nope]',
      ),
      ["3:8 CFG_UNKNOWN_TABLE Table 'employes' is not declared in system 'hr'."],
    )
  })
})
