/**
 * Reads a table on a worker thread. Parsing a large source (a CSV file of a million rows) costs
 * as much CPU as the vault's diffing and writing; on a worker the two run side by side. Pages
 * arrive in order, at most `ahead` pages are buffered, and errors come back as the same
 * ProvisioError (code, message, hint, issues) the connector raised.
 */
import { Worker } from 'node:worker_threads'
import { type Audience, type Issue, ProvisioError, type Retry, type TableSchema } from '../core/index.ts'
import type { SqlValue, StagePage } from '../vault/index.ts'

export interface WorkerReadRequest {
  readonly connector: string
  /** The connector configuration, references resolved and validated. */
  readonly config: unknown
  readonly projectDir: string
  readonly table: TableSchema
  /** Read only what changed since this watermark (ReadOptions.since). @default a full read */
  readonly since?: string | undefined
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
  | {
      readonly type: 'page'
      readonly prepared: SqlValue[][]
      readonly lines: readonly number[] | undefined
      readonly source: string | undefined
      readonly watermark: string | undefined
      readonly delta: boolean | undefined
    }
  | { readonly type: 'end' }
  | { readonly type: 'error'; readonly error: SerializedError }

function startWorker(request: WorkerReadRequest): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './read-worker.ts' : './read-worker.js', import.meta.url)
  // A larger young generation: parsing makes many short-lived strings, and the default size
  // spends a third of the worker's time in scavenges.
  const resourceLimits = { maxYoungGenerationSizeMb: 64 }
  if (url.pathname.endsWith('.js')) return new Worker(url, { workerData: request, resourceLimits })
  // Running from TypeScript sources: the worker needs tsx's loader before it imports the entry.
  const tsx = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(bootstrap, { eval: true, workerData: request, resourceLimits })
}

function revive(error: SerializedError): ProvisioError {
  const revived = new ProvisioError(
    error.code,
    error.message,
    { audience: error.audience, retry: error.retry, hint: error.hint },
    { issues: error.issues, details: error.details },
  )
  if (error.stack !== undefined) revived.stack = error.stack
  return revived
}

/**
 * A table being read on a worker thread. The worker starts at once, so several tables can be read
 * ahead while the vault works on the first; `pages()` hands the pages out once, in order, and
 * `close()` stops the worker whether or not they were taken.
 */
export class WorkerRead {
  private readonly worker: Worker
  private readonly queue: WorkerToMain[] = []
  private wake: (() => void) | undefined
  private failure: Error | undefined
  private taken = 0

  constructor(request: Omit<WorkerReadRequest, 'ahead'> & { ahead?: number }) {
    this.worker = startWorker({ ...request, ahead: request.ahead ?? 4 })
    this.worker.on('message', (message: WorkerToMain) => {
      this.queue.push(message)
      this.wake?.()
    })
    this.worker.on('error', (error) => {
      this.failure = error
      this.wake?.()
    })
  }

  async *pages(): AsyncGenerator<StagePage> {
    try {
      for (;;) {
        while (this.queue.length === 0 && this.failure === undefined)
          await new Promise<void>((resolve) => (this.wake = resolve))
        if (this.failure !== undefined) throw this.failure
        const message = this.queue.shift()!
        if (message.type === 'end') return
        if (message.type === 'error') throw revive(message.error)
        this.worker.postMessage({ ack: ++this.taken })
        const { prepared, lines, source, watermark, delta } = message
        yield { rows: [], prepared, lines, source, watermark, delta }
      }
    } finally {
      await this.close()
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate()
  }
}

/** The table's pages, read on a worker thread; the worker stops when the consumer stops. */
export function readInWorker(
  request: Omit<WorkerReadRequest, 'ahead'> & { ahead?: number },
): AsyncGenerator<StagePage> {
  return new WorkerRead(request).pages()
}
