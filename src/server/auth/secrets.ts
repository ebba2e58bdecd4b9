/**
 * The random secrets handed to clients (session cookies, CSRF tokens, API tokens) and the one-way
 * form they are stored and looked up by.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** 32 random bytes as base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The stored form of a session id or API token: its SHA-256 in hex. */
export function secretHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest()
  const y = createHash('sha256').update(b).digest()
  return timingSafeEqual(x, y) && a.length === b.length
}

export const API_TOKEN_PREFIX = 'pvt_'
