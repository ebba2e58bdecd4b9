/**
 * The signature of a webhook request: `X-Provisio-Signature: sha256=<hex>`, the HMAC-SHA256 with
 * the action's secret of `<timestamp>.<body>`, where the timestamp is the `X-Provisio-Timestamp`
 * header (unix seconds). Signing the timestamp with the body lets a receiver refuse a request
 * replayed later: it checks the signature, then that the timestamp is recent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

const PREFIX = 'sha256='

/** The `X-Provisio-Signature` value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: string | number, body: string | Buffer): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${timestamp}.`)
  hmac.update(body)
  return `${PREFIX}${hmac.digest('hex')}`
}

/**
 * Whether `header` (the `X-Provisio-Signature` value) is the signature of `body` sent at
 * `timestamp` (the `X-Provisio-Timestamp` value), compared in constant time. Pass the body exactly
 * as received (the raw bytes or text, not JSON parsed and written again). Receivers should also
 * refuse a timestamp older than a few minutes.
 *
 * @example
 * const ok = verifyWebhookSignature(process.env.HOOK_SECRET, req.headers['x-provisio-timestamp'], rawBody, req.headers['x-provisio-signature'])
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  body: string | Buffer,
  header: string | undefined,
): boolean {
  if (timestamp === undefined || header === undefined || !header.startsWith(PREFIX)) return false
  const expected = Buffer.from(signWebhook(secret, timestamp, body))
  const given = Buffer.from(header)
  // The length of an HMAC-SHA256 hex digest is public; only equal lengths can be compared in constant time.
  return given.length === expected.length && timingSafeEqual(given, expected)
}
