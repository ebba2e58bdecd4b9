import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { systemClock } from '../../src/core/index.ts'
import { ALL_ROUTES } from '../../src/server/index.ts'
import { acquireExecutionLease } from '../../src/vault/index.ts'
import { type TestServer, createTestServer } from '../support/server.ts'
import { VAULT_KINDS } from '../support/vaults.ts'

// A task whose run waits for its lease, held here as another process's run would hold it.
const WAITING = `kind: Task
name: waiting_sync
type: sync
collect: [hr500]
evaluate: []
`

/** Opens GET `url` over a real socket; resolves with the response once its headers arrive. */
function openStream(port: number, url: string, cookie: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, headers: { cookie: `provisio_session=${cookie}` } }, resolve)
      .on('error', reject)
  })
}

function bodyOf(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    response.on('end', () => resolve(body))
    response.on('error', reject)
  })
}

for (const kind of VAULT_KINDS) {
  describe(`closing the server with runs going on (${kind} vault)`, () => {
    let server: TestServer
    let closed = false

    before(async () => {
      server = await createTestServer(kind, { register: ALL_ROUTES })
      writeFileSync(path.join(server.dir, 'tasks', 'waiting-sync.yaml'), WAITING)
    })
    after(async () => {
      if (!closed) await server.close()
    })

    // Without the fixes: the headers wait for the run's first event, and close waits for the run to end.
    test(
      'a progress stream of a waiting run is answered at once, and close interrupts the run',
      { timeout: 30_000 },
      async () => {
        const lease = await acquireExecutionLease(server.ctx.db, ['task:waiting_sync'], {
          holder: 'a test',
          clock: systemClock,
        })
        try {
          const started = await server.as('operator').post('/api/tasks/waiting_sync/run', { wait: true })
          assert.equal(started.status, 202, started.body)
          assert.equal(started.json.status, 'queued')
          await server.app.listen({ host: '127.0.0.1', port: 0 })
          const { port } = server.app.server.address() as { port: number }
          const stream = await openStream(
            port,
            `/api/runs/${started.json.runId}/progress`,
            server.session('auditor').cookie,
          )
          assert.equal(stream.statusCode, 200)
          assert.match(String(stream.headers['content-type']), /^text\/event-stream/)
          const body = bodyOf(stream)

          closed = true
          await server.close()
          assert.match(await body, /event: finished\ndata: \{[^\n]*"status":"interrupted"/)
        } finally {
          await lease.release().catch(() => {})
        }
      },
    )
  })
}
