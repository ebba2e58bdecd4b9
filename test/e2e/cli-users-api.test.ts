/**
 * End to end: `provisio users` manages the users of a project's vault, and `provisio serve` serves
 * the API over HTTPS with its self-signed certificate: a user added by the CLI logs in, a token
 * made by the CLI works, and SIGTERM stops it all with exit code 0.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import https from 'node:https'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type CliResult, ROOT, copyHr500, jsonOf, projectArgs, provisio } from '../support/cli.ts'

/** `provisio` with text on its stdin (a password for --password-stdin). */
function provisioWithInput(args: readonly string[], input: string): CliResult {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'provisio.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    timeout: 120_000,
  })
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

describe('provisio users and serve with the API (sqlite)', () => {
  let project: ReturnType<typeof copyHr500>
  let args: string[]
  before(() => {
    project = copyHr500()
    args = projectArgs(project.dir, undefined)
  })
  after(() => project.remove())

  it('adds, lists, changes and removes users, keeping the last admin', () => {
    const added = jsonOf<{ name: string; role: string; password: string }>(
      provisio(['users', 'add', 'alice', '--role', 'admin', '--json', ...args]),
      ['users add'],
    )
    assert.deepEqual([added.name, added.role, added.password.length], ['alice', 'admin', 20])
    const bob = provisioWithInput(
      ['users', 'add', 'bob', '--role', 'operator', '--password-stdin', ...args],
      'a-long-enough-password\n',
    )
    assert.equal(bob.status, 0, bob.stderr)
    assert.match(bob.stdout, /User bob added \(operator\)\./)
    const short = provisioWithInput(['users', 'passwd', 'bob', '--password-stdin', ...args], 'short\n')
    assert.equal(short.status, 1)
    assert.match(short.stderr, /SRV_WEAK_PASSWORD/)
    const demote = provisio(['users', 'role', 'alice', 'auditor', ...args])
    assert.equal(demote.status, 1)
    assert.match(demote.stderr, /SRV_LAST_ADMIN/)
    assert.equal(provisio(['users', 'role', 'bob', 'auditor', ...args]).status, 0)
    const list = jsonOf<{ name: string; role: string }[]>(provisio(['users', 'list', '--json', ...args]), [
      'users list',
    ])
    assert.deepEqual(
      list.map((u) => [u.name, u.role]),
      [
        ['alice', 'admin'],
        ['bob', 'auditor'],
      ],
    )
    assert.ok(!JSON.stringify(list).includes('scrypt'))
    assert.match(provisio(['users', 'disable', 'alice', ...args]).stderr, /SRV_LAST_ADMIN/)
    assert.equal(provisio(['users', 'disable', 'bob', ...args]).status, 0)
    const disabled = jsonOf<{ name: string; disabled: boolean }[]>(provisio(['users', 'list', '--json', ...args]), [
      'users list',
    ])
    assert.deepEqual(
      disabled.map((u) => [u.name, u.disabled]),
      [
        ['alice', false],
        ['bob', true],
      ],
    )
    assert.equal(provisio(['users', 'enable', 'bob', ...args]).status, 0)
    assert.equal(provisio(['users', 'remove', 'bob', ...args]).status, 0)
    assert.match(provisio(['users', 'remove', 'alice', ...args]).stderr, /SRV_LAST_ADMIN/)
    assert.match(provisio(['users', '--help']).stdout, /Examples:/)
  })

  it('serves the API over HTTPS beside the scheduler, and stops on SIGTERM', async () => {
    provisioWithInput(
      ['users', 'add', 'carol', '--role', 'auditor', '--password-stdin', ...args],
      'carols-password-123\n',
    )
    const token = jsonOf<{ id: number; token: string }>(
      provisio(['users', 'token', 'add', 'carol', '--label', 'e2e', '--expires', '1d', '--json', ...args]),
      ['users token add'],
    )
    const child: ChildProcess = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'provisio.mjs'), 'serve', '--json', '--port', '0', ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    try {
      let stdout = ''
      let stderr = ''
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      const listening = await new Promise<{ url: string; fingerprint: string; certFile: string }>((resolve, reject) => {
        child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk
          for (const line of stdout.split('\n'))
            if (line.includes('"listening"'))
              resolve(JSON.parse(line) as { url: string; fingerprint: string; certFile: string })
        })
        child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)))
      })
      const ca = readFileSync(listening.certFile, 'utf8')
      const get = (url: string, headers: Record<string, string> = {}) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          https
            .get(`${listening.url}${url}`, { ca, headers, agent: false }, (response) => {
              let body = ''
              response.setEncoding('utf8').on('data', (c: string) => (body += c))
              response.on('end', () => resolve({ status: response.statusCode!, body }))
            })
            .on('error', reject)
        })
      const health = await get('/api/health')
      assert.equal(health.status, 200)
      assert.equal(JSON.parse(health.body).ok, true)
      const me = await get('/api/session', { authorization: `Bearer ${token.token}` })
      assert.equal(me.status, 200, me.body)
      assert.equal(JSON.parse(me.body).user.name, 'carol')
      assert.equal((await get('/api/users', { authorization: `Bearer ${token.token}` })).status, 403)
      assert.equal((await get('/api/session')).status, 401)
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      child.kill('SIGTERM')
      assert.equal(await exited, 0, stderr)
      assert.match(stdout, /"event":"stopped"/)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
