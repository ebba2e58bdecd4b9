/** hash(): hex digests of the UTF-8 bytes of a string, with node:crypto. */
import { createHash } from 'node:crypto'

export const HASH_ALGORITHMS = ['sha256', 'sha512', 'md5'] as const
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number]

export function hash(s: string | null, algorithm: HashAlgorithm): string | null {
  return s === null ? null : createHash(algorithm).update(s, 'utf8').digest('hex')
}
