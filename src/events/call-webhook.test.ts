/**
 * Webhooks against a real HTTP receiver on loopback: the body is the event as JSON, the headers
 * name the event and the delivery, the signature verifies with the secret (and not with another),
 * server errors are retried with growing waits (recorded, never slept), a 4xx is not, and
 * Retry-After is honoured.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import type net from 'node:net'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { TaskFinishedEvent } from '../core/index.ts'
import type { WebhookAction } from '../config/index.ts'
import { rejects } from '../../test/support/errors.ts'
import { BACKOFF_CAP_MS, backoffDelay, parseRetryAfter } from './backoff.ts'
import { callWebhook } from './call-webhook.ts'
import { verifyWebhookSignature } from './webhook-signature.ts'

interface Request {
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

const event: TaskFinishedEvent = {
  type: 'task.finished',
  name: 'nightly',
  success: true,
  at: '2026-12-01T10:00:00.000Z',
  runId: 7,
  task: 'nightly',
  taskType: 'sync',
  status: 'succeeded',
  counts: { succeeded: 3 },
  planIds: [4],
}

const clock = { now: () => new Date('2026-12-01T10:00:00Z') }
const SECRET = 'hook-secret-789'

describe('callWebhook', () => {
  let server: http.Server
  let url: string
  let requests: Request[]
  /** Answers for the next requests: status and headers; 200 when none is left. */
  let answers: { status: number; headers?: Record<string, string>; body?: string }[]
  let sleeps: number[]
  const sleep = (ms: number) => {
    sleeps.push(ms)
    return Promise.resolve()
  }

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
        const answer = answers.shift() ?? { status: 200 }
        res.writeHead(answer.status, answer.headers).end(answer.body ?? '')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hooks/provisio?token=query-token`
  })
  after(() => new Promise((resolve) => server.close(resolve)))
  beforeEach(() => {
    requests = []
    answers = []
    sleeps = []
  })

  const action = (fields: Partial<WebhookAction> = {}): WebhookAction => ({
    type: 'webhook',
    url,
    secret: '${env:HOOK_SECRET}',
    headers: { 'X-Team': 'identity', Authorization: 'Bearer ${env:HOOK_TOKEN}' },
    timeout: 5000,
    retries: 3,
    ...fields,
  })
  const options = { env: { HOOK_SECRET: SECRET, HOOK_TOKEN: 'tok-1' }, sleep, clock, random: () => 0.5 }

  it('POSTs the event as JSON with its headers and a signature that verifies', async () => {
    const result = await callWebhook(action(), event, options)
    assert.equal(result.attempts, 1)
    assert.equal(result.status, 200)
    assert.equal(requests.length, 1)
    const { headers, body } = requests[0]!
    assert.deepEqual(JSON.parse(body), event)
    assert.equal(headers['content-type'], 'application/json')
    assert.match(headers['user-agent']!, /^provisio\/\d+\.\d+\.\d+/)
    assert.equal(headers['x-provisio-event'], 'task.finished')
    assert.equal(headers['x-provisio-delivery'], result.deliveryId)
    assert.equal(headers['x-provisio-timestamp'], String(Date.parse('2026-12-01T10:00:00Z') / 1000))
    assert.equal(headers['x-team'], 'identity')
    assert.equal(headers['authorization'], 'Bearer tok-1')
    const signature = headers['x-provisio-signature'] as string
    assert.match(signature, /^sha256=[0-9a-f]{64}$/)
    assert.equal(verifyWebhookSignature(SECRET, headers['x-provisio-timestamp'], body, signature), true)
    assert.equal(verifyWebhookSignature('another-secret', headers['x-provisio-timestamp'], body, signature), false)
    assert.equal(verifyWebhookSignature(SECRET, '1', body, signature), false, 'the timestamp is signed')
    assert.equal(verifyWebhookSignature(SECRET, headers['x-provisio-timestamp'], `${body} `, signature), false)
    assert.equal(verifyWebhookSignature(SECRET, headers['x-provisio-timestamp'], body, 'sha256=00'), false)
    assert.equal(verifyWebhookSignature(SECRET, headers['x-provisio-timestamp'], body, undefined), false)
  })

  it('sends no signature without a secret', async () => {
    await callWebhook(action({ secret: undefined }), event, options)
    assert.equal(requests[0]!.headers['x-provisio-signature'], undefined)
  })

  it('retries 503 with growing waits, under the same delivery id', async () => {
    answers = [{ status: 503 }, { status: 503 }]
    const result = await callWebhook(action(), event, options)
    assert.equal(result.attempts, 3)
    assert.equal(requests.length, 3)
    assert.equal(sleeps.length, 2)
    assert.ok(sleeps[1]! > sleeps[0]!, `waits grow: ${sleeps.join(', ')}`)
    assert.deepEqual(sleeps, [750, 1500])
    assert.equal(new Set(requests.map((r) => r.headers['x-provisio-delivery'])).size, 1)
  })

  it('does not retry a 400 and gives EVT_WEBHOOK_REJECTED with the answer, without secrets', async () => {
    answers = [{ status: 400, body: 'unknown event type' }]
    const error = await rejects(callWebhook(action(), event, options), 'EVT_WEBHOOK_REJECTED')
    assert.equal(requests.length, 1)
    assert.deepEqual(sleeps, [])
    assert.equal(error.details?.['attempts'], 1)
    assert.match(error.message, /400: unknown event type/)
    assert.doesNotMatch(error.message, /query-token|hook-secret|tok-1/)
  })

  it('blanks out referenced values a receiver echoes in its answer', async () => {
    answers = [{ status: 401, body: `token tok-1 is not valid for key ${SECRET}` }]
    const error = await rejects(callWebhook(action(), event, options), 'EVT_WEBHOOK_REJECTED')
    assert.match(error.message, /401: token \*\*\* is not valid for key \*\*\*\./)
    assert.doesNotMatch(error.message, /tok-1|hook-secret/)
  })

  it('does not follow a redirect', async () => {
    answers = [{ status: 302, headers: { Location: 'http://127.0.0.1:1/elsewhere' } }]
    const error = await rejects(callWebhook(action(), event, options), 'EVT_WEBHOOK_REJECTED')
    assert.equal(requests.length, 1)
    assert.match(error.message, /302, a redirect/)
  })

  it('honours Retry-After on 429 and 408', async () => {
    answers = [{ status: 429, headers: { 'Retry-After': '7' } }, { status: 408 }]
    const result = await callWebhook(action(), event, options)
    assert.equal(result.attempts, 3)
    assert.deepEqual(sleeps, [7000, 1500])
  })

  it('gives EVT_WEBHOOK_FAILED when the retries are used up', async () => {
    answers = [{ status: 500 }, { status: 502 }, { status: 500 }]
    const error = await rejects(callWebhook(action({ retries: 2 }), event, options), 'EVT_WEBHOOK_FAILED')
    assert.equal(requests.length, 3)
    assert.equal(error.details?.['attempts'], 3)
    assert.match(error.message, /answered 500 \(3 attempts\)/)
  })

  it('retries network errors and reports them without the URL query', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as net.AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const error = await rejects(
      callWebhook(action({ url: `http://127.0.0.1:${port}/x?token=query-token`, retries: 1 }), event, options),
      'EVT_WEBHOOK_FAILED',
    )
    assert.equal(error.details?.['attempts'], 2)
    assert.equal(sleeps.length, 1)
    assert.match(error.message, /ECONNREFUSED/)
    assert.doesNotMatch(error.message, /query-token/)
    // fetch refuses a URL with credentials, quoting it: the message must not.
    const refused = await rejects(
      callWebhook(action({ url: `http://user:url-pw@127.0.0.1:${port}/x`, retries: 0 }), event, options),
      'EVT_WEBHOOK_FAILED',
    )
    assert.doesNotMatch(refused.message, /url-pw/)
  })
})

describe('backoff', () => {
  it('doubles from 1 s up to 60 s, with jitter in the upper half', () => {
    assert.equal(
      backoffDelay(1, () => 0),
      500,
    )
    assert.equal(
      backoffDelay(1, () => 0.999999),
      1000,
    )
    assert.equal(
      backoffDelay(3, () => 0),
      2000,
    )
    assert.equal(
      backoffDelay(20, () => 1),
      BACKOFF_CAP_MS,
    )
    assert.equal(
      backoffDelay(2, () => 0, 3_600_000),
      BACKOFF_CAP_MS,
      'Retry-After is capped too',
    )
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-12-01T10:00:00Z')
    assert.equal(parseRetryAfter('12', now), 12_000)
    assert.equal(parseRetryAfter('Tue, 01 Dec 2026 10:00:30 GMT', now), 30_000)
    assert.equal(parseRetryAfter('soon', now), undefined)
    assert.equal(parseRetryAfter(null, now), undefined)
  })
})
