import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LinkConfig } from '../config/index.ts'
import { checkFilter, checkLink } from './index.ts'
import { CONTEXT, EMPLOYEE_ACCOUNT, filterConfig, testDocument } from './test-fixtures.ts'

const YAML = [
  'kind: Filter',
  'name: positions',
  'start: hr.employees AS e',
  "where: e.nme = 'x'",
  'joins:',
  '  - table: hr.contracts AS c',
  '    mode: any',
  '    via: nope',
  '  - table: dir.users AS u',
  '    mode: none',
  'columns:',
  '  login: lower(first_name) || 1.5',
  'output: [e.employee_id, c.nothing]',
  '',
].join('\n')

describe('checkFilter', () => {
  it('reports every problem at once, positioned in the YAML', () => {
    const filter = filterConfig({
      name: 'positions',
      yaml: YAML,
      where: "e.nme = 'x'",
      joins: [
        { table: 'hr.contracts AS c', mode: 'any', via: 'nope' },
        { table: 'dir.users AS u', mode: 'none' },
      ],
      columns: { login: 'lower(first_name) || 1.5' },
      output: ['e.employee_id', 'c.nothing'],
    })
    assert.deepEqual(
      checkFilter(filter, CONTEXT).map((i) => [i.code, i.line, i.column, i.path]),
      [
        ['FLT_UNKNOWN_VIA', 8, 10, ['joins', 0, 'via']],
        ['FLT_AMBIGUOUS_PATH', 9, 12, ['joins', 1, 'table']],
        ['EXPR_TYPE_MISMATCH', 12, 31, ['columns', 'login']],
        ['EXPR_UNKNOWN_COLUMN', 4, 8, ['where']],
        ['FLT_INVALID_OUTPUT', 13, 25, ['output', 1]],
      ],
    )
  })

  it('finds nothing wrong with a valid filter', () => {
    const filter = filterConfig({
      joins: [{ table: 'hr.contracts AS c', mode: 'optional', joins: [{ table: 'hr.departments AS d', mode: 'any' }] }],
      where: 'd.name is not null or c.contract_id is null',
    })
    assert.deepEqual(checkFilter(filter, CONTEXT), [])
  })

  it("checks a join's where against its own alias and its parents only", () => {
    const filter = filterConfig({
      joins: [
        { table: 'hr.contracts AS c', mode: 'any', where: 'e.active and c.fte > 0' },
        { table: 'hr.departments AS d', mode: 'any', via: 'departments_manager_id', where: 'c.unit = d.unit' },
      ],
    })
    assert.deepEqual(
      checkFilter(filter, CONTEXT).map((i) => [i.code, i.message]),
      [['EXPR_UNKNOWN_ALIAS', "In the where of join 'd': There is no table alias 'c'."]],
    )
  })

  it('reports a join over a broken link once, at the join, and the link problems at the link', () => {
    const broken: LinkConfig = {
      ...EMPLOYEE_ACCOUNT,
      name: 'broken',
      leftExpression: 'upper(employee_id) || grade',
      rightExpression: 'lenght(employeeID)',
      document: testDocument(
        'links/broken.yaml',
        'kind: Link\nname: broken\nleftExpression: upper(employee_id) || grade\nrightExpression: lenght(employeeID)\n',
      ),
      file: 'links/broken.yaml',
    }
    const context = { ...CONTEXT, links: [broken] }
    assert.deepEqual(
      checkLink(broken, context).map((i) => [i.code, i.file, i.line, i.column]),
      [['EXPR_UNKNOWN_FUNCTION', 'links/broken.yaml', 4, 18]],
    )
    const filter = filterConfig({ joins: [{ table: 'dir.users AS u', mode: 'none' }] })
    assert.deepEqual(
      checkFilter(filter, context).map((i) => [i.code, i.message, i.hint]),
      [
        [
          'FLT_INVALID_EXPRESSION',
          "The join 'u' goes through link broken, which is not valid: In the rightExpression of link broken: There is no function 'lenght'.",
          'Fix the link in links/broken.yaml:4.',
        ],
      ],
    )
  })

  it('reports link sides that cannot be compared', () => {
    const mismatch: LinkConfig = {
      ...EMPLOYEE_ACCOUNT,
      left: { system: 'hr', table: 'employees', column: 'grade' },
    }
    assert.deepEqual(
      checkLink(mismatch, CONTEXT).map((i) => [i.code, i.message]),
      [
        [
          'FLT_TYPE_MISMATCH',
          'Link employee_account compares hr.employees.grade (integer) with dir.users.employeeID (string).',
        ],
      ],
    )
  })
})
