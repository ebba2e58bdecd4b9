import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { appendDocument, defaultDocumentFile, documentCount, removeDocument } from './document-edit.ts'
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
