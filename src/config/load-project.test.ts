import assert from 'node:assert/strict'
import { existsSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import type { Issue } from '../core/index.ts'
import { loadProject } from './load-project.ts'
import { removeProject, writeProject, yaml } from './project-fixture.ts'

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

async function load(files: Record<string, string | Uint8Array>) {
  const dir = await writeProject(files)
  dirs.push(dir)
  return loadProject(dir)
}

/** `file:line:column code`, the compact form most assertions compare. */
function where(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.file ?? ''}:${i.line ?? ''}:${i.column ?? ''} ${i.code}`)
}

const system = (name: string) => yaml('kind: System', `name: ${name}`, 'connector: csv')

describe('loadProject', () => {
  it('finds *.yaml and *.yml recursively and skips node_modules and dot-folders', async () => {
    const project = await load({
      'a.yaml': system('a'),
      'deep/er/b.yml': system('b'),
      'node_modules/x/c.yaml': 'x: [',
      '.git/d.yaml': 'x: [',
      'deep/.cache/e.yaml': 'x: [',
      'notes.txt': 'not yaml',
    })
    assert.deepEqual(project.files, ['a.yaml', 'deep/er/b.yml'])
    assert.deepEqual(project.issues, [])
    assert.deepEqual(
      project.documents.map((d) => [d.kind, d.name, d.file]),
      [
        ['System', 'a', 'a.yaml'],
        ['System', 'b', 'deep/er/b.yml'],
      ],
    )
  })

  it('reads several documents from one file and positions each in the file', async () => {
    const project = await load({ 'all.yaml': `${system('a')}---\n${system('b')}` })
    const [a, b] = project.documents
    assert.equal(a?.index, 0)
    assert.equal(b?.index, 1)
    assert.deepEqual(b?.positionOf(['name']), { line: 6, column: 7 })
    assert.deepEqual(b?.value, { kind: 'System', name: 'b', connector: 'csv' })
  })

  it('positions the deepest existing node of a path, and a key itself when asked', async () => {
    const project = await load({
      's.yaml': yaml(
        'kind: System',
        'name: s',
        'tables:',
        '  users:',
        '    primarykey: id',
        '    columns: { id: string }',
      ),
    })
    const doc = project.documents[0]
    assert.ok(doc)
    assert.deepEqual(doc.positionOf(['tables', 'users', 'primarykey']), { line: 5, column: 17 })
    assert.deepEqual(doc.positionOf(['tables', 'users', 'primarykey'], { at: 'key' }), { line: 5, column: 5 })
    assert.deepEqual(doc.positionOf(['tables', 'users', 'columns', 'id', 'type']), { line: 6, column: 20 })
    assert.deepEqual(doc.positionOf(['tables', 'nothere', 'x']), { line: 4, column: 3 })
  })

  it('reports a YAML syntax error with its position and only the first of a cascade', async () => {
    const project = await load({ 'bad.yaml': yaml('kind: System', 'name: x', 'tables: [a, b', 'relations: {') })
    assert.deepEqual(where(project.issues), ['bad.yaml:4:1 CFG_YAML_SYNTAX'])
    assert.deepEqual(project.documents, [])
  })

  it('reports a duplicate key as an error naming the key and its first position, and keeps the document', async () => {
    const project = await load({ 'dup.yaml': yaml('kind: System', 'name: x', 'connector: csv', 'connector: ldap') })
    assert.deepEqual(where(project.issues), ['dup.yaml:4:1 CFG_DUPLICATE_KEY'])
    assert.match(project.issues[0]?.message ?? '', /Key 'connector' appears twice .* first is at line 3, column 1/)
    assert.equal(project.documents.length, 1)
  })

  it('reports a document whose aliases expand too far instead of crashing', async () => {
    const lines = ['kind: System', 'name: bomb', 'a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (const [prev, next] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg']) {
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`)
    }
    const project = await load({ 'bomb.yaml': yaml(...lines) })
    assert.deepEqual(where(project.issues), ['bomb.yaml:1:1 CFG_YAML_SYNTAX'])
    assert.match(project.issues[0]?.message ?? '', /Excessive alias count/)
    assert.deepEqual(project.documents, [])
  })

  it('reports a document that is not a mapping', async () => {
    const project = await load({ 'list.yaml': yaml('- kind: System', '  name: x') })
    assert.deepEqual(where(project.issues), ['list.yaml:1:1 CFG_NOT_A_MAPPING'])
  })

  it('reports a missing kind and an unknown kind with did-you-mean, and loads an EventAction (no longer a future kind)', async () => {
    const project = await load({
      'k.yaml': [
        'name: nokind',
        'kind: Sytem\nname: typo',
        'kind: EventAction\nname: later',
        'kind: 42\nname: num',
      ].join('\n---\n'),
    })
    assert.deepEqual(where(project.issues), [
      'k.yaml:1:1 CFG_UNKNOWN_KIND',
      'k.yaml:3:7 CFG_UNKNOWN_KIND',
      'k.yaml:9:7 CFG_UNKNOWN_KIND',
    ])
    assert.match(project.issues[1]?.hint ?? '', /^Did you mean 'System'\?/)
    assert.deepEqual(
      project.documents.map((d) => d.name),
      ['later'],
    )
  })

  it('reports a missing name and invalid names', async () => {
    const project = await load({
      'n.yaml': [
        'kind: System',
        'kind: System\nname: 1st',
        'kind: System\nname: hr-500',
        'kind: System\nname: [a]',
      ].join('\n---\n'),
    })
    assert.deepEqual(where(project.issues), [
      'n.yaml:1:1 CFG_MISSING_NAME',
      'n.yaml:4:7 CFG_INVALID_NAME',
      'n.yaml:7:7 CFG_INVALID_NAME',
      'n.yaml:10:7 CFG_INVALID_NAME',
    ])
    assert.equal(project.issues[1]?.value, '1st')
  })

  it('reports two documents of one kind with the same name, ignoring case, and says where the first is', async () => {
    const project = await load({ 'a.yaml': system('hr'), 'b/c.yaml': system('HR') })
    assert.deepEqual(where(project.issues), ['b/c.yaml:2:7 CFG_DUPLICATE_NAME'])
    assert.equal(
      project.issues[0]?.message,
      "System 'HR' is already defined as 'hr' (names are compared without case) in a.yaml:2:7.",
    )
    assert.deepEqual(
      project.documents.map((d) => d.file),
      ['a.yaml'],
    )
  })

  it('reports a file that is not UTF-8 at its first bad byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('kind: System\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')])
    const project = await load({ 'l.yaml': latin1, 'ok.yaml': system('ok') })
    assert.deepEqual(where(project.issues), ['l.yaml:2:10 CFG_INVALID_ENCODING'])
    assert.equal(project.documents.length, 1)
  })

  it('accepts a UTF-8 byte order mark', async () => {
    const project = await load({ 'bom.yaml': `\uFEFF${system('bom')}` })
    assert.deepEqual(project.issues, [])
    assert.equal(project.documents[0]?.name, 'bom')
  })

  it('reports an empty project with a hint to pass --project', async () => {
    const project = await load({ 'readme.md': '# nothing', 'empty.yaml': '# only a comment\n' })
    assert.deepEqual(where(project.issues), [':: CFG_EMPTY_PROJECT'])
    assert.match(project.issues[0]?.hint ?? '', /--project/)
  })

  it('reports a project folder that does not exist without throwing', async () => {
    const project = await loadProject(path.join(import.meta.dirname, 'no-such-folder'))
    assert.deepEqual(
      project.issues.map((i) => i.code),
      ['CFG_PROJECT_NOT_FOUND'],
    )
  })
})

