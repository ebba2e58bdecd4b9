/**
 * Provisio's version, for the `User-Agent` of webhook requests. Read from package.json, which sits
 * two folders up both in src/ (tsx) and in dist/ (the build).
 */
import { createRequire } from 'node:module'

let version: string | undefined

export function provisioVersion(): string {
  version ??= (createRequire(import.meta.url)('../../package.json') as { version: string }).version
  return version
}
