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
    title: 'Too many login or password-change attempts from this address; wait before trying again.',
    hint: 'The answer’s Retry-After header says how many seconds to wait.',
  },
  SRV_UNKNOWN_USER: {
    audience: 'user',
    title: 'There is no user with this name.',
    hint: '`provisio users list` (or GET /api/users) lists the users.',
  },
  SRV_UNKNOWN_TOKEN: {
    audience: 'user',
    title: 'There is no API token with this id (or it belongs to another user).',
    hint: '`provisio users token list` (or GET /api/tokens) lists the tokens with their ids.',
  },
  SRV_USER_EXISTS: {
    audience: 'user',
    title: 'A user with this name exists already (names are compared regardless of case).',
    hint: 'Choose another name, or change the existing user with `provisio users passwd` or `provisio users role`.',
  },
  SRV_PASSWORD_CHANGE_REQUIRED: {
    audience: 'user',
    title: 'The user logged in with a one-time password and must choose their own before anything else.',
    hint: 'Change it with POST /api/session/password `{ "current": "...", "new": "..." }` (at least 12 characters), or in the Studio.',
  },
  SRV_WRONG_PASSWORD: {
    audience: 'user',
    title: 'The current password given to change it is wrong.',
    hint: 'Send the password you logged in with as `current`; an admin resets a forgotten one with `provisio users passwd NAME`.',
  },
  SRV_WEAK_PASSWORD: {
    audience: 'user',
    title: 'The password is shorter than 12 characters.',
    hint: 'Use at least 12 characters; without a password `provisio users add` generates one.',
  },
  SRV_INVALID_USER_NAME: {
    audience: 'user',
    title: 'A user name is 1 to 64 letters, digits, dots, dashes, underscores or @.',
    hint: 'For example `alice`, `j.smith` or `ops-bot`.',
  },
  SRV_LAST_ADMIN: {
    audience: 'user',
    title: 'The last admin cannot be removed, demoted or disabled: nobody could manage users afterwards.',
    hint: 'Make another user admin first (`provisio users role NAME admin`).',
  },
  SRV_TLS_FILES: {
    audience: 'user',
    title: 'The TLS certificate or key could not be read, or only one of the two was given.',
    hint: 'Give both `--cert` and `--key` (or PROVISIO_TLS_CERT and PROVISIO_TLS_KEY) as PEM files, or neither for a self-signed certificate.',
  },
  SRV_RUN_NOT_RUNNING: {
    audience: 'user',
    title: 'The run is not going on in this server process, so it cannot be cancelled here.',
    hint: 'Only runs started through this server’s API (still going on) can be cancelled; GET /api/runs/:id shows how a run ended. A run going on in another process (the CLI) is stopped there (Ctrl-C).',
  },
  SRV_DOCUMENT_INVALID: {
    audience: 'user',
    title: 'A document edit would leave the project with configuration errors; nothing was written.',
    hint: 'Fix the issues listed in `details.issues` (POST /api/documents/check shows them as you type) and send the edit again.',
  },
  SRV_DOCUMENT_REFERENCED: {
    audience: 'user',
    title: 'A document other documents refer to cannot be deleted or renamed; nothing was written.',
    hint: 'Change or delete the documents listed in `details.referencedBy` first, so that none refers to it.',
  },
  SRV_DOCUMENT_EXISTS: {
    audience: 'user',
    title: 'The project already holds a document of that kind and name.',
    hint: 'Choose another name, or change the existing document (PUT /api/documents/:kind/:name).',
  },
  SRV_STALE_REVISION: {
    audience: 'user',
    title: 'The project changed since the configuration revision the edit was based on; nothing was written.',
    hint: 'Someone else changed the project: read the document again (its `revision`), redo the edit on it and send it with that revision.',
  },
  SRV_INVALID_DOCUMENT_FILE: {
    audience: 'user',
    title: 'The file given for a new document is not a .yaml file inside the project.',
    hint: 'Give a project-relative path such as `filters/accounts.yaml`: no leading `/`, no `..`, no hidden folder, ending in `.yaml`.',
  },
  SRV_FILE_NOT_FOUND: {
    audience: 'user',
    title: 'The project has no YAML file at this path.',
    hint: 'GET /api/files lists the project’s YAML files with their paths.',
  },
  SRV_INVALID_FILE_PATH: {
    audience: 'user',
    title: 'The path is not a YAML file of the project that the API may read or write.',
    hint: 'Give a project-relative path as GET /api/files lists it: no leading `/`, no `..`, no hidden folder, no symbolic link, ending in `.yaml` or `.yml`.',
  },
  SRV_FILE_INVALID: {
    audience: 'user',
    title: 'A file edit would bring configuration errors the project did not have before; nothing was written.',
    hint: 'Fix the issues marked `new` in `details.issues` (POST /api/files/check shows them as you type) and send the file again; errors the file already had do not block the save.',
  },
})

export type ServerErrorCode = Parameters<typeof serverError>[0]
