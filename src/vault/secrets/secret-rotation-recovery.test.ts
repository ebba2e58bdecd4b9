/**
 * A `secrets rotate-key` interrupted between its commit and the rename of `secret.key.new` over
 * `secret.key`: the secrets are under the new key, the key file holds the old one. The next read
 * completes the rotation; a leftover of another key is named in the error's hint; keys from the
 * environment never make it touch a file. Real vaults, real key files.
 */
import assert from 'node:assert/strict'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { isProvisioError } from '../../core/index.ts'
import { rejects } from '../../../test/support/errors.ts'
import { type TestVault, VAULT_KINDS, createTestVault } from '../../../test/support/vaults.ts'
import { listSecrets, readSecrets, rotateSecretKey, setSecret } from '../index.ts'
import { generateSecretKey } from './secret-cipher.ts'
import { defaultKeyFile, loadSecretKey, newSecretKey } from './secret-key.ts'

const VALUE = 'rotation-recovery-value-4Kq'

function throwsCode(work: () => unknown, code: string, message: RegExp): void {
  assert.throws(work, (error: unknown) => {
    assert.ok(isProvisioError(error), String(error))
    assert.equal(error.code, code, error.message)
    assert.match(error.message, message)
    return true
  })
}

for (const kind of VAULT_KINDS) {
  describe(`interrupted key rotation (${kind})`, () => {
    let vault: TestVault
    let keyFile: string
    let pending: string
    const notices: string[] = []
    /** What openSystem does: the key the rows need, from the project's key file. */
    const read = (env: Record<string, string> = {}) =>
      readSecrets(
        vault.driver,
        (keyId, secret) =>
          loadSecretKey({ projectDir: vault.projectDir, env, keyId, secret, onNotice: (m) => notices.push(m) }),
        ['ldap-password'],
      )

    /** Sets a secret under a new project key file, rotates, then puts the crash's state in place. */
    async function crashAfterCommit(): Promise<{ oldId: string; newId: string; oldText: string; newText: string }> {
      const old = loadSecretKey({ projectDir: vault.projectDir, env: {} })
      const oldText = readFileSync(keyFile, 'utf8')
      const next = newSecretKey({ projectDir: vault.projectDir, env: {} })
      await rotateSecretKey(vault.driver, old, next.key)
      next.commit()
      const newText = readFileSync(keyFile, 'utf8')
      // The crash: the rename never happened.
      renameSync(keyFile, pending)
      writeFileSync(keyFile, oldText, { mode: 0o600 })
      chmodSync(keyFile, 0o600)
      return { oldId: old.id, newId: next.key.id, oldText, newText }
    }

    before(async () => {
      vault = await createTestVault(kind)
      keyFile = defaultKeyFile(vault.projectDir)
      pending = `${keyFile}.new`
      const key = loadSecretKey({ projectDir: vault.projectDir, env: {}, create: true })
      await setSecret(vault.driver, key, { name: 'ldap-password', value: VALUE, actor: 'cli', at: 'now' })
    })
    after(async () => vault.close())

    it('completes the rotation on the next read: secret.key then holds the new key', async () => {
      const { newId, newText } = await crashAfterCommit()
      notices.length = 0
      assert.equal((await read()).get('ldap-password'), VALUE)
      assert.equal(readFileSync(keyFile, 'utf8'), newText)
      assert.ok(!existsSync(pending))
      if (process.platform !== 'win32') assert.equal(statSync(keyFile).mode & 0o777, 0o600)
      assert.equal(notices.length, 1)
      assert.match(
        notices[0]!,
        new RegExp(`Completed an interrupted key rotation: .*secret\\.key\\.new \\(key ${newId}\\)`),
      )
      assert.ok(!notices[0]!.includes(newText.trim()), 'the notice names the key id, never the key')
      // And again: nothing left to complete.
      assert.equal((await read()).get('ldap-password'), VALUE)
      assert.equal(notices.length, 1)
    })

    it('lets the next rotate-key complete the interrupted one first, then rotate', async () => {
      const { newId } = await crashAfterCommit()
      // What `secrets rotate-key` does: the key the stored secrets need, then a new one.
      const [stored] = await listSecrets(vault.driver)
      const from = loadSecretKey({ projectDir: vault.projectDir, env: {}, keyId: stored!.keyId })
      assert.equal(from.id, newId)
      const to = newSecretKey({ projectDir: vault.projectDir, env: {} })
      await rotateSecretKey(vault.driver, from, to.key)
      to.commit()
      assert.equal((await read()).get('ldap-password'), VALUE)
      assert.deepEqual(
        readdirSync(path.dirname(keyFile)).filter((f) => f.startsWith('secret.key')),
        ['secret.key'],
      )
    })

    it('names a leftover of another key in the wrong-key hint, and leaves it', async () => {
      const { oldId, newId, newText } = await crashAfterCommit()
      const stray = generateSecretKey()
      writeFileSync(pending, `${stray.text}\n`, { mode: 0o600 })
      const error = await rejects(read(), 'VLT_SECRET_WRONG_KEY')
      assert.match(
        error.message,
        new RegExp(
          `^Secret ldap-password was encrypted with key ${newId}, the current key is ${oldId}\\. It comes from .*secret\\.key\\.$`,
        ),
      )
      assert.match(error.hint ?? '', /secret\.key\.new, left by an interrupted `provisio secrets rotate-key`/)
      assert.match(error.hint ?? '', new RegExp(`holds key ${stray.key.id}, not ${newId}`))
      assert.equal(readFileSync(pending, 'utf8'), `${stray.text}\n`)
      assert.ok(!readFileSync(keyFile, 'utf8').includes(newText.trim()))

      // An invalid leftover too (a half-written file of an older version).
      writeFileSync(pending, 'half', { mode: 0o600 })
      const invalid = await rejects(read(), 'VLT_SECRET_WRONG_KEY')
      assert.match(invalid.hint ?? '', /is not a valid key/)

      // A leftover group or others may read is refused as the key file would be.
      if (process.platform !== 'win32') {
        writeFileSync(pending, newText)
        chmodSync(pending, 0o644)
        await rejects(read(), 'VLT_SECRET_KEY_EXPOSED')
        chmodSync(pending, 0o600)
        assert.equal((await read()).get('ldap-password'), VALUE) // fixed: the rotation completes
      }
    })

    it('never touches the files when the key comes from the environment', async () => {
      const { oldId, newId, oldText, newText } = await crashAfterCommit()
      const error = await rejects(read({ PROVISIO_SECRET_KEY: oldText.trim() }), 'VLT_SECRET_WRONG_KEY')
      assert.match(
        error.message,
        new RegExp(
          `^Secret ldap-password was encrypted with key ${newId}, the current key is ${oldId}\\. It comes from PROVISIO_SECRET_KEY\\.$`,
        ),
      )
      assert.match(
        error.hint ?? '',
        new RegExp(`Set PROVISIO_SECRET_KEY to the key with id ${newId}.*the environment gives another key`),
      )
      const oldFile = path.join(vault.projectDir, 'old.key')
      copyFileSync(keyFile, oldFile)
      const fromFile = await rejects(read({ PROVISIO_SECRET_KEY_FILE: oldFile }), 'VLT_SECRET_WRONG_KEY')
      assert.match(
        fromFile.hint ?? '',
        new RegExp(`Point PROVISIO_SECRET_KEY_FILE at the file of the key with id ${newId}`),
      )
      assert.equal(readFileSync(keyFile, 'utf8'), oldText)
      assert.equal(readFileSync(pending, 'utf8'), newText)
      // The right key from the environment opens the secrets, still without touching the files.
      assert.equal((await read({ PROVISIO_SECRET_KEY: newText.trim() })).get('ldap-password'), VALUE)
      assert.equal(readFileSync(keyFile, 'utf8'), oldText)
      assert.ok(existsSync(pending))
      // Clean up for the next test: complete it from the project file.
      assert.equal((await read()).get('ldap-password'), VALUE)
    })

    it('says the key file is missing, or names the backup to restore, without a leftover', async () => {
      const [stored] = await listSecrets(vault.driver)
      const other = generateSecretKey()
      const saved = readFileSync(keyFile, 'utf8')
      writeFileSync(keyFile, `${other.text}\n`)
      const error = await rejects(read(), 'VLT_SECRET_WRONG_KEY')
      assert.match(error.hint ?? '', new RegExp(`Restore the key file of the key with id ${stored!.keyId}`))
      // Without a secret to name (`secrets set`, `rotate-key`): the store's secrets.
      throwsCode(
        () => loadSecretKey({ projectDir: vault.projectDir, env: {}, keyId: stored!.keyId }),
        'VLT_SECRET_WRONG_KEY',
        new RegExp(
          `^The stored secrets were encrypted with key ${stored!.keyId}, the current key is ${other.key.id}\\.`,
        ),
      )
      // No key file at all: missing, and a leftover of another key is named in the hint.
      rmSync(keyFile)
      writeFileSync(pending, `${other.text}\n`, { mode: 0o600 })
      const missing = await rejects(read(), 'VLT_SECRET_KEY_MISSING')
      assert.match(missing.hint ?? '', new RegExp(`holds key ${other.key.id}, not ${stored!.keyId}`))
      // … while a leftover of the key needed takes the key file's place.
      writeFileSync(pending, saved, { mode: 0o600 })
      assert.equal((await read()).get('ldap-password'), VALUE)
      assert.equal(readFileSync(keyFile, 'utf8'), saved)
      assert.ok(!existsSync(pending))
    })
  })
}
