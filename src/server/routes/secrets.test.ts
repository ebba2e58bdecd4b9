import assert from 'node:assert/strict'
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type TestServer, createTestServer } from '../../../test/support/server.ts'
import { VAULT_KINDS, vaultText } from '../../../test/support/vaults.ts'
import { type SqlDriver, listAdminAudit } from '../../vault/index.ts'
import { registerSecretRoutes } from './secrets.ts'

const PLAIN = 'api-plaintext-Zx81-never-stored'

/** Everything the vault holds as text: the SQLite files, or every table of the PostgreSQL schema. */
async function storedText(server: TestServer, db: SqlDriver): Promise<string> {
  if (db.dialect.name === 'sqlite') return vaultText(server.dir, undefined)
  const tables = await db.query<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
  )
  const parts: string[] = []
  for (const { name } of tables) parts.push(JSON.stringify(await db.query(`SELECT * FROM "${name}"`)))
  return parts.join('\n')
}

for (const kind of VAULT_KINDS) {
  describe(`secret routes (${kind} vault)`, () => {
    let server: TestServer
    before(async () => {
      server = await createTestServer(kind, { register: registerSecretRoutes })
    })
    after(() => server.close())

    test('only admins list, set and remove secrets', async () => {
      for (const role of ['operator', 'auditor'] as const) {
        assert.equal((await server.as(role).get('/api/secrets')).status, 403)
        assert.equal((await server.as(role).put('/api/secrets/x', { value: PLAIN })).status, 403)
        assert.equal((await server.as(role).delete('/api/secrets/x')).status, 403)
      }
      assert.equal((await server.as('anonymous').get('/api/secrets')).status, 401)
    })

    test('an admin sets a secret; no answer, audit record or table holds the value', async () => {
      const set = await server.as('admin').put('/api/secrets/ldap-password', { value: PLAIN })
      assert.equal(set.status, 200, set.body)
      assert.equal(set.json.secret.name, 'ldap-password')
      assert.equal(set.json.secret.updatedBy, 'admin')
      assert.match(set.json.secret.keyId, /^[0-9a-f]{8}$/)
      assert.ok(!set.body.includes(PLAIN))

      // The first set made the project key file, readable by its owner only.
      const keyFile = path.join(server.dir, '.provisio', 'secret.key')
      assert.ok(existsSync(keyFile))
      if (process.platform !== 'win32') assert.equal(statSync(keyFile).mode & 0o777, 0o600)

      const list = await server.as('admin').get('/api/secrets')
      assert.equal(list.status, 200, list.body)
      assert.deepEqual(
        list.json.secrets.map((s: { name: string }) => s.name),
        ['ldap-password'],
      )
      assert.deepEqual(Object.keys(list.json.secrets[0]).sort(), [
        'createdAt',
        'keyId',
        'name',
        'updatedAt',
        'updatedBy',
      ])
      assert.ok(!list.body.includes(PLAIN))

      const [record] = await listAdminAudit(server.ctx.db, { action: 'secret.set' })
      assert.equal(record?.actor, 'admin')
      assert.equal(record?.subject, 'ldap-password')
      assert.deepEqual(record?.details, { keyId: set.json.secret.keyId })

      assert.ok(!(await storedText(server, server.ctx.db)).includes(PLAIN))
    })

    test('errors name the secret, never the value', async () => {
      const bad = await server.as('admin').put('/api/secrets/has%20space', { value: PLAIN })
      assert.equal(bad.status, 400, bad.body)
      assert.equal(bad.json.error.code, 'VLT_SECRET_NAME_INVALID')
      assert.ok(!bad.body.includes(PLAIN))
      const empty = await server.as('admin').put('/api/secrets/x', { value: '' })
      assert.equal(empty.json.error.code, 'VLT_SECRET_EMPTY')
      const wrongType = await server.as('admin').put('/api/secrets/x', { value: 12345678 })
      assert.equal(wrongType.status, 400, wrongType.body)
      assert.ok(!wrongType.body.includes('12345678'))
    })

    test('a lost key file is not replaced by a new key while secrets are stored', async () => {
      const keyFile = path.join(server.dir, '.provisio', 'secret.key')
      const text = readFileSync(keyFile, 'utf8')
      rmSync(keyFile)
      try {
        const set = await server.as('admin').put('/api/secrets/another', { value: PLAIN })
        assert.equal(set.status, 400, set.body)
        assert.equal(set.json.error.code, 'VLT_SECRET_KEY_MISSING')
        assert.equal(existsSync(keyFile), false)
        assert.deepEqual(
          (await server.as('admin').get('/api/secrets')).json.secrets.map((s: { name: string }) => s.name),
          ['ldap-password'],
        )
      } finally {
        writeFileSync(keyFile, text, { mode: 0o600 })
      }
    })

    test('an admin removes a secret; removing it again is a 404', async () => {
      const removed = await server.as('admin').delete('/api/secrets/ldap-password')
      assert.equal(removed.status, 200, removed.body)
      const [record] = await listAdminAudit(server.ctx.db, { action: 'secret.remove' })
      assert.equal(record?.actor, 'admin')
      assert.equal(record?.subject, 'ldap-password')
      const again = await server.as('admin').delete('/api/secrets/ldap-password')
      assert.equal(again.status, 404, again.body)
      assert.equal(again.json.error.code, 'VLT_UNKNOWN_SECRET')
      assert.deepEqual((await server.as('admin').get('/api/secrets')).json.secrets, [])
    })
  })
}
