/**
 * `provisio secrets` after a `rotate-key` interrupted between its commit and the rename of
 * `.provisio/secret.key.new` over `secret.key`: the next command completes the rotation, says so in
 * one line on stderr (file names and key ids, never a key), and goes on. Real CLI, real vaults.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type CliResult, copyHr500, jsonOf, projectArgs, provisio } from '../../../test/support/cli.ts'
import { VAULT_KINDS, dropVaultSchema } from '../../../test/support/vaults.ts'

const VALUE = 'cli-rotation-value-8Jx'
/** No key of the caller's environment: the project's key file only. */
const ENV = {
  PROVISIO_SECRET_KEY: '',
  PROVISIO_SECRET_KEY_FILE: '',
  PROVISIO_NEW_SECRET_KEY: '',
  PROVISIO_NEW_SECRET_KEY_FILE: '',
  SECRET_VALUE: VALUE,
}

for (const kind of VAULT_KINDS) {
  describe(`provisio secrets after an interrupted rotate-key (${kind})`, () => {
    let project: ReturnType<typeof copyHr500>
    let args: string[]
    const schema = kind === 'postgres' ? `cli_rotation_${process.pid}_${Date.now().toString(36)}` : undefined
    const run = (...command: string[]): CliResult => provisio([...command, ...args], { env: ENV })
    let keyFile: string

    /** rotate-key, then the state a crash after its commit leaves: the old key back in secret.key. */
    function crashAfterCommit(): { toKeyId: string; newText: string } {
      const oldText = readFileSync(keyFile, 'utf8')
      const rotated = jsonOf<{ toKeyId: string }>(run('secrets', 'rotate-key', '--json'), ['secrets rotate-key'])
      const newText = readFileSync(keyFile, 'utf8')
      renameSync(keyFile, `${keyFile}.new`)
      writeFileSync(keyFile, oldText, { mode: 0o600 })
      return { toKeyId: rotated.toKeyId, newText }
    }

    before(() => {
      project = copyHr500()
      args = projectArgs(project.dir, schema)
      keyFile = path.join(project.dir, '.provisio', 'secret.key')
      const set = run('secrets', 'set', 'ldap-password', '--from-env', 'SECRET_VALUE')
      assert.equal(set.status, 0, set.stderr)
    })
    after(async () => {
      await dropVaultSchema(schema)
      project.remove()
    })

    it('completes the rotation on the next `secrets set`, with a one-line notice', () => {
      const { toKeyId, newText } = crashAfterCommit()
      const result = run('secrets', 'set', 'db-password', '--from-env', 'SECRET_VALUE')
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, new RegExp(`Secret db-password stored \\(key ${toKeyId}\\)`))
      assert.match(
        result.stderr,
        new RegExp(
          `^Completed an interrupted key rotation: .*secret\\.key\\.new \\(key ${toKeyId}\\) replaced .*secret\\.key\\. Back up the new key file\\.\\n$`,
        ),
      )
      assert.equal(readFileSync(keyFile, 'utf8'), newText)
      assert.equal(existsSync(`${keyFile}.new`), false)
      for (const output of [result.stdout, result.stderr]) {
        assert.ok(!output.includes(VALUE) && !output.includes(newText.trim()))
      }
    })

    it('completes it before the next `secrets rotate-key`, which then rotates from that key', () => {
      const { toKeyId } = crashAfterCommit()
      const result = run('secrets', 'rotate-key', '--json')
      const rotated = jsonOf<{ fromKeyId: string; toKeyId: string; secrets: number }>(result, ['secrets rotate-key'])
      assert.equal(rotated.fromKeyId, toKeyId)
      assert.equal(rotated.secrets, 2)
      assert.match(result.stderr, /Completed an interrupted key rotation/)
      const list = jsonOf<{ keyId: string }[]>(run('secrets', 'list', '--json'), ['secrets list'])
      assert.deepEqual(
        list.map((s) => s.keyId),
        [rotated.toKeyId, rotated.toKeyId],
      )
    })
  })
}
