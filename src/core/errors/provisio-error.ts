/**
 * The error model (DESIGN.md §11). Every error Provisio raises on purpose is a {@link ProvisioError}
 * with a stable `code` from the registry (see ./registry.ts), a one-sentence message, a hint that
 * says what to do, an audience and a retry meaning. Anything else that is caught at a boundary is
 * wrapped by {@link toProvisioError} as a bug, keeping the original as `cause`.
 */

/** Who has to act: the person who wrote the configuration, the operator of the systems, or us. */
export type Audience = 'user' | 'operational' | 'bug'

/** Whether repeating the same call may succeed (`safe`) or will fail again (`never`). */
export type Retry = 'never' | 'safe'

/**
 * One problem found in an input, positioned as precisely as the input allows.
 * Validation reports many issues at once; other errors carry one or none.
 */
export interface Issue {
  readonly code: string
  readonly message: string
  readonly hint?: string | undefined
  /** Project-relative file, when the problem sits in a file. */
  readonly file?: string | undefined
  /** 1-based line and column in `file`. */
  readonly line?: number | undefined
  readonly column?: number | undefined
  /** Path inside the document or record (`tables.employees.columns.birth_date.type`). */
  readonly path?: readonly (string | number)[] | undefined
  /** The offending value, shown to the user; never a secret. */
  readonly value?: unknown
  /** The source line(s) with a caret under the problem, for expressions and other text inputs. */
  readonly excerpt?: string | undefined
  readonly severity?: 'error' | 'warning' | undefined
}

export interface ProvisioErrorOptions {
  readonly hint?: string | undefined
  readonly details?: Record<string, unknown> | undefined
  readonly issues?: readonly Issue[] | undefined
  readonly cause?: unknown
  readonly retryAfterMs?: number | undefined
  /** Overrides the registry's audience or retry meaning for this one occurrence. */
  readonly audience?: Audience | undefined
  readonly retry?: Retry | undefined
}

export class ProvisioError extends Error {
  override readonly name = 'ProvisioError'
  readonly code: string
  readonly audience: Audience
  readonly retry: Retry
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined
  readonly issues: readonly Issue[]
  readonly retryAfterMs: number | undefined

  constructor(
    code: string,
    message: string,
    defaults: { audience: Audience; retry: Retry; hint?: string | undefined },
    options: ProvisioErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.audience = options.audience ?? defaults.audience
    this.retry = options.retry ?? defaults.retry
    this.hint = options.hint ?? defaults.hint
    this.details = options.details
    this.issues = options.issues ?? []
    this.retryAfterMs = options.retryAfterMs
  }

  /** A JSON-safe view for `--json` output and API answers. Never includes the stack or the cause. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      audience: this.audience,
      retry: this.retry,
      ...(this.details === undefined ? {} : { details: this.details }),
      ...(this.issues.length === 0 ? {} : { issues: this.issues }),
    }
  }
}

export function isProvisioError(value: unknown): value is ProvisioError {
  return value instanceof ProvisioError
}
