/**
 * A webhook EventAction: the event POSTed as JSON, signed when the action has a secret
 * (webhook-signature.ts), retried with backoff (backoff.ts) on network errors, time-outs, 408, 429
 * and 5xx. Another 4xx is the receiver saying no: retrying would get the same answer.
 */
import { randomUUID } from 'node:crypto'
import type { Clock, ProvisioEvent, Sleep } from '../core/index.ts'
import { sleep, systemClock } from '../core/index.ts'
import type { WebhookAction } from '../config/index.ts'
import { resolveSystemSecrets } from '../config/index.ts'
import { backoffDelay, parseRetryAfter } from './backoff.ts'
import { eventError } from './errors.ts'
import { provisioVersion } from './provisio-version.ts'
import { signWebhook } from './webhook-signature.ts'

export type { Sleep } from '../core/index.ts'

export interface WebhookOptions {
  /** Where `${env:NAME}` references (secret, header values) are resolved. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined
  /** Waits between attempts; tests record the waits instead. @default setTimeout */
  readonly sleep?: Sleep | undefined
  /** Jitter source, 0 ≤ x < 1. @default Math.random */
  readonly random?: (() => number) | undefined
  /** For `X-Provisio-Timestamp` and HTTP-date `Retry-After`. @default the system clock */
  readonly clock?: Clock | undefined
}

export interface WebhookResult {
  /** `X-Provisio-Delivery`: the same for every attempt, so that a receiver can ignore a repeat. */
  readonly deliveryId: string
  readonly attempts: number
  readonly status: number
}

/** One attempt's outcome: an HTTP answer, or a network error / time-out. */
type Attempt =
  { readonly status: number; readonly retryAfter: string | null; readonly body: string } | { readonly error: string }

const RETRIED_STATUSES = new Set([408, 429])

function isRetried(status: number): boolean {
  return RETRIED_STATUSES.has(status) || status >= 500
}

/** The URL as errors show it: no user info, no query (either may carry a token). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return '(invalid URL)'
  }
}

function networkError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within the timeout'
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined
  if (cause !== undefined && typeof cause.code === 'string')
    return `${typeof cause.message === 'string' ? cause.message : 'network error'} (${cause.code})`
  return error instanceof Error ? error.message : String(error)
}

async function attempt(
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeout: number,
  redact: (text: string) => string,
): Promise<Attempt> {
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeout),
    })
    // Read the answer (it frees the connection); only its start goes into an error message.
    const text = await response.text().catch(() => '')
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: redact(text).slice(0, 200),
    }
  } catch (error) {
    return { error: networkError(error) }
  }
}

/**
 * POSTs `event` to the action's URL. Resolves when the receiver answers 2xx; throws
 * EVT_WEBHOOK_REJECTED on a 3xx (redirects are not followed: a signed request is not sent on
 * elsewhere) or another 4xx, EVT_WEBHOOK_FAILED when the retries are used up. The error's `details.attempts` says how
 * many requests were made. Neither the secret nor the URL's query is ever in an error.
 */
export async function callWebhook(
  action: WebhookAction,
  event: ProvisioEvent,
  options: WebhookOptions = {},
): Promise<WebhookResult> {
  const clock = options.clock ?? systemClock
  const wait = options.sleep ?? sleep
  const doFetch = options.fetch ?? globalThis.fetch
  const env = options.env ?? process.env
  const resolved = resolveSystemSecrets(
    { headers: { ...action.headers }, ...(action.secret === undefined ? {} : { secret: action.secret }) },
    env,
  )
  // A receiver's answer may echo what it was sent (`invalid token …`): the values of the references
  // (secret, header values) are blanked out of it before it goes into an error.
  const referenced = [action.secret ?? '', ...Object.values(action.headers)]
    .flatMap((text) => [...text.matchAll(/\$\{env:([^}]+)\}/g)].map((m) => env[m[1]!] ?? ''))
    .filter((value) => value !== '')
  const redact = (text: string) => referenced.reduce((t, value) => t.replaceAll(value, '***'), text)
  const body = JSON.stringify(event)
  const deliveryId = randomUUID()
  const where = describeUrl(action.url)
  let last: Attempt | undefined
  let attempts = 0
  for (;;) {
    attempts++
    const timestamp = String(Math.floor(clock.now().getTime() / 1000))
    const headers: Record<string, string> = {
      ...resolved.headers,
      'Content-Type': 'application/json',
      'User-Agent': `provisio/${provisioVersion()}`,
      'X-Provisio-Event': event.type,
      'X-Provisio-Delivery': deliveryId,
      'X-Provisio-Timestamp': timestamp,
      ...(resolved.secret === undefined
        ? {}
        : { 'X-Provisio-Signature': signWebhook(resolved.secret, timestamp, body) }),
    }
    last = await attempt(doFetch, action.url, headers, body, action.timeout, redact)
    // fetch's own messages may quote the whole URL (credentials and query included).
    if ('error' in last) last = { error: last.error.replaceAll(action.url, where) }
    if ('status' in last && last.status < 300) return { deliveryId, attempts, status: last.status }
    const details = { attempts, ...('status' in last ? { status: last.status } : {}) }
    if ('status' in last && !isRetried(last.status)) {
      throw eventError(
        'EVT_WEBHOOK_REJECTED',
        last.status < 400
          ? `Webhook ${where} answered ${last.status}, a redirect; redirects are not followed, set the URL it points to.`
          : `Webhook ${where} answered ${last.status}${last.body === '' ? '' : `: ${oneLine(last.body)}`}.`,
        { details },
      )
    }
    if (attempts > action.retries) {
      const what = 'status' in last ? `answered ${last.status}` : `failed: ${last.error}`
      throw eventError(
        'EVT_WEBHOOK_FAILED',
        `Webhook ${where} ${what} (${attempts} attempt${attempts === 1 ? '' : 's'}).`,
        { details },
      )
    }
    const retryAfter = 'status' in last ? parseRetryAfter(last.retryAfter, clock.now()) : undefined
    await wait(backoffDelay(attempts, options.random, retryAfter))
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
