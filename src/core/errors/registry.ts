/**
 * The error-code registry. Each layer declares its codes in its own `errors.ts` with
 * {@link defineErrors}; docs/errors.md has one row per code and test/errors-doc.test.ts keeps both in
 * step (the fastify errors.js / Errors.md / errors.test.js idea).
 */
import { type Audience, ProvisioError, type ProvisioErrorOptions, type Retry } from './provisio-error.ts'

export interface ErrorSpec {
  /** Who has to act. */
  readonly audience: Audience
  /** @default 'never' */
  readonly retry?: Retry
  /** What the code means, for docs/errors.md. */
  readonly title: string
  /** What to do, used when the raising site gives no more specific hint. */
  readonly hint: string
}

const registry = new Map<string, ErrorSpec & { readonly layer: string }>()

export type ErrorFactory<Code extends string> = (
  code: Code,
  message: string,
  options?: ProvisioErrorOptions,
) => ProvisioError

/**
 * Registers a layer's codes and returns a factory that only accepts those codes.
 *
 * @example
 * export const vaultError = defineErrors('vault', { VLT_GUARD_REJECTED: { audience: 'user', title: '…', hint: '…' } })
 * throw vaultError('VLT_GUARD_REJECTED', 'Collection of hr.employees removes 585 rows, more than the guard allows (10%).')
 */
export function defineErrors<const Specs extends Record<string, ErrorSpec>>(
  layer: string,
  specs: Specs,
): ErrorFactory<keyof Specs & string> {
  for (const [code, spec] of Object.entries(specs)) {
    const known = registry.get(code)
    if (known !== undefined && known.layer !== layer) {
      throw new Error(`Error code ${code} is declared by both ${known.layer} and ${layer}.`)
    }
    registry.set(code, { ...spec, layer })
  }
  return (code, message, options) => {
    const spec = specs[code]
    if (spec === undefined) throw new Error(`Unknown error code ${code}`)
    return new ProvisioError(
      code,
      message,
      { audience: spec.audience, retry: spec.retry ?? 'never', hint: spec.hint },
      options,
    )
  }
}

/** Every registered code with its spec, sorted by code. */
export function registeredErrors(): readonly (ErrorSpec & { readonly code: string; readonly layer: string })[] {
  return [...registry.entries()].map(([code, spec]) => ({ code, ...spec })).sort((a, b) => a.code.localeCompare(b.code))
}
