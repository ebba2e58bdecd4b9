/**
 * scripts/test.sh (`npm test`) starts the servers the environment does not name, hands them to the
 * tests in PROVISIO_TEST_* variables, names every suite it has to skip and why, and stops what it
 * started even when the tests fail. Run with a probe test file instead of the whole suite, never
 * installing anything; PostgreSQL is left out (PROVISIO_TEST_PG_URL is given), slapd is started for
 * real, and Samba AD meets port 636 taken (held here when it is free) and must be skipped for it.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
const PROBE = path.join(import.meta.dirname, 'server-env-probe.fixture.ts')

/**
 * Holds 127.0.0.1:636 when it is free and may be bound (as root). `taken` says whether test.sh will
 * find the port taken (held here, or by another server); without root a free port stays free.
 */
async function hold636(): Promise<{ taken: boolean; release: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy()) // test.sh only probes whether it is taken
  const outcome = await new Promise<'held' | 'in use' | 'refused'>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? 'in use' : 'refused'))
    server.listen(636, '127.0.0.1', () => resolve('held'))
  })
  const release = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return { taken: outcome !== 'refused', release: outcome === 'held' ? release : async () => undefined }
}

function runTestScript(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['scripts/test.sh', PROBE], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('scripts/test.sh', { skip: process.platform !== 'linux' ? 'needs Linux and bash' : false }, () => {
  it('starts slapd for the tests, skips Samba AD with its reason when port 636 is taken, and stops slapd after failing tests', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-test-script-'))
    const port636 = await hold636()
    try {
      // Neither this run's servers nor node:test's own wiring (NODE_TEST_CONTEXT) reach the inner run.
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.startsWith('PROVISIO_') && !name.startsWith('NODE_TEST')),
      )
      const { code, output } = await runTestScript({
        ...env,
        PROBE_OUT: path.join(dir, 'probe.json'),
        PROVISIO_TEST_NO_INSTALL: '1',
        PROVISIO_TEST_PG_URL: 'postgres://not-used@127.0.0.1:1/none',
        ...(process.env['PROVISIO_TEST_SLAPD_PORT'] === undefined
          ? {}
          : { PROVISIO_TEST_SLAPD_PORT: process.env['PROVISIO_TEST_SLAPD_PORT'] }),
      })
      assert.notEqual(code, 0, 'the failing probe must fail the run')
      // Port 636 taken: skipped for that reason; free but not ours to bind (not root): skipped too.
      const adSkipped = port636.taken
        ? /^# skipped: Samba AD suites: port 636 on 127\.0\.0\.1 is taken/m
        : /^# skipped: Samba AD suites: ./m
      assert.match(output, adSkipped)
      assert.doesNotMatch(output, /# skipped: PostgreSQL/, 'PostgreSQL was given and must not be started')
      const probe = JSON.parse(readFileSync(path.join(dir, 'probe.json'), 'utf8')) as {
        env: Record<string, string>
        slapdPid?: string
      }
      assert.equal(probe.env['PROVISIO_TEST_AD_URL'], undefined)
      const ldapSkipped = /^# skipped: OpenLDAP suites: (.+)$/m.exec(output)
      if (ldapSkipped !== null) {
        // No slapd on this machine (and nothing may be installed here): skipped, with the reason.
        assert.equal(probe.env['PROVISIO_TEST_LDAPS_URL'], undefined)
        return
      }
      assert.match(probe.env['PROVISIO_TEST_LDAP_URL'] ?? '', /^ldap:\/\/127\.0\.0\.1:\d+$/)
      assert.match(probe.env['PROVISIO_TEST_LDAPS_URL'] ?? '', /^ldaps:\/\/127\.0\.0\.1:\d+$/)
      const ca = probe.env['PROVISIO_TEST_LDAP_CA'] ?? ''
      assert.match(ca, /\/ca\.pem$/)
      assert.ok(probe.slapdPid !== undefined && /^\d+$/.test(probe.slapdPid))
      assert.equal(isAlive(Number(probe.slapdPid)), false, 'slapd still runs after test.sh ended')
      assert.equal(existsSync(ca), false, "test.sh's working folder is still there")
    } finally {
      await port636.release()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
