/**
 * The worker side of read-in-worker.ts: opens the system's connection on its own thread, reads one
 * table and posts its pages, at most a few ahead of what the main thread has taken.
 */
import { openConnectorDatabase } from './connector-database.ts'
import { parentPort, workerData } from 'node:worker_threads'
import { isProvisioError, silentLogger, toProvisioError } from '../core/index.ts'
import type { WorkerReadRequest, WorkerToMain } from './read-in-worker.ts'
import { RowPreparer } from '../vault/index.ts'
import { requireConnector } from './registry.ts'

const port = parentPort!
const request = workerData as WorkerReadRequest
let acknowledged = 0
let waiting: (() => void) | undefined
port.on('message', (message: { ack: number }) => {
  acknowledged = message.ack
  waiting?.()
})

function post(message: WorkerToMain): void {
  port.postMessage(message)
}

async function run(): Promise<void> {
  const definition = requireConnector(request.connector)
  const connection = await definition.open(request.config, {
    projectDir: request.projectDir,
    logger: silentLogger,
    openDatabase: (location) => openConnectorDatabase(request.projectDir, location),
  })
  try {
    let sent = 0
    const preparer = new RowPreparer(request.table)
    for await (const page of connection.read({ table: request.table, since: request.since })) {
      // Rows are prepared for the vault here (stored values, key, fingerprint), off the main
      // thread, and travel as arrays: cheaper to copy between threads than objects.
      const prepared = page.rows.map((row) => preparer.prepareFlat(row))
      const { lines, source, watermark, delta } = page
      post({ type: 'page', prepared, lines, source, watermark, delta })
      sent++
      while (sent - acknowledged >= request.ahead) await new Promise<void>((resolve) => (waiting = resolve))
    }
  } finally {
    await connection.close()
  }
  post({ type: 'end' })
}

run().catch((error: unknown) => {
  const e = toProvisioError(error)
  post({
    type: 'error',
    error: {
      code: e.code,
      message: e.message,
      hint: e.hint,
      audience: e.audience,
      retry: e.retry,
      issues: [...e.issues],
      details: e.details,
      stack: isProvisioError(error) ? undefined : (error as Error).stack,
    },
  })
})
