import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { rejects } from '../../../test/support/errors.ts'
import { type TestVault, VAULT_KINDS, createTestVault, vaultText } from '../../../test/support/vaults.ts'
import { listSecrets, readSecrets, removeSecret, rotateSecretKey, setSecret } from '../index.ts'
import { generateSecretKey } from './secret-cipher.ts'

const PLAIN = 'plain-text-never-stored-7Qz'

for (const kind of VAULT_KINDS) {
  describe(`secret store (${kind})`, () => {
    let vault: TestVault
    const { key } = generateSecretKey()
    before(async () => {
      vault = await createTestVault(kind)
    })
    after(async () => vault.close())

    it('stores a secret encrypted and lists its metadata without the value', async () => {
      const record = await setSecret(vault.driver, key, {
        name: 'ldap-password',
        value: PLAIN,
        actor: 'alice',
        at: '2026-12-05T08:00:00.000Z',
      })
      assert.deepEqual(record, {
        name: 'ldap-password',
        createdAt: '2026-12-05T08:00:00.000Z',
        updatedAt: '2026-12-05T08:00:00.000Z',
        updatedBy: 'alice',
        keyId: key.id,
      })
      assert.deepEqual(await listSecrets(vault.driver), [record])
      assert.ok(!(await vaultText(vault.projectDir, vault.schema)).includes(PLAIN))
    })

    it('replaces a value, keeping when it was created', async () => {
      const record = await setSecret(vault.driver, key, {
        name: 'ldap-password',
        value: 'second',
        actor: 'cli',
        at: '2026-12-05T09:00:00.000Z',
      })
      assert.equal(record.createdAt, '2026-12-05T08:00:00.000Z')
      assert.equal(record.updatedAt, '2026-12-05T09:00:00.000Z')
      assert.equal(record.updatedBy, 'cli')
      assert.deepEqual(
        await readSecrets(vault.driver, () => key, ['ldap-password', 'missing']),
        new Map([['ldap-password', 'second']]),
      )
    })

    it('needs no key when nothing asked for is stored', async () => {
      const values = await readSecrets(vault.driver, () => assert.fail('key asked for'), ['missing'])
      assert.equal(values.size, 0)
    })

    it('detects a ciphertext copied to another name', async () => {
      await vault.driver.run(
        `INSERT INTO secrets (name, ciphertext, nonce, auth_tag, key_id, created_at, updated_at, updated_by)
         SELECT 'copied', ciphertext, nonce, auth_tag, key_id, created_at, updated_at, updated_by FROM secrets WHERE name = ?`,
        ['ldap-password'],
      )
      await rejects(
        readSecrets(vault.driver, () => key, ['copied']),
        'VLT_SECRET_TAMPERED',
      )
      await removeSecret(vault.driver, 'copied')
    })

    it('refuses invalid names, empty values, and removing what is not there', async () => {
      const set = (name: string, value: string) =>
        setSecret(vault.driver, key, { name, value, actor: 'cli', at: 'now' })
      await rejects(set('has space', 'v'), 'VLT_SECRET_NAME_INVALID')
      await rejects(set('x', ''), 'VLT_SECRET_EMPTY')
      await rejects(removeSecret(vault.driver, 'nothing-here'), 'VLT_UNKNOWN_SECRET')
    })

    it('refuses to store a secret with another key than the other secrets have', async () => {
      const other = generateSecretKey().key
      await rejects(
        setSecret(vault.driver, other, { name: 'new-one', value: 'v', actor: 'cli', at: 'now' }),
        'VLT_SECRET_WRONG_KEY',
      )
      assert.deepEqual(
        (await listSecrets(vault.driver)).map((s) => [s.name, s.keyId]),
        [['ldap-password', key.id]],
      )
      // The only secret, replaced: nothing else is encrypted with the old key, so the new one may take over.
      await setSecret(vault.driver, other, { name: 'ldap-password', value: 'v2', actor: 'cli', at: 'now' })
      assert.equal((await readSecrets(vault.driver, () => other, ['ldap-password'])).get('ldap-password'), 'v2')
      await setSecret(vault.driver, key, { name: 'ldap-password', value: 'second', actor: 'cli', at: 'now' })
    })

    it('re-encrypts every secret with a new key in one transaction', async () => {
      await setSecret(vault.driver, key, { name: 'db-url', value: 'postgres://x', actor: 'cli', at: 'now' })
      const next = generateSecretKey().key
      assert.equal(await rotateSecretKey(vault.driver, key, next), 2)
      assert.deepEqual(
        (await listSecrets(vault.driver)).map((s) => s.keyId),
        [next.id, next.id],
      )
      assert.equal((await readSecrets(vault.driver, () => next, ['db-url'])).get('db-url'), 'postgres://x')
      await rejects(
        readSecrets(vault.driver, () => key, ['db-url']),
        'VLT_SECRET_WRONG_KEY',
      )

      // A rotation that fails after re-encrypting (here: its audit record) leaves every secret as it was.
      await assert.rejects(
        rotateSecretKey(vault.driver, next, generateSecretKey().key, () => Promise.reject(new Error('audit failed'))),
        /audit failed/,
      )
      await rejects(rotateSecretKey(vault.driver, key, generateSecretKey().key), 'VLT_SECRET_WRONG_KEY')
      assert.deepEqual(
        (await listSecrets(vault.driver)).map((s) => s.keyId),
        [next.id, next.id],
      )
      assert.equal((await readSecrets(vault.driver, () => next, ['db-url'])).get('db-url'), 'postgres://x')
    })
  })
}
