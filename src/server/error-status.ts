/**
 * The HTTP status of every error code, in one place (tested in error-status.test.ts): exact codes
 * first, then rules by the code's shape. Route plugins throw coded errors and never choose a status.
 */
import type { ProvisioError } from '../core/index.ts'

const EXACT: Readonly<Record<string, number>> = {
  SRV_UNAUTHENTICATED: 401,
  SRV_LOGIN_FAILED: 401,
  SRV_FORBIDDEN: 403,
  SRV_CSRF: 403,
  SRV_PASSWORD_CHANGE_REQUIRED: 403,
  SRV_WRONG_PASSWORD: 403,
  SRV_INVALID_REQUEST: 400,
  SRV_NOT_FOUND: 404,
  SRV_RATE_LIMITED: 429,
  SRV_USER_EXISTS: 409,
  SRV_LAST_ADMIN: 409,
  SRV_WEAK_PASSWORD: 422,
  SRV_INVALID_USER_NAME: 422,
  SRV_TLS_FILES: 500,
  SRV_DOCUMENT_INVALID: 422,
  SRV_DOCUMENT_REFERENCED: 409,
  SRV_DOCUMENT_EXISTS: 409,
  SRV_STALE_REVISION: 409,
  SRV_INVALID_DOCUMENT_FILE: 400,
  SRV_FILE_NOT_FOUND: 404,
  SRV_INVALID_FILE_PATH: 400,
  SRV_FILE_INVALID: 422,
  CFG_UNKNOWN_DOCUMENT: 404,
  CFG_DOCUMENT_NOT_FOUND: 404,
  // Unknown names inside a definition are validation problems of that definition, not missing resources.
  FLT_UNKNOWN_COLUMN: 422,
  FLT_UNKNOWN_PARAMETER: 422,
  FLT_UNKNOWN_VIA: 422,
  ENG_UNKNOWN_ATTRIBUTE: 422,
  ENG_UNKNOWN_FUNCTION: 422,
  ENG_UNKNOWN_MEMBER_COLUMN: 422,
  ENG_UNKNOWN_GENERATED_NAME: 422,
  // Work that cannot start now because of the state something is in.
  JOB_NOT_AWAITING_APPROVAL: 409,
  JOB_PLAN_AWAITING_APPROVAL: 409,
  JOB_APPROVAL_STALE: 409,
  // A job stopped before writing anything: the plan is fine, its size is not (details.steps say which).
  JOB_THRESHOLD_EXCEEDED: 409,
  ENG_PLAN_NOT_EXECUTABLE: 409,
  VLT_NOT_COLLECTED: 409,
  FLT_NOT_COLLECTED: 409,
  VLT_UNREACHABLE: 503,
}

/** Rules by shape, in order; the first that matches wins. */
const RULES: readonly (readonly [RegExp, number])[] = [
  [/^BUG_/, 500],
  [/^(CFG|EXPR)_/, 422],
  [/_UNKNOWN_|_NOT_FOUND$/, 404],
  [/_(RUNNING|BUSY|CONFLICT|STATE|EXISTS)$/, 409],
]

export function httpStatusOf(error: Pick<ProvisioError, 'code' | 'audience'>): number {
  const exact = EXACT[error.code]
  if (exact !== undefined) return exact
  for (const [pattern, status] of RULES) if (pattern.test(error.code)) return status
  switch (error.audience) {
    case 'bug':
      return 500
    case 'operational': // a system the request needed failed: the server acted as a gateway
      return 502
    default:
      return 400
  }
}
