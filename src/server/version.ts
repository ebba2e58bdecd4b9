/** Provisio's version, from package.json: what GET /api/health and the OpenAPI document report. */
import { readFileSync } from 'node:fs'

export const PROVISIO_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version
