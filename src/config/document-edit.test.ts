import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import { appendDocument, defaultDocumentFile, documentCount, removeDocument } from './document-edit.ts'
import { withDraftProject } from './project-draft.ts'
import { replaceDocumentAt } from './replace-document.ts'

describe('appendDocument', () => {
  test('starts a new file, or follows the last document after a ---, with the file’s line endings', () => {
    assert.deepEqual(appendDocument('', 'kind: B'), { text: 'kind: B\n', start: 0 })
    assert.deepEqual(appendDocument('kind: A', 'kind: B\n'), { text: 'kind: A\n---\nkind: B\n', start: 12 })
    assert.deepEqual(appendDocument('kind: A\r\n', 'kind: B\nname: b\n'), {
      text: 'kind: A\r\n---\r\nkind: B\r\nname: b\r\n',
      start: 14,
    })
    assert.equal(appendDocument('kind: A\n', '---\nkind: B\n').text, 'kind: A\n---\nkind: B\n')
  })
})

describe('replaceDocumentAt', () => {
  test('tells where the replacement begins', () => {
    const { text, start } = replaceDocumentAt('kind: A\n---\nkind: B\n', 1, 'kind: C\n')
    assert.equal(text, 'kind: A\n---\nkind: C\n')
    assert.equal(text.slice(start), 'kind: C\n')
  })
})

describe('removeDocument', () => {
  const file = '# head\nkind: A\n---\n# about B\nkind: B\n---\nkind: C\n'
  test('removes one document and keeps the others byte for byte', () => {
    assert.equal(removeDocument(file, 1), '# head\nkind: A\n---\nkind: C\n')
    assert.equal(removeDocument(file, 2), '# head\nkind: A\n---\n# about B\nkind: B\n')
    assert.equal(removeDocument(file, 0), '---\n# about B\nkind: B\n---\nkind: C\n')
  })
  test('says when nothing is left, and refuses a document of another kind', () => {
    assert.equal(removeDocument('kind: A\n', 0), undefined)
    assert.equal(removeDocument('kind: A\n---\n# only a comment\n', 0), undefined)
    assert.throws(() => removeDocument(file, 1, { kind: 'A' }), { code: 'CFG_DOCUMENT_NOT_FOUND' })
  })
  test('keeps a document that followed an end marker separate', () => {
    const text = 'kind: A\n---\nkind: B\n...\nkind: C\n'
    assert.equal(removeDocument(text, 1), 'kind: A\n---\nkind: C\n')
  })
})

test('documentCount and defaultDocumentFile', () => {
  assert.deepEqual(documentCount('kind: A\n'), { count: 1 })
  assert.deepEqual(documentCount('# nothing\n'), { count: 0 })
  assert.deepEqual(documentCount('kind: A\n---\nkind: B\n'), { count: 2, secondLine: 2 })
  assert.equal(defaultDocumentFile('Filter', 'x'), 'filters/x.yaml')
  assert.equal(defaultDocumentFile('Job', 'x'), 'mappings/x.yaml')
})

test('withDraftProject mirrors the project with the changed files, and leaves it untouched', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'provisio-draft-test-'))
  mkdirSync(path.join(dir, 'filters'))
  writeFileSync(path.join(dir, 'filters', 'a.yaml'), 'kind: A\n')
  writeFileSync(path.join(dir, 'filters', 'b.yaml'), 'kind: B\n')
  writeFileSync(path.join(dir, 'data.csv'), 'id\n1\n')
  const seen = await withDraftProject(
    dir,
    new Map([
      ['filters/a.yaml', 'kind: A2\n'],
      ['filters/b.yaml', null],
      ['new/c.yaml', 'kind: C\n'],
    ]),
    async (draft) => ({
      draft,
      a: readFileSync(path.join(draft, 'filters', 'a.yaml'), 'utf8'),
      b: existsSync(path.join(draft, 'filters', 'b.yaml')),
      c: readFileSync(path.join(draft, 'new', 'c.yaml'), 'utf8'),
      csv: readFileSync(path.join(draft, 'data.csv'), 'utf8'),
    }),
  )
  assert.deepEqual(
    { ...seen, draft: undefined },
    { draft: undefined, a: 'kind: A2\n', b: false, c: 'kind: C\n', csv: 'id\n1\n' },
  )
  assert.equal(existsSync(seen.draft), false)
  assert.equal(readFileSync(path.join(dir, 'filters', 'a.yaml'), 'utf8'), 'kind: A\n')
  assert.equal(existsSync(path.join(dir, 'filters', 'b.yaml')), true)
  rmSync(dir, { recursive: true, force: true })
})

test('withDraftProject never writes an edited file through a linked folder', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'provisio-draft-test-'))
  try {
    mkdirSync(path.join(dir, 'filters'))
    symlinkSync(path.join(dir, 'filters'), path.join(dir, 'linked'))
    await assert.rejects(
      withDraftProject(dir, new Map([['linked/x.yaml', 'kind: X\n']]), async () => 'checked'),
      { code: 'BUG_UNEXPECTED' },
    )
    assert.equal(existsSync(path.join(dir, 'filters', 'x.yaml')), false)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a draft still open when the process exits is removed', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'provisio-draft-test-'))
  try {
    writeFileSync(path.join(dir, 'a.yaml'), 'kind: A\n')
    const script = [
      `import { withDraftProject } from ${JSON.stringify(new URL('./project-draft.ts', import.meta.url).href)}`,
      `await withDraftProject(${JSON.stringify(dir)}, new Map(), async (draft) => {`,
      '  process.stdout.write(draft)',
      '  process.exit(0)',
      '})',
    ].join('\n')
    const draft = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    })
    assert.match(draft, /provisio-draft-/)
    assert.equal(existsSync(draft), false)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
