import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { ProvisioError } from '../../core/index.ts'
import { generateSecretKey, keyIdOf, openSecret, parseSecretKey, sealSecret } from './secret-cipher.ts'
import { defaultKeyFile, loadSecretKey, newSecretKey } from './secret-key.ts'

const HEX_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'

function throwsCode(work: () => unknown, code: string): ProvisioError {
  try {
    work()
  } catch (error) {
    assert.ok(error instanceof ProvisioError, String(error))
    assert.equal(error.code, code, error.message)
    return error
  }
  assert.fail(`expected ${code}`)
}

describe('secret cipher', () => {
  const { key } = generateSecretKey()

  it('decrypts what it encrypted', () => {
    const sealed = sealSecret(key, 'ldap-password', 'S3cr3t, with ünïcode')
    assert.equal(openSecret(key, 'ldap-password', sealed), 'S3cr3t, with ünïcode')
    assert.equal(sealed.keyId, key.id)
    assert.ok(!sealed.ciphertext.includes('S3cr3t'))
  })

  it('uses a fresh 12-byte nonce for every write', () => {
    const a = sealSecret(key, 'x', 'same value')
    const b = sealSecret(key, 'x', 'same value')
    assert.equal(Buffer.from(a.nonce, 'base64').length, 12)
    assert.notEqual(a.nonce, b.nonce)
    assert.notEqual(a.ciphertext, b.ciphertext)
  })

  it('refuses a tampered ciphertext or tag', () => {
    const sealed = sealSecret(key, 'x', 'value')
    const bytes = Buffer.from(sealed.ciphertext, 'base64')
    bytes[0] = bytes[0]! ^ 1
    throwsCode(() => openSecret(key, 'x', { ...sealed, ciphertext: bytes.toString('base64') }), 'VLT_SECRET_TAMPERED')
    const tag = Buffer.from(sealed.authTag, 'base64')
    tag[3] = tag[3]! ^ 0x80
    throwsCode(() => openSecret(key, 'x', { ...sealed, authTag: tag.toString('base64') }), 'VLT_SECRET_TAMPERED')
  })

  it('refuses a ciphertext copied to another name (the name is authenticated data)', () => {
    const sealed = sealSecret(key, 'ldap-password', 'value')
    const error = throwsCode(() => openSecret(key, 'db-password', sealed), 'VLT_SECRET_TAMPERED')
    assert.equal(
      error.message,
      'Secret db-password cannot be decrypted: its stored data was changed or belongs to another name.',
    )
  })

  it('reports a wrong key by the key ids, not as garbage', () => {
    const sealed = sealSecret(key, 'ldap-password', 'value')
    const other = parseSecretKey(HEX_KEY, 'test')
    const error = throwsCode(() => openSecret(other, 'ldap-password', sealed), 'VLT_SECRET_WRONG_KEY')
    assert.equal(
      error.message,
      `Secret ldap-password was encrypted with key ${key.id}, the current key is ${other.id}.`,
    )
  })

  it('names a key by the first 8 hex digits of its SHA-256', () => {
    const key = parseSecretKey(HEX_KEY, 'test')
    assert.match(key.id, /^[0-9a-f]{8}$/)
    assert.equal(key.id, keyIdOf(Buffer.from(HEX_KEY, 'hex')))
  })

  it('reads a key as hex or base64 of 32 bytes and refuses anything else without repeating it', () => {
    const base64 = Buffer.from(HEX_KEY, 'hex').toString('base64')
    assert.equal(parseSecretKey(base64, 'test').id, parseSecretKey(HEX_KEY, 'test').id)
    assert.equal(parseSecretKey(`${HEX_KEY}\n`, 'test').id, parseSecretKey(HEX_KEY, 'test').id)
    for (const bad of ['short-key-text', HEX_KEY.slice(2), Buffer.alloc(16).toString('base64'), `${HEX_KEY}00`]) {
      const error = throwsCode(() => parseSecretKey(bad, 'PROVISIO_SECRET_KEY'), 'VLT_SECRET_KEY_INVALID')
      assert.ok(!error.message.includes(bad), error.message)
      assert.match(error.message, /^PROVISIO_SECRET_KEY is not a secret key: expected 32 bytes/)
    }
  })
})

describe('secret key', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-key-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('prefers PROVISIO_SECRET_KEY', () => {
    const key = loadSecretKey({ projectDir: dir, env: { PROVISIO_SECRET_KEY: HEX_KEY } })
    assert.equal(key.id, parseSecretKey(HEX_KEY, 'test').id)
  })

  it('reports a missing key unless asked to create one', () => {
    throwsCode(() => loadSecretKey({ projectDir: dir, env: {} }), 'VLT_SECRET_KEY_MISSING')
  })

  it('creates the project key file with mode 0600 and reads it back', () => {
    const made = loadSecretKey({ projectDir: dir, env: {}, create: true })
    const file = defaultKeyFile(dir)
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.equal(loadSecretKey({ projectDir: dir, env: {} }).id, made.id)
  })

  it(
    'refuses a key file readable by group or others, with a chmod hint',
    { skip: process.platform === 'win32' },
    () => {
      const file = path.join(dir, 'open.key')
      writeFileSync(file, HEX_KEY)
      chmodSync(file, 0o644)
      const error = throwsCode(
        () => loadSecretKey({ projectDir: dir, env: { PROVISIO_SECRET_KEY_FILE: file } }),
        'VLT_SECRET_KEY_EXPOSED',
      )
      assert.equal(error.hint, `Restrict it to its owner: chmod 600 ${file}`)
      chmodSync(file, 0o600)
      assert.equal(
        loadSecretKey({ projectDir: dir, env: { PROVISIO_SECRET_KEY_FILE: file } }).id,
        parseSecretKey(HEX_KEY, 't').id,
      )
    },
  )

  it('rotates the project key file only when the rotation commits', () => {
    const file = defaultKeyFile(dir)
    const before = readFileSync(file, 'utf8')
    const failed = newSecretKey({ projectDir: dir, env: {} })
    failed.abandon()
    assert.equal(readFileSync(file, 'utf8'), before)
    const next = newSecretKey({ projectDir: dir, env: {} })
    next.commit()
    assert.equal(loadSecretKey({ projectDir: dir, env: {} }).id, next.key.id)
    assert.notEqual(next.key.id, keyIdOf(Buffer.from(before.trim(), 'base64')))
  })

  it('asks for a new key in the environment when the current one comes from there', () => {
    throwsCode(() => newSecretKey({ projectDir: dir, env: { PROVISIO_SECRET_KEY: HEX_KEY } }), 'VLT_SECRET_KEY_MISSING')
  })
})
