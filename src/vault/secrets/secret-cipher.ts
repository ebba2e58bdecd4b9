/**
 * The encryption of stored secrets: AES-256-GCM with a fresh random 12-byte nonce per write, and the
 * secret's name bound as additional authenticated data, so a ciphertext copied to another name does
 * not decrypt. Every ciphertext records the id of its key (the first 8 hex digits of the key's
 * SHA-256), so a wrong key is reported as such instead of as a corrupt secret.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { vaultError } from '../errors.ts'

/** A 32-byte key with its id; the bytes never leave this module's callers in a message. */
export interface SecretKey {
  readonly bytes: Buffer
  /** First 8 hex digits of sha256(key): names the key in messages without revealing it. */
  readonly id: string
}

/** One encrypted value as stored, every binary part as base64. */
export interface SealedSecret {
  readonly ciphertext: string
  readonly nonce: string
  readonly authTag: string
  readonly keyId: string
}

const ALGORITHM = 'aes-256-gcm'
const NONCE_BYTES = 12
const KEY_BYTES = 32
// The full 16-byte tag: a shorter one is accepted by GCM but weakens the integrity check.
const TAG_BYTES = 16

/** Names the key: the first 8 hex digits of its SHA-256. */
export function keyIdOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8)
}

/**
 * A key from its text: 64 hex digits or base64 of 32 bytes (surrounding whitespace ignored).
 * `source` names where it came from, for the error; the text itself is never repeated.
 */
export function parseSecretKey(text: string, source: string): SecretKey {
  const trimmed = text.trim()
  let bytes: Buffer | undefined
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) bytes = Buffer.from(trimmed, 'hex')
  else if (/^[A-Za-z0-9+/]{43}=?$|^[A-Za-z0-9_-]{43}=?$/.test(trimmed)) {
    bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
  }
  if (bytes?.length !== KEY_BYTES) {
    throw vaultError(
      'VLT_SECRET_KEY_INVALID',
      `${source} is not a secret key: expected 32 bytes as base64 (44 characters) or hex (64 characters), got ${trimmed.length} characters.`,
    )
  }
  return { bytes, id: keyIdOf(bytes) }
}

/** A new random key, and its text form (base64) for a key file. */
export function generateSecretKey(): { key: SecretKey; text: string } {
  const bytes = randomBytes(KEY_BYTES)
  return { key: { bytes, id: keyIdOf(bytes) }, text: bytes.toString('base64') }
}

/** Encrypts `value` for the secret `name` under `key`, with a fresh nonce. */
export function sealSecret(key: SecretKey, name: string, value: string): SealedSecret {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv(ALGORITHM, key.bytes, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.from(name, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  return {
    ciphertext: ciphertext.toString('base64'),
    nonce: nonce.toString('base64'),
    authTag: cipher.getAuthTag().toString('base64'),
    keyId: key.id,
  }
}

/**
 * Decrypts the secret `name`. Throws VLT_SECRET_WRONG_KEY when it was sealed with another key, and
 * VLT_SECRET_TAMPERED when the data, or the name it is stored under, was changed.
 */
export function openSecret(key: SecretKey, name: string, sealed: SealedSecret): string {
  if (sealed.keyId !== key.id) {
    throw vaultError(
      'VLT_SECRET_WRONG_KEY',
      `Secret ${name} was encrypted with key ${sealed.keyId}, the current key is ${key.id}.`,
      { details: { secret: name, keyId: sealed.keyId, currentKeyId: key.id } },
    )
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key.bytes, Buffer.from(sealed.nonce, 'base64'), {
      authTagLength: TAG_BYTES,
    })
    decipher.setAAD(Buffer.from(name, 'utf8'))
    decipher.setAuthTag(Buffer.from(sealed.authTag, 'base64'))
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8')
  } catch (error) {
    throw vaultError(
      'VLT_SECRET_TAMPERED',
      `Secret ${name} cannot be decrypted: its stored data was changed or belongs to another name.`,
      { cause: error, details: { secret: name } },
    )
  }
}
