import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { Issue } from '../core/index.ts'
import { removeProject, writeProject, yaml } from './project-fixture.ts'
import { validateProject } from './validate-project.ts'

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

async function validate(text: string) {
  const dir = await writeProject({ 'systems/s.yaml': text })
  dirs.push(dir)
  return validateProject(dir)
}

function brief(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.line ?? ''}:${i.column ?? ''} ${i.code} ${i.hint ?? ''}`)
}

/** A valid system, lines numbered from 1; tests replace or append lines. */
const base = [
  'kind: System', // 1
  'name: ad', // 2
  'connector: ldap', // 3
  'config:', // 4
  '  url: ldap://localhost', // 5
  'tables:', // 6
  '  users:', // 7
  '    primaryKey: id', // 8
  '    columns:', // 9
  '      id: string', // 10
  '      memberOf: string[]', // 11
]

describe('System schema', () => {
  it('accepts a minimal system', async () => {
    const { project, issues } = await validate(yaml(...base))
    assert.deepEqual(issues, [])
    assert.equal(project.systems.length, 1)
  })

  it("rejects unknown keys at the key, with did-you-mean for 'primarykey' and 'colums'", async () => {
    const lines = [...base.slice(0, 7), '    primarykey: id', '    colums:', ...base.slice(9)]
    const { project, issues } = await validate(yaml(...lines))
    assert.deepEqual(brief(issues), [
      '7:3 CFG_MISSING_KEY Add `columns:` in tables.users.',
      "8:5 CFG_UNKNOWN_KEY Did you mean 'primaryKey'?",
      "9:5 CFG_UNKNOWN_KEY Did you mean 'columns'?",
    ])
    assert.deepEqual(issues[1]?.path, ['tables', 'users', 'primarykey'])
    assert.equal(project.systems.length, 0)
  })

  it('lists the allowed keys when no key is close', async () => {
    const { issues } = await validate(yaml(...base, 'zzzzzz: 1'))
    assert.deepEqual(brief(issues), [
      '12:1 CFG_UNKNOWN_KEY Remove the key; allowed keys here are kind, name, description, connector, config, guards, tables, relations, execution.',
    ])
  })

  it('suggests the column type for an unknown type, including common aliases', async () => {
    const lines = [
      ...base,
      '      a: int',
      '      b: text',
      '      c: { type: bool }',
      '      d: strng',
      '      e: blob',
    ]
    const { issues } = await validate(yaml(...lines))
    assert.deepEqual(brief(issues), [
      "12:10 CFG_INVALID_VALUE Did you mean 'integer'?",
      "13:10 CFG_INVALID_VALUE Did you mean 'string'?",
      "14:18 CFG_INVALID_VALUE Did you mean 'boolean'?",
      "15:10 CFG_INVALID_VALUE Did you mean 'string'?",
      '16:10 CFG_INVALID_VALUE Correct the value as the message describes.',
    ])
    assert.equal(
      issues[0]?.message,
      "Expected one of 'string', 'integer', 'number', 'boolean', 'date', 'datetime', 'string[]', received 'int'.",
    )
    assert.deepEqual(issues[0]?.path, ['tables', 'users', 'columns', 'a', 'type'])
  })

  it('rejects table and column names that are not identifiers, at the name', async () => {
    const lines = [...base, '      first-name: string', '  bad table:', '    columns: { x: string }']
    const { issues } = await validate(yaml(...lines))
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message}`),
      [
        "12:7 CFG_INVALID_NAME Column name 'first-name' is not valid: start with a letter or '_', then use only letters, digits and '_'.",
        "13:3 CFG_INVALID_NAME Table name 'bad table' is not valid: start with a letter or '_', then use only letters, digits and '_'.",
      ],
    )
  })

  it('reports missing required keys at the parent key', async () => {
    const { issues } = await validate(yaml('kind: System', 'name: bare'))
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message}`),
      [
        "1:1 CFG_MISSING_KEY Missing required key 'connector'.",
        "1:1 CFG_MISSING_KEY Missing required key 'config'.",
        "1:1 CFG_MISSING_KEY Missing required key 'tables'.",
      ],
    )
  })

  it('describes wrong types in YAML words', async () => {
    const lines = [
      ...base.slice(0, 3),
      'config: [a]',
      'description: 5',
      ...base.slice(5),
      '      flag: { type: boolean, caseInsensitive: yes }',
    ]
    const { issues } = await validate(yaml(...lines))
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.message} ${i.hint}`),
      [
        '4:9 Expected a mapping, received a list. Correct the value as the message describes.',
        '5:14 Expected text, received 5. Correct the value as the message describes.',
        "12:47 Expected true or false, received 'yes'. Write true or false; 'yes' is text in YAML 1.2.",
      ],
    )
  })

  it('requires at least one table and one column', async () => {
    const { issues } = await validate(
      yaml(
        ...base.slice(0, 5),
        'tables: {}',
        '---',
        ...base.slice(0, 1),
        'name: b',
        ...base.slice(2, 7),
        '    columns: {}',
      ),
    )
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.message}`),
      ['6:9 A system needs at least one table.', '15:14 A table needs at least one column.'],
    )
  })

  it('accepts guards as counts and percentages and rejects everything else', async () => {
    const ok = await validate(yaml(...base, 'guards: { maxAdded: 500, maxRemoved: 12.5%, maxChanged: 0 }'))
    assert.deepEqual(ok.issues, [])
    const lines = [...base, 'guards:', '  maxAdded: -1', '  maxRemoved: 101%', '  maxChanged: lots', '  maxAdd: 1']
    const { issues } = await validate(yaml(...lines))
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message}`),
      [
        '13:13 CFG_INVALID_VALUE A row count must be a whole number of 0 or more, received -1.',
        "14:15 CFG_INVALID_VALUE A percentage guard is at most 100%, received '101%'.",
        "15:15 CFG_INVALID_VALUE Expected a row count (500) or a percentage ('10%'), received 'lots'.",
        "16:3 CFG_UNKNOWN_KEY Unknown key 'maxAdd' in guards.",
      ],
    )
    assert.equal(issues[3]?.hint, "Did you mean 'maxAdded'?")
  })

  it('checks the shape of relations', async () => {
    const lines = [...base, 'relations:', '  - from: users', '    to: users.id', '    nmae: x', '  - { from: a.b }']
    const { issues } = await validate(yaml(...lines))
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.code} ${i.message}`),
      [
        "13:11 CFG_INVALID_VALUE Expected 'table.column', received 'users'.",
        "15:5 CFG_UNKNOWN_KEY Unknown key 'nmae' in relations[0].",
        "16:5 CFG_MISSING_KEY Missing required key 'to' in relations[1].",
      ],
    )
  })
})
