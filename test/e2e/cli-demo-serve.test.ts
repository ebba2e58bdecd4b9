/**
 * End to end: `provisio demo --serve --port 0` (what `npm start` runs) on a copy of examples/hr500.
 * It runs the demo (with the sync task daily_sync), prints the URL and the first admin's one-time
 * password in a box, and serves: the test logs in over HTTPS with the generated certificate, is
 * told to change the password, changes it, finds the demo's task run, and stops it with SIGTERM.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import net from 'node:net'
import { ROOT, copyHr500, projectArgs, provisio } from '../support/cli.ts'

interface Answer {
  readonly status: number
  readonly json: Record<string, unknown> & { error?: { code: string } }
  readonly headers: Record<string, unknown>
}

describe('provisio demo --serve (sqlite)', () => {
  let project: { dir: string; remove: () => void }
  before(() => (project = copyHr500()))
  after(() => project.remove())

  it('prints the one-time password, serves the demo, and forces a password change at the first login', async () => {
    const env = { ...process.env }
    delete env['PROVISIO_DEMO_NO_SERVE']
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'provisio.mjs'),
        'demo',
        '--serve',
        '--port',
        '0',
        ...projectArgs(project.dir, undefined),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env },
    )
    let stdout = ''
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const printed = await new Promise<{ url: string; password: string; certFile: string }>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk
          const url = /Provisio is serving on (https:\/\/\S+?)\/? /.exec(`${stdout} `)?.[1]
          const password = /one-time password: (\S+)/.exec(stdout)?.[1]
          const certFile = /Self-signed TLS certificate (\S+?)( \(made now\))?,/.exec(stdout)?.[1]
          if (url !== undefined && password !== undefined && certFile !== undefined)
            resolve({ url, password, certFile })
        })
        void exited.then((code) => reject(new Error(`demo --serve exited with ${code}: ${stderr}\n${stdout}`)))
      })
      assert.match(stdout, /\+-+\+/, 'the password is boxed')
      assert.match(stdout, /fingerprint: [0-9A-F:]{95}/i)
      const ca = readFileSync(printed.certFile, 'utf8')
      let cookie = ''
      let csrf = ''
      const call = (method: string, url: string, body?: unknown) =>
        new Promise<Answer>((resolve, reject) => {
          const payload = body === undefined ? undefined : JSON.stringify(body)
          const headers: Record<string, string> = { cookie }
          if (csrf !== '') headers['x-csrf-token'] = csrf
          if (payload !== undefined) headers['content-type'] = 'application/json'
          const request = https.request(`${printed.url}${url}`, { method, ca, headers, agent: false }, (response) => {
            let text = ''
            response.setEncoding('utf8').on('data', (c: string) => (text += c))
            response.on('end', () =>
              resolve({
                status: response.statusCode!,
                json: JSON.parse(text) as Answer['json'],
                headers: response.headers,
              }),
            )
          })
          request.on('error', reject)
          request.end(payload)
        })

      const login = await call('POST', '/api/session', { name: 'admin', password: printed.password })
      assert.equal(login.status, 200, JSON.stringify(login.json))
      assert.equal(login.json['mustChangePassword'], true)
      cookie = String(login.headers['set-cookie']).split(';')[0]!
      csrf = String(login.json['csrfToken'])
      const early = await call('GET', '/api/runs')
      assert.deepEqual([early.status, early.json.error?.code], [403, 'SRV_PASSWORD_CHANGE_REQUIRED'])
      const changed = await call('POST', '/api/session/password', {
        current: printed.password,
        new: 'the-admins-own-password',
      })
      assert.equal(changed.status, 200, JSON.stringify(changed.json))
      const runs = await call('GET', '/api/runs')
      assert.equal(runs.status, 200, JSON.stringify(runs.json))
      assert.ok(JSON.stringify(runs.json).includes('daily_sync'), JSON.stringify(runs.json).slice(0, 500))

      child.kill('SIGTERM')
      assert.equal(await exited, 0, stderr)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('still shows the first admin’s one-time password when the server cannot start (its port is taken)', async () => {
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as net.AddressInfo).port
    const copy = copyHr500()
    try {
      const env = { ...process.env, PROVISIO_DEMO_NO_SERVE: '' } as Record<string, string>
      const result = provisio(['demo', '--serve', '--port', String(port), ...projectArgs(copy.dir, undefined)], { env })
      assert.notEqual(result.status, 0, result.stdout)
      const password = /one-time password: (\S+)/.exec(result.stdout)?.[1]
      assert.ok(password !== undefined && password.length >= 12, result.stdout.slice(-800))
      assert.match(result.stdout, /start the server again to log in/)
    } finally {
      copy.remove()
      taken.close()
    }
  })
})
