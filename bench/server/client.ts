/**
 * The client side of suite `server`: HTTPS requests over a keep-alive agent to the worker's server,
 * each timed with performance.now from the request to the last byte of its answer. Every answer
 * must have the status expected, or the measure fails (a fast 401 measures nothing).
 */
import { readFileSync } from 'node:fs'
import https from 'node:https'

export interface Target {
  readonly port: number
  /** The server's self-signed certificate, trusted as the only CA. */
  readonly certFile: string
}

export interface Call {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

export interface Answer {
  readonly status: number
  readonly body: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
}

export interface Load {
  readonly requests: number
  readonly concurrency: number
  /** From the first request sent to the last answer read. */
  readonly ms: number
  /** Each request's latency, sorted. */
  readonly latencies: readonly number[]
}

export interface Client {
  send(call: Call): Promise<Answer>
  /** `requests` calls, `concurrency` at a time; throws unless every answer has status `expect`. */
  load(call: Call, requests: number, concurrency: number, expect: number): Promise<Load>
  close(): void
}

export function client(target: Target): Client {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: readFileSync(target.certFile, 'utf8') })
  const send = (call: Call) =>
    new Promise<Answer>((resolve, reject) => {
      const payload = call.body === undefined ? undefined : JSON.stringify(call.body)
      const request = https.request(
        {
          agent,
          host: '127.0.0.1',
          port: target.port,
          method: call.method,
          path: call.path,
          headers: {
            ...call.headers,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: response.headers,
            }),
          )
          response.on('error', reject)
        },
      )
      request.on('error', reject)
      request.end(payload)
    })

  return {
    send,
    async load(call, requests, concurrency, expect) {
      const latencies: number[] = []
      let next = 0
      const lane = async () => {
        while (next < requests) {
          next++
          const started = performance.now()
          const answer = await send(call)
          latencies.push(performance.now() - started)
          if (answer.status !== expect)
            throw new Error(`${call.method} ${call.path}: ${answer.status}, expected ${expect}: ${answer.body}`)
        }
      }
      const started = performance.now()
      await Promise.all(Array.from({ length: concurrency }, lane))
      const ms = performance.now() - started
      return { requests, concurrency, ms, latencies: latencies.sort((a, b) => a - b) }
    },
    close: () => agent.destroy(),
  }
}

/** The p-th percentile (0–100) of sorted values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
