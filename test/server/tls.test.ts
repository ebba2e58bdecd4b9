/**
 * HTTPS with the self-signed certificate: made once and reused, the key private to its owner, and a
 * real request on 127.0.0.1 that trusts only that certificate and sees the fingerprint printed.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import https from 'node:https'
import os from 'node:os'
import path from 'node:path'
import type { TLSSocket } from 'node:tls'
import { after, describe, it } from 'node:test'
import { silentLogger, systemClock } from '../../src/core/index.ts'
import { buildServer, projectLoader, serveTls } from '../../src/server/index.ts'
import { rejects } from '../support/errors.ts'
import { createTestVault } from '../support/vaults.ts'

describe('serveTls and HTTPS', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-tls-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('makes a self-signed certificate once, keeps the key 0600, and reuses it', async () => {
    const first = await serveTls({ projectDir: dir, hostName: 'provisio.test' })
    assert.equal(first.source, 'generated')
    assert.match(first.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    assert.equal(statSync(path.join(dir, '.provisio', 'tls', 'key.pem')).mode & 0o777, 0o600)
    const again = await serveTls({ projectDir: dir })
    assert.deepEqual([again.source, again.fingerprint], ['stored', first.fingerprint])
    const files = await serveTls({
      projectDir: os.tmpdir(),
      certFile: first.certFile,
      keyFile: path.join(dir, '.provisio', 'tls', 'key.pem'),
    })
    assert.deepEqual([files.source, files.fingerprint], ['files', first.fingerprint])
    await rejects(serveTls({ projectDir: dir, certFile: first.certFile }), 'SRV_TLS_FILES')
  })

  it('serves the API over HTTPS on 127.0.0.1 with that certificate', async () => {
    const tls = await serveTls({ projectDir: dir })
    const vault = await createTestVault('sqlite', dir)
    const app = await buildServer({
      ctx: { db: vault.driver, projectDir: dir, project: projectLoader(dir), clock: systemClock, logger: silentLogger },
      tls: { cert: tls.cert, key: tls.key },
    })
    try {
      await app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = app.server.address() as { port: number }
      const answer = await new Promise<{ status: number; body: string; fingerprint: string }>((resolve, reject) => {
        const request = https.get(
          { host: '127.0.0.1', port, path: '/api/health', ca: tls.cert, agent: false },
          (response) => {
            const fingerprint = (response.socket as TLSSocket).getPeerCertificate().fingerprint256
            let body = ''
            response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
            response.on('end', () => resolve({ status: response.statusCode!, body, fingerprint }))
          },
        )
        request.on('error', reject)
      })
      assert.equal(answer.status, 200)
      assert.equal(JSON.parse(answer.body).ok, true)
      assert.equal(answer.fingerprint, tls.fingerprint)
    } finally {
      await app.close()
      await vault.close()
    }
  })
})
