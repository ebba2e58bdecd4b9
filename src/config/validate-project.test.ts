import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { isProvisioError, registeredErrors, renderError, renderIssue } from '../core/index.ts'
import { removeProject, writeProject, yaml } from './project-fixture.ts'
import { loadValidProject, validateProject } from './validate-project.ts'

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

async function project(files: Record<string, string>) {
  const dir = await writeProject(files)
  dirs.push(dir)
  return dir
}

const valid = (name: string) =>
  yaml('kind: System', `name: ${name}`, 'connector: csv', 'config: {}', 'tables:', '  t: { columns: { id: string } }')

/** Several files, each with its own problem, all found in one pass. */
const broken = {
  'a-ok.yaml': valid('good'),
  'b/syntax.yaml': yaml('kind: System', 'name: [oops'),
  'b/typo.yaml': yaml(
    'kind: System',
    'name: typo',
    'connector: csv',
    'config: { password: letmein }',
    'tables:',
    '  employees:',
    '    primarykey: id',
    '    colums: { id: string }',
  ),
  'c/checks.yaml': yaml(
    'kind: System',
    'name: checks',
    'connector: csv',
    'config: {}',
    'tables:',
    '  employees:',
    '    primaryKey: id',
    '    columns: { id: int, dept: string }',
    '  departments:',
    '    primaryKey: code',
    '    columns: { code: string }',
    'relations:',
    '  - { from: employees.dept, to: departments.cod }',
  ),
  'c/dup.yaml': valid('GOOD'),
  'd/later.yml': yaml('kind: EventAction', 'name: m'),
}

describe('validateProject', () => {
  it('reports every problem of every file in one pass, sorted by file and position', async () => {
    const { project: validated, issues } = await validateProject(await project(broken))
    assert.deepEqual(
      issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.code}`),
      [
        'b/syntax.yaml:3:1 CFG_YAML_SYNTAX',
        'b/typo.yaml:4:21 CFG_PLAIN_SECRET',
        'b/typo.yaml:6:3 CFG_MISSING_KEY',
        'b/typo.yaml:7:5 CFG_UNKNOWN_KEY',
        'b/typo.yaml:8:5 CFG_UNKNOWN_KEY',
        'c/checks.yaml:8:20 CFG_INVALID_VALUE',
        'c/dup.yaml:2:7 CFG_DUPLICATE_NAME',
        'd/later.yml:1:1 CFG_MISSING_KEY',
      ],
    )
    assert.deepEqual(
      validated.systems.map((s) => s.name),
      ['good'],
    )
    assert.deepEqual(
      validated.documents.map((d) => d.name),
      ['good', 'typo', 'checks', 'm'],
    )
  })

  it('renders issues as pinned text', async () => {
    const { issues } = await validateProject(await project(broken))
    const rendered = issues.map(renderIssue).join('\n')
    assert.equal(
      rendered,
      `b/syntax.yaml:3:1  error: Flow sequence in block collection must be sufficiently indented and end with a ] (BAD_INDENT) [CFG_YAML_SYNTAX]
    hint: Fix the YAML syntax at the position shown; check indentation, quotes and brackets.
b/typo.yaml:4:21  error: 'password' holds a plain value; a secret must be a reference such as \${env:PASSWORD}. [CFG_PLAIN_SECRET]
    at config.password
    hint: Put the value in an environment variable and write \`\${env:NAME}\` instead.
b/typo.yaml:6:3  error: Missing required key 'columns' in tables.employees. [CFG_MISSING_KEY]
    at tables.employees.columns
    hint: Add \`columns:\` in tables.employees.
b/typo.yaml:7:5  error: Unknown key 'primarykey' in tables.employees. [CFG_UNKNOWN_KEY]
    at tables.employees.primarykey
    hint: Did you mean 'primaryKey'?
b/typo.yaml:8:5  error: Unknown key 'colums' in tables.employees. [CFG_UNKNOWN_KEY]
    at tables.employees.colums
    hint: Did you mean 'columns'?
c/checks.yaml:8:20  error: Expected one of 'string', 'integer', 'number', 'boolean', 'date', 'datetime', 'string[]', received 'int'. [CFG_INVALID_VALUE]
    at tables.employees.columns.id.type, value "int"
    hint: Did you mean 'integer'?
c/dup.yaml:2:7  error: System 'GOOD' is already defined as 'good' (names are compared without case) in a-ok.yaml:2:7. [CFG_DUPLICATE_NAME]
    at name, value "GOOD"
    hint: Rename one of them; names of one kind are unique regardless of case.
d/later.yml:1:1  error: Missing required key 'event'. [CFG_MISSING_KEY]
    at event
    hint: Add \`event:\`.`,
    )
  })

  it('renders a relation to an unknown column with did-you-mean once the schema passes', async () => {
    const files = { ...broken, 'c/checks.yaml': broken['c/checks.yaml'].replace('id: int', 'id: integer') }
    const { issues } = await validateProject(await project(files))
    const relation = issues.find((i) => i.file === 'c/checks.yaml')
    assert.ok(relation)
    assert.equal(
      renderIssue(relation),
      `c/checks.yaml:13:33  error: Column 'cod' is not declared in table 'departments'. [CFG_UNKNOWN_COLUMN]
    at relations[0].to, value "departments.cod"
    hint: Did you mean 'departments.code'?`,
    )
  })

  it('renders an empty project with a hint to pass --project', async () => {
    const { issues } = await validateProject(await project({ 'README.md': 'no yaml here' }))
    assert.equal(issues.length, 1)
    assert.match(
      renderIssue(issues[0]!),
      /^error: No YAML documents found in '.*' \(looked for \*\.yaml and \*\.yml, recursively\)\. \[CFG_EMPTY_PROJECT\]\n {4}hint: Pass the folder that holds the \*\.yaml documents with --project <folder>, or add a System document\.$/,
    )
  })
})

describe('loadValidProject', () => {
  it('returns the project when it has no errors', async () => {
    const validated = await loadValidProject(await project({ 's.yaml': valid('s') }))
    assert.equal(validated.systems.length, 1)
  })

  it('throws CFG_INVALID carrying every issue when it has errors', async () => {
    const dir = await project(broken)
    await assert.rejects(loadValidProject(dir), (error: unknown) => {
      assert.ok(isProvisioError(error))
      assert.equal(error.code, 'CFG_INVALID')
      assert.equal(error.message, `The project in '${dir}' has 8 configuration errors.`)
      assert.equal(error.issues.length, 8)
      assert.match(
        renderError(error),
        /^error: The project in .* has 8 configuration errors\. \[CFG_INVALID\]\nb\/syntax\.yaml:3:1/,
      )
      return true
    })
  })
})

describe('config error codes', () => {
  it('registers every CFG_ code with the user or operational audience, a title and a hint', () => {
    const codes = registeredErrors().filter((e) => e.layer === 'config')
    assert.ok(codes.length >= 20)
    for (const spec of codes) {
      assert.match(spec.code, /^CFG_[A-Z_]+$/)
      assert.ok(spec.title.length > 0 && !spec.title.includes('\n'), spec.code)
      assert.ok(spec.hint.length > 0, spec.code)
    }
  })
})
