/**
 * Every error the API answers, as data: `{ error: { code, message, hint, details } }` with the status
 * from error-status.ts. Never a stack, a cause or the message of an unexpected error (which could
 * hold anything): those are logged and answered with a fixed sentence.
 */
import { type ProvisioError, toProvisioError } from '../core/index.ts'
import { serverError } from './errors.ts'
import { httpStatusOf } from './error-status.ts'

export interface ErrorBody {
  readonly code: string
  readonly message: string
  readonly hint: string | null
  readonly details: Record<string, unknown> | null
}

/** Fastify's own errors (a body that is not JSON, a wrong content type) carry a 4xx statusCode. */
function fastifyClientError(error: unknown): ProvisioError | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { statusCode, code, message } = error as { statusCode?: unknown; code?: unknown; message?: unknown }
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined
  return serverError('SRV_INVALID_REQUEST', typeof message === 'string' ? message : 'The request is malformed.', {
    details: { status: statusCode, reason: code },
  })
}

export function errorAnswer(thrown: unknown): { status: number; body: ErrorBody; unexpected: boolean } {
  const client = fastifyClientError(thrown)
  const error = client ?? toProvisioError(thrown)
  let status = httpStatusOf(error)
  if (client !== undefined) status = Number(client.details?.['status'] ?? 400)
  if (status >= 500 && error.audience === 'bug') {
    return {
      status,
      unexpected: true,
      body: {
        code: error.code,
        message: 'An unexpected error happened in the server; it was logged.',
        hint: 'Look at the server’s log for this request, and report it if it persists.',
        details: null,
      },
    }
  }
  const details = { ...error.details, ...(error.issues.length === 0 ? {} : { issues: error.issues }) }
  return {
    status,
    unexpected: false,
    body: {
      code: error.code,
      message: error.message,
      hint: error.hint ?? null,
      details: Object.keys(details).length === 0 ? null : details,
    },
  }
}
