import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Issue } from '../../core/index.ts'
import { compileFilter } from '../../filters/index.ts'
import { filterRowScope } from '../filter-row-scope.ts'
import { checkGeneratorExpressions } from './check-generator-expressions.ts'
import { generatorProject } from './test-fixtures.ts'

function brief(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message}`)
}

/** The fixture project with `documents`, and the scope of its `employees` filter compiled for real. */
async function setup(documents: string) {
  const project = await generatorProject(documents)
  const filter = project.filters.find((f) => f.name === 'employees')!
  const columns = compileFilter(filter, { systems: project.systems, links: project.links }, 'sqlite').columns
  return { project, columns }
}

describe('checkGeneratorExpressions', () => {
  it('accepts methods over the filter row, computed columns bare, earlier names and a pattern over :base and :n', async () => {
    const { project, columns } = await setup(
      [
        'kind: NameGenerator',
        'name: g',
        'names:',
        '  username:',
        '    methods: ["lower(initials || e.last_name)", "e.first_name || \'.\' || last_name"]',
        '    iteration: { pattern: "left(:base, 10) || :n" }',
        '    uniqueIn: directory.users.sAMAccountName',
        '  aliases:',
        '    multiValued: true',
        '    methods: [e.aliases, "generated.username"]',
      ].join('\n'),
    )
    assert.deepEqual(checkGeneratorExpressions(project.nameGenerators[0]!, filterRowScope(columns)), [])
  })

  it('reports types and unknown columns at the expression, in the scope each name sees', async () => {
    const { project, columns } = await setup(
      [
        'kind: NameGenerator', // 1
        'name: g', // 2
        'names:', // 3
        '  username:', // 4
        '    methods: [e.number, e.aliases, e.frist_name]', // 5
        '    iteration: { pattern: "left(:base, 3) || :n || :other" }', // 6
        '    uniqueIn: directory.users.sAMAccountName', // 7
        '  mail:', // 8
        '    methods: ["generated.username || e.number"]', // 9
      ].join('\n'),
    )
    const issues = checkGeneratorExpressions(project.nameGenerators[0]!, filterRowScope(columns))
    assert.deepEqual(brief(issues), [
      '5:15 EXPR_TYPE_MISMATCH The expression must be string, got integer.',
      '5:25 EXPR_TYPE_MISMATCH The expression must be string, got string[].',
      "5:36 EXPR_UNKNOWN_COLUMN 'e' has no column 'frist_name'.",
      "6:52 EXPR_UNKNOWN_PARAMETER The parameter ':other' is not declared.",
    ])
    assert.equal(issues[2]?.hint, "Did you mean 'first_name'?")
    assert.equal(issues[0]?.file, 'generators.yaml')
  })

  it('checks password parts as text, with the generated names but without the password', async () => {
    const { project, columns } = await setup(
      ['kind: PasswordGenerator', 'name: p', 'parts: [random, "left(generated.username, 1)", "e.number"]'].join('\n'),
    )
    const config = project.passwordGenerators[0]!
    // Validation rejects generated.password in a part; a hand-built configuration meets the engine's scope.
    const withPassword = {
      ...config,
      parts: [
        ...config.parts,
        { kind: 'expression' as const, expression: { text: 'generated.password', path: ['parts', 3] } },
      ],
    }
    const scope = filterRowScope(columns, { generated: { username: 'string', password: 'string' } })
    assert.deepEqual(brief(checkGeneratorExpressions(withPassword, scope)), [
      '3:49 EXPR_TYPE_MISMATCH The expression must be string, got integer.',
      "3:8 EXPR_UNKNOWN_COLUMN 'generated' has no column 'password'. (expression line 1, column 1)",
    ])
  })
})

describe('filterRowScope', () => {
  it('puts alias.column under its alias, computed columns under the default alias, and generated names', () => {
    const scope = filterRowScope(
      [
        { name: 'e.first_name', type: 'string' },
        { name: 'c.start_date', type: 'date' },
        { name: 'account', type: 'string' },
      ],
      { generated: { username: 'string', proxy: 'string[]' }, parameters: { today: 'date' } },
    )
    assert.deepEqual(scope, {
      aliases: {
        _: { account: 'string' },
        e: { first_name: 'string' },
        c: { start_date: 'date' },
        generated: { username: 'string', proxy: 'string[]' },
      },
      defaultAlias: '_',
      parameters: { today: 'date' },
    })
  })
})
