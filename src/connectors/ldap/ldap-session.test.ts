/**
 * The client pool against a real slapd of its own that is stopped and started again under it: a
 * broken connection surfaces once as a retryable CON_LDAP_ error, and the next use connects and
 * binds afresh (with StartTLS again when configured), instead of an unbound or unencrypted socket.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { isProvisioError, silentLogger } from '../../core/index.ts'
import { ldapConfigSchema } from './ldap-schema.ts'
import { LdapSession } from './ldap-session.ts'

const PORT = 3480
const SPORT = 3481
const script = (name: string) => path.resolve(import.meta.dirname, '../../../scripts', name)

// It starts a slapd of its own (it stops it under the session), so it needs slapd installed, not a running one.
const skip = existsSync('/usr/sbin/slapd') ? false : 'slapd is not installed (scripts/install-ldap.sh, as root)'

describe('LdapSession reconnects after the server went away', { skip }, () => {
  let dir: string
  let ca: string
  const start = () => execFileSync('bash', [script('start-slapd.sh'), dir, String(PORT), String(SPORT)]).toString()
  const stop = () => execFileSync('bash', [script('stop-slapd.sh'), dir])

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-slapd-'))
    ca = start().trim().split('\n')[2]!
  })
  after(() => {
    stop()
    rmSync(dir, { recursive: true, force: true })
  })

  for (const mode of ['ldaps', 'startTLS'] as const) {
    it(`replaces a broken ${mode} connection with a bound one`, async () => {
      const config = ldapConfigSchema.parse({
        flavour: 'ldap',
        url: mode === 'ldaps' ? `ldaps://127.0.0.1:${SPORT}` : `ldap://127.0.0.1:${PORT}`,
        startTLS: mode === 'startTLS',
        bindDN: 'cn=admin,dc=example,dc=test',
        password: '${env:UNUSED}',
        baseDN: 'dc=example,dc=test',
        tls: { ca },
        connections: 1,
        timeout: 5000,
      })
      const session = new LdapSession({ ...config, password: 'secret' }, { projectDir: dir, logger: silentLogger })
      const whoami = () =>
        session.use('Cannot search', async (client) => {
          // An anonymous or unencrypted session would not see the admin-only attribute list.
          const { searchEntries } = await client.search('dc=example,dc=test', { scope: 'base', attributes: ['dc'] })
          return { entries: searchEntries.length, bound: client.isBound }
        })
      try {
        assert.deepEqual(await whoami(), { entries: 1, bound: true })
        stop()
        start()
        // The old socket is gone: the first use fails, retryable, without a password in its message.
        const failure = await whoami().then(
          () => undefined,
          (error: unknown) => error,
        )
        if (failure !== undefined) {
          assert.ok(isProvisioError(failure), (failure as Error).message)
          assert.match(failure.code, /^CON_LDAP_(CONNECTION_LOST|UNREACHABLE)$/)
          assert.equal(failure.retry, 'safe')
          assert.doesNotMatch(failure.message, /secret/)
        }
        assert.deepEqual(await whoami(), { entries: 1, bound: true })
      } finally {
        await session.close()
      }
    })
  }
})
