/**
 * Reads a table on a worker thread. Parsing a large source (a CSV file of a million rows) costs
 * as much CPU as the vault's diffing and writing; on a worker the two run side by side. Pages
 * arrive in order, at most `ahead` pages are buffered, and errors come back as the same
 * ProvisioError (code, message, hint, issues) the connector raised.
 */
import { Worker } from 'node:worker_threads'
import { type Audience, type Issue, ProvisioError, type Retry, type TableSchema, type Value } from '../core/index.ts'
import type { StagePage } from '../vault/index.ts'

export interface WorkerReadRequest {
  readonly connector: string
  /** The connector configuration, references resolved and validated. */
  readonly config: unknown
  readonly projectDir: string
  readonly table: TableSchema
  /** Pages the worker may read ahead of the consumer. @default 4 */
  readonly ahead: number
}

interface SerializedError {
  readonly code: string
  readonly message: string
  readonly hint: string | undefined
  readonly audience: Audience
  readonly retry: Retry
  readonly issues: Issue[]
  readonly details: Record<string, unknown> | undefined
  readonly stack?: string | undefined
}

export type WorkerToMain =
  | { readonly type: 'page'; readonly values: Value[][]; readonly lines: readonly number[] | undefined; readonly source: string | undefined }
  | { readonly type: 'end' }
  | { readonly type: 'error'; readonly error: SerializedError }

function startWorker(request: WorkerReadRequest): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './read-worker.ts' : './read-worker.js', import.meta.url)
  if (url.pathname.endsWith('.js')) return new Worker(url, { workerData: request })
  // Running from TypeScript sources: the worker needs tsx's loader before it imports the entry.
  const tsx = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(bootstrap, { eval: true, workerData: request })
}

function revive(error: SerializedError): ProvisioError {
  const revived = new ProvisioError(error.code, error.message, { audience: error.audience, retry: error.retry, hint: error.hint }, { issues: error.issues, details: error.details })
  if (error.stack !== undefined) revived.stack = error.stack
  return revived
}

/** The table's pages, read on a worker thread; the worker stops when the consumer stops. */
export async function* readInWorker(request: Omit<WorkerReadRequest, 'ahead'> & { ahead?: number }): AsyncGenerator<StagePage> {
  const worker = startWorker({ ...request, ahead: request.ahead ?? 4 })
  const queue: WorkerToMain[] = []
  let wake: (() => void) | undefined
  let failure: Error | undefined
  worker.on('message', (message: WorkerToMain) => {
    queue.push(message)
    wake?.()
  })
  worker.on('error', (error) => {
    failure = error
    wake?.()
  })
  let taken = 0
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined) await new Promise<void>((resolve) => (wake = resolve))
      if (failure !== undefined) throw failure
      const message = queue.shift()!
      if (message.type === 'end') return
      if (message.type === 'error') throw revive(message.error)
      worker.postMessage({ ack: ++taken })
      yield { rows: [], values: message.values, lines: message.lines, source: message.source }
    }
  } finally {
    await worker.terminate()
  }
}