describe('loadProject with an overlay (files)', () => {
  /** What a load gives, without the folder and the parsed trees: what two loads must agree on. */
  const summary = (project: Awaited<ReturnType<typeof loadProject>>) => ({
    files: project.files,
    documents: project.documents.map((d) => [d.kind, d.name, d.file, d.index, d.source, d.positionOf(['name'])]),
    issues: project.issues,
  })

  it('lists an added file, drops a removed one and reads an edited one from memory', async () => {
    const dir = await writeProject({ 'a.yaml': system('a'), 'b.yaml': system('b'), 'data.csv': 'id\n1\n' })
    dirs.push(dir)
    const files = new Map([
      ['a.yaml', system('a2')],
      ['b.yaml', null],
      ['new/deeper/c.yml', system('c')],
      ['node_modules/x/d.yaml', system('d')],
      ['deep/.cache/e.yaml', system('e')],
      ['notes.txt', 'not yaml'],
    ])
    const project = await loadProject(dir, { files })
    assert.deepEqual(project.files, ['a.yaml', 'new/deeper/c.yml'])
    assert.deepEqual(
      project.documents.map((d) => [d.kind, d.name, d.file]),
      [
        ['System', 'a2', 'a.yaml'],
        ['System', 'c', 'new/deeper/c.yml'],
      ],
    )
    // A removed file that does not exist, and an overlay without changes, change nothing.
    const plain = await loadProject(dir)
    assert.deepEqual(summary(await loadProject(dir, { files: new Map([['gone.yaml', null]]) })), summary(plain))
    assert.deepEqual(plain.files, ['a.yaml', 'b.yaml'])
  })

  it('positions the issues of an edited text exactly as when the text is written to the file', async () => {
    const texts = {
      syntax: yaml('kind: System', 'name: s', 'connector: [csv'),
      duplicate: yaml('# first', 'kind: System', 'name: dup', 'connector: csv', 'name: dup2'),
      names: `${system('a')}---\n${yaml('kind: Sytem', 'name: x')}---\n${yaml('kind: System', 'name: A')}`,
      bom: `\uFEFF${yaml('kind: System', 'name: 1bad')}`,
      crlf: yaml('kind: System', 'name: bad name', 'connector: csv').replace(/\n/g, '\r\n'),
      lone: yaml('kind: System', 'name: x\uD800y'),
    }
    for (const [label, text] of Object.entries(texts)) {
      const base = { 'a.yaml': system('a'), 'other.yaml': system('other') }
      const written = await writeProject({ ...base, 'edited/e.yaml': text })
      const original = await writeProject({ ...base, 'edited/e.yaml': system('e') })
      dirs.push(written, original)
      const expected = summary(await loadProject(written))
      assert.ok(expected.issues.length > 0, label)
      const overlaid = await loadProject(original, { files: new Map([['edited/e.yaml', text]]) })
      assert.deepEqual(summary(overlaid), expected, label)
    }
  })

  it('refuses a file that is not a plain path inside the project', async () => {
    const dir = await writeProject({ 'a.yaml': system('a'), 'folder/b.yaml': system('b') })
    dirs.push(dir)
    symlinkSync(path.join(dir, 'folder'), path.join(dir, 'linked'))
    symlinkSync(path.dirname(dir), path.join(dir, 'outside'))
    const outside = path.join(path.dirname(dir), 'escaped.yaml')
    for (const file of [
      '../escaped.yaml',
      'folder/../../escaped.yaml',
      outside,
      '/etc/x.yaml',
      'C:\\x.yaml',
      'folder\\..\\..\\x.yaml',
      './a.yaml',
      'folder//b.yaml',
      '',
      'linked/x.yaml',
      'outside/escaped.yaml',
      'a.yaml/x.yaml',
    ]) {
      await assert.rejects(
        loadProject(dir, { files: new Map([[file, system('x')]]) }),
        { code: 'BUG_UNEXPECTED' },
        file,
      )
      await assert.rejects(loadProject(dir, { files: new Map([[file, null]]) }), { code: 'BUG_UNEXPECTED' }, file)
    }
    assert.equal(existsSync(outside), false)
  })
})
