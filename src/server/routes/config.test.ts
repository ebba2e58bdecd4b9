import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { registerConfigRoutes } from './config.ts'

// The configuration routes read project files only: one vault kind is enough.
describe('configuration routes', () => {
  let server: TestServer
  before(async () => {
    server = await createTestServer('sqlite', { register: (app, ctx) => registerConfigRoutes(app, ctx) })
  })
  after(() => server.close())

  test('every document is listed with its file, index and validity', async () => {
    const answer = await server.as('auditor').get('/api/documents')
    assert.equal(answer.status, 200, answer.body)
    const hr500 = answer.json.documents.find(
      (d: { kind: string; name: string }) => d.kind === 'System' && d.name === 'hr500',
    )
    assert.deepEqual(hr500, {
      kind: 'System',
      name: 'hr500',
      file: 'systems/hr500.yaml',
      index: 0,
      valid: true,
      errors: 0,
      warnings: 0,
    })
    assert.ok(answer.json.documents.every((d: { valid: boolean }) => d.valid))
    const validate = await server.as('auditor').get('/api/validate')
    assert.equal(validate.json.valid, true)
    assert.equal(validate.json.errors, 0)
    assert.equal(validate.json.documents, answer.json.documents.length)
  })

  test('one document: its source, parsed value and issues; names match in any case', async () => {
    const answer = await server.as('auditor').get('/api/documents/filter/NEEDS_ACCOUNT')
    assert.equal(answer.status, 200, answer.body)
    assert.equal(answer.json.kind, 'Filter')
    assert.equal(answer.json.name, 'needs_account')
    assert.equal(answer.json.file, 'filters/accounts.yaml')
    assert.match(answer.json.source, /name: needs_account/)
    assert.equal(answer.json.value.start, 'hr500.employees AS e')
    assert.deepEqual(answer.json.issues, [])
  })

  test('an unknown document is a 404 with a did-you-mean hint', async () => {
    const answer = await server.as('auditor').get('/api/documents/Filter/neds_account')
    assert.equal(answer.status, 404, answer.body)
    assert.equal(answer.json.error.code, 'CFG_UNKNOWN_DOCUMENT')
    assert.match(answer.json.error.hint, /Did you mean 'needs_account'\?/)
    const kind = await server.as('auditor').get('/api/documents/Fliter/needs_account')
    assert.equal(kind.status, 404)
    assert.match(kind.json.error.hint, /no document of kind Fliter/)
  })

  test('issues are positioned and belong to their document; the others stay valid', async () => {
    writeFileSync(
      path.join(server.dir, 'filters', 'broken.yaml'),
      [
        'kind: Filter',
        'name: fine',
        'start: hr500.employees AS e',
        '---',
        'kind: Filter',
        'name: broken',
        'start: hr500.employees AS e',
        'where: e.last_nam = 1',
        '',
      ].join('\n'),
    )
    const validate = await server.as('auditor').get('/api/validate')
    assert.equal(validate.status, 200, validate.body)
    assert.equal(validate.json.valid, false)
    const issue = validate.json.issues.find((i: { file?: string }) => i.file === 'filters/broken.yaml')
    assert.equal(issue.line, 8)
    assert.ok(issue.column > 0)
    assert.ok(issue.code.length > 0 && issue.message.length > 0 && issue.hint.length > 0)

    const list = await server.as('auditor').get('/api/documents')
    const of = (name: string) => list.json.documents.find((d: { name: string }) => d.name === name)
    assert.equal(of('broken').valid, false)
    assert.equal(of('broken').index, 1)
    assert.ok(of('broken').errors >= 1)
    assert.equal(of('fine').valid, true)
    assert.equal(of('needs_account').valid, true)

    const broken = await server.as('auditor').get('/api/documents/Filter/broken')
    assert.equal(broken.json.valid, false)
    assert.deepEqual(
      broken.json.issues,
      validate.json.issues.filter((i: { file?: string }) => i.file === 'filters/broken.yaml'),
    )
    assert.deepEqual((await server.as('auditor').get('/api/documents/Filter/fine')).json.issues, [])
  })

  test('an anonymous request gets nothing', async () => {
    for (const url of ['/api/documents', '/api/documents/System/hr500', '/api/validate']) {
      const answer = await server.as('anonymous').get(url)
      assert.equal(answer.status, 401)
      assert.equal(answer.json.error.code, 'SRV_UNAUTHENTICATED')
    }
  })
})
