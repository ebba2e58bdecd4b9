import { coreError } from './core-errors.ts'
import { ProvisioError } from './provisio-error.ts'

/**
 * Normalises anything caught at a boundary: our own errors pass through, everything else becomes a
 * BUG_UNEXPECTED error that keeps the original as `cause` (graphile-worker `coerceError`).
 */
export function toProvisioError(error: unknown): ProvisioError {
  if (error instanceof ProvisioError) return error
  const message = error instanceof Error ? error.message : String(error)
  return coreError('BUG_UNEXPECTED', `Unexpected error: ${message}`, { cause: error })
}
