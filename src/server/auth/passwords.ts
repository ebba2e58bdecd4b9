/**
 * Password hashing with scrypt from node:crypto (no native dependency), stored as
 * `scrypt$N$r$p$salt$hash` (base64url) so the cost can be raised later and old hashes still verify.
 * Verification is timing-safe, and an unknown user costs the same as a wrong password.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { serverError } from '../errors.ts'

export const MIN_PASSWORD_LENGTH = 12

/** The cost of new hashes; each hash carries its own, so raising this later keeps old hashes valid. */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32
const SALT_LENGTH = 16

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128·N·r bytes; the default 32 MiB is exactly too small for N = 2^15, r = 8.
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    )
  })
}

/** Throws SRV_WEAK_PASSWORD for a password too short to be worth hashing. */
export function checkPasswordStrength(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw serverError('SRV_WEAK_PASSWORD', `The password has fewer than ${MIN_PASSWORD_LENGTH} characters.`)
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, COST.N, COST.r, COST.p)
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p))
  return key.length === expected.length && timingSafeEqual(key, expected)
}

let dummyHash: Promise<string> | undefined

/**
 * Spends the time of one verification for a user that does not exist, so that the answer's timing
 * does not tell which names exist.
 */
export async function verifyNobody(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
  await verifyPassword(password, await dummyHash)
  return false
}

/** A generated password for a new user: 20 characters of base64url from 15 random bytes. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url')
}
