/**
 * Password hashes the SQL connector stores in a table's `password.column`:
 * `scrypt$<salt>$<hash>`, salt and hash in base64, from node:crypto's scrypt with its defaults
 * (N=16384, r=8, p=1), a random 16-byte salt per password and a 64-byte key. An application
 * verifies a password by hashing it with the stored salt and comparing in constant time, as
 * {@link verifyPassword} does.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

const SALT_BYTES = 16
const KEY_BYTES = 64

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, (error, key) => (error === null ? resolve(key) : reject(error))),
  )
}

/**
 * Hashes a password for storage; every call uses a fresh salt.
 *
 * @example
 * await hashPassword('Summer-2026') // 'scrypt$3q2+7w…$Yc1F…'
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt)
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Whether `password` is the one `stored` (a {@link hashPassword} result) was made from. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'))
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
