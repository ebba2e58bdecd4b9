import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { parseAllDocuments } from 'yaml'
import { ProvisioError } from '../core/index.ts'
import { replaceDocument, replaceDocumentInFile, writeFileAtomically } from './replace-document.ts'

const FILE = [
  '# The access model and its friends.',
  'kind: Filter',
  'name: first # stays',
  '',
  '# below the first',
  '---',
  '# above the model',
  'kind: RoleModel',
  'name: old',
  'roles: []',
  '# below the model',
  '--- # marker comment',
  'kind: Filter',
  'name: last',
  '',
].join('\n')

const MODEL = '# restored\nkind: RoleModel\nname: restored\nroles: []\n'

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof ProvisioError)
    return error.code
  }
  return undefined
}

/** The documents' `name`s, as a reader of the file sees them. */
function names(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.get('name'))
}

describe('replaceDocument', () => {
  it('replaces a middle document and keeps the others byte for byte', () => {
    const result = replaceDocument(FILE, 1, MODEL, { kind: 'RoleModel' })
    assert.equal(
      result,
      [
        '# The access model and its friends.',
        'kind: Filter',
        'name: first # stays',
        '',
        '# below the first',
        '---',
        '# restored',
        'kind: RoleModel',
        'name: restored',
        'roles: []',
        '--- # marker comment',
        'kind: Filter',
        'name: last',
        '',
      ].join('\n'),
    )
    assert.deepEqual(names(result), ['first', 'restored', 'last'])
  })

  it('replaces the first document with the comments above it', () => {
    const result = replaceDocument(FILE, 0, 'kind: Filter\nname: new\n')
    assert.equal(result, `kind: Filter\nname: new\n${FILE.slice(FILE.indexOf('---\n# above'))}`)
    assert.deepEqual(names(result), ['new', 'old', 'last'])
  })

  it('replaces the last document up to the end of the file', () => {
    const result = replaceDocument(FILE, 2, 'kind: Filter\nname: new # the end\n')
    assert.equal(result, `${FILE.slice(0, FILE.indexOf('--- # marker'))}---\nkind: Filter\nname: new # the end\n`)
    assert.deepEqual(names(result), ['first', 'old', 'new'])
  })

  it('keeps a replacement that brings its own --- as it is', () => {
    const result = replaceDocument(FILE, 2, '---\nkind: Filter\nname: new\n')
    assert.ok(result.endsWith('# below the model\n---\nkind: Filter\nname: new\n'))
  })

  it('replaces the only document of a file by exactly the replacement', () => {
    assert.equal(replaceDocument('# old\nkind: RoleModel\nname: a\n', 0, MODEL), MODEL)
    assert.equal(
      replaceDocument('kind: RoleModel\nname: a', 0, 'kind: RoleModel\nname: b'),
      'kind: RoleModel\nname: b\n',
    )
  })

  it('keeps CRLF line endings, in the replacement too', () => {
    const crlf = FILE.replace(/\n/g, '\r\n')
    const result = replaceDocument(crlf, 1, MODEL)
    assert.equal(result, replaceDocument(FILE, 1, MODEL).replace(/\n/g, '\r\n'))
    assert.doesNotMatch(result, /[^\r]\n/)
  })

  it('keeps a byte order mark', () => {
    const result = replaceDocument('\uFEFFkind: RoleModel\nname: a\n---\nkind: Filter\nname: b\n', 0, MODEL)
    assert.equal(result, `\uFEFF${MODEL}---\nkind: Filter\nname: b\n`)
  })

  it('keeps the ... that a following document without --- needs, and the directives in between', () => {
    const text = 'kind: Filter\nname: a\n...\nkind: RoleModel\nname: b\n...\n%YAML 1.2\n---\nkind: Filter\nname: c\n'
    const first = replaceDocument(text, 0, 'kind: Filter\nname: x\n')
    assert.equal(first, `kind: Filter\nname: x\n...\n${text.slice(text.indexOf('kind: RoleModel'))}`)
    const middle = replaceDocument(text, 1, MODEL)
    assert.equal(middle, `kind: Filter\nname: a\n...\n---\n${MODEL}...\n%YAML 1.2\n---\nkind: Filter\nname: c\n`)
    assert.deepEqual(names(middle), ['a', 'restored', 'c'])
  })

  it('refuses a document that is not there, or not of the expected kind', () => {
    assert.equal(
      codeOf(() => replaceDocument(FILE, 3, MODEL)),
      'CFG_DOCUMENT_NOT_FOUND',
    )
    assert.equal(
      codeOf(() => replaceDocument(FILE, 0, MODEL, { kind: 'RoleModel' })),
      'CFG_DOCUMENT_NOT_FOUND',
    )
    assert.equal(
      codeOf(() => replaceDocument('', 0, MODEL)),
      'CFG_DOCUMENT_NOT_FOUND',
    )
  })
})

describe('replaceDocumentInFile', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-replace-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the file atomically, keeping its permissions and leaving no temporary file', async () => {
    const file = path.join(dir, 'roles.yaml')
    writeFileSync(file, FILE)
    chmodSync(file, 0o640)
    const text = await replaceDocumentInFile(file, 1, MODEL, { kind: 'RoleModel' })
    assert.equal(readFileSync(file, 'utf8'), text)
    assert.equal(text, replaceDocument(FILE, 1, MODEL))
    assert.equal(statSync(file).mode & 0o777, 0o640)
    assert.deepEqual(readdirSync(dir), ['roles.yaml'])
  })

  it('leaves the file untouched when the document is not there', async () => {
    const file = path.join(dir, 'other.yaml')
    writeFileSync(file, FILE)
    await assert.rejects(replaceDocumentInFile(file, 0, MODEL, { kind: 'RoleModel' }), /not of kind RoleModel/)
    assert.equal(readFileSync(file, 'utf8'), FILE)
  })

  it('creates a new file', async () => {
    const file = path.join(dir, 'new.yaml')
    await writeFileAtomically(file, MODEL)
    assert.equal(readFileSync(file, 'utf8'), MODEL)
  })
})
