/**
 * The server layer's error codes (docs/server.md): authentication, authorisation, CSRF, request
 * validation. Every API error is answered as data: `{ error: { code, message, hint, details } }`.
 */
import { defineErrors } from '../core/index.ts'

export const serverError = defineErrors('server', {
  SRV_UNAUTHENTICATED: {
    audience: 'user',
    title: 'The request carries no valid session or API token.',
    hint: 'Log in (POST /api/session) or send `Authorization: Bearer <token>` with a token from `provisio users token add`.',
  },
  SRV_FORBIDDEN: {
    audience: 'user',
    title: "The user's role does not allow this request.",
    hint: 'Roles: auditor reads, operator also runs and approves, admin may do everything. An admin changes roles with `provisio users role`.',
  },
  SRV_CSRF: {
    audience: 'user',
    title: 'A changing request with a session cookie did not carry the session’s CSRF token.',
    hint: 'Send the `csrfToken` from GET /api/session in the `X-CSRF-Token` header of every POST, PUT, PATCH and DELETE.',
  },
  SRV_INVALID_REQUEST: {
    audience: 'user',
    title: 'The request does not match the API schema (a parameter, the query or the body).',
    hint: 'The `details.issues` name each field that is wrong; the schema is in GET /api/openapi.json.',
  },
  SRV_NOT_FOUND: {
    audience: 'user',
    title: 'There is no such API route.',
    hint: 'The routes are listed in GET /api/openapi.json.',
  },
  SRV_LOGIN_FAILED: {
    audience: 'user',
    title: 'The user name or password is wrong, or the user is disabled.',
    hint: 'Check the spelling; an admin resets a password with `provisio users passwd NAME`.',
  },
  SRV_RATE_LIMITED: {
    audience: 'user',
    retry: 'safe',
    title: 'Too many login attempts from this address; wait before trying again.',
    hint: 'The answer’s Retry-After header says how many seconds to wait.',
  },
})

export type ServerErrorCode = Parameters<typeof serverError>[0]
