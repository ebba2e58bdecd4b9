/**
 * The client pool against real slapds of its own that are stopped and started again under it: a
 * broken connection surfaces once as a retryable CON_LDAP_ error, and the next use connects and
 * binds afresh (with StartTLS again when configured), instead of an unbound or unencrypted socket.
 * With a list of URLs (two slapds standing in for two domain controllers) every connection of the
 * pool is on the same server, and they fail over together. The password stays private, and a
 * programming error inside `use` is a bug, not a directory failure.
 *
 * Ports 3480-3481 and 3570-3573 are this file's own.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { inspect } from 'node:util'
import { Client } from 'ldapts'
import { isProvisioError, silentLogger } from '../../core/index.ts'
import { DnSyntaxError, parseDn } from './ldap-dn.ts'
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

describe('LdapSession keeps every connection on one URL', { skip }, () => {
  const servers = {
    a: { port: 3570, sport: 3571, dir: '' },
    b: { port: 3572, sport: 3573, dir: '' },
  }
  type Name = keyof typeof servers
  let caFile: string
  const url = (name: Name) => `ldaps://127.0.0.1:${servers[name].sport}`
  const stopServer = (name: Name) => execFileSync('bash', [script('stop-slapd.sh'), servers[name].dir])

  /** Starts (or restarts, empty) the slapd `name` and marks it with an entry `ou=server-<name>`. */
  async function startServer(name: Name): Promise<string> {
    const { dir, port, sport } = servers[name]
    const ca = execFileSync('bash', [script('start-slapd.sh'), dir, String(port), String(sport)])
      .toString()
      .trim()
      .split('\n')[2]!
    const client = new Client({ url: url(name), tlsOptions: { ca: readFileSync(ca) } })
    try {
      await client.bind('cn=admin,dc=example,dc=test', 'secret')
      await client
        .add(`ou=server-${name},dc=example,dc=test`, { objectClass: ['organizationalUnit'], ou: `server-${name}` })
        .catch((error: { code?: unknown }) => {
          if (error.code !== 68) throw error // 68: it runs still, marked already
        })
    } finally {
      await client.unbind()
    }
    return ca
  }

  /** Which server `client` is connected to, by its marker entry. */
  async function serverOf(client: Client): Promise<string> {
    const { searchEntries } = await client.search('dc=example,dc=test', {
      scope: 'one',
      filter: '(|(ou=server-a)(ou=server-b))',
      attributes: ['ou'],
    })
    return String(searchEntries[0]?.['ou'])
  }

  function sessionOn(urls: string[], connections: number): LdapSession {
    const config = ldapConfigSchema.parse({
      flavour: 'ldap',
      url: urls,
      bindDN: 'cn=admin,dc=example,dc=test',
      password: '${env:UNUSED}',
      baseDN: 'dc=example,dc=test',
      tls: { ca: caFile },
      connections,
      connectTimeout: 3000,
      timeout: 5000,
    })
    return new LdapSession({ ...config, password: 'secret' }, { projectDir: os.tmpdir(), logger: silentLogger })
  }

  /**
   * The servers of `count` uses run at once (so each takes a slot of its own: the pool hands a
   * use the least busy slot), sorted. A use that meets a connection the server closed fails once,
   * retryable, and is tried again, as the executor would.
   */
  async function serversOfSlots(session: LdapSession, count: number): Promise<string[]> {
    let arrived = 0
    let all: () => void = () => undefined
    const together = new Promise<void>((resolve) => (all = resolve))
    const one = async (): Promise<string> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await session.use('Which server', async (client) => {
            const server = await serverOf(client)
            if (++arrived === count) all()
            await together
            return server
          })
        } catch (error) {
          if (attempt > 2 || !isProvisioError(error) || error.retry !== 'safe') throw error
        }
      }
    }
    return (await Promise.all(Array.from({ length: count }, one))).sort()
  }

  before(async () => {
    servers.a.dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-slapd-a-'))
    servers.b.dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-slapd-b-'))
    // Each slapd has a CA of its own: trust both through one file, as `tls.ca` allows.
    const cas = [await startServer('a'), await startServer('b')]
    caFile = path.join(servers.a.dir, 'both-cas.pem')
    writeFileSync(caFile, cas.map((ca) => readFileSync(ca, 'utf8')).join('\n'))
  })
  after(() => {
    for (const name of ['a', 'b'] as const) {
      stopServer(name)
      rmSync(servers[name].dir, { recursive: true, force: true })
    }
  })

  it('connects every slot to the next URL when the first cannot be reached', async () => {
    const session = sessionOn([`ldaps://127.0.0.1:${await closedPort()}`, url('a')], 2)
    try {
      assert.deepEqual(await serversOfSlots(session, 2), ['server-a', 'server-a'])
      assert.equal(session.currentUrl, url('a'))
    } finally {
      await session.close()
    }
  })

  it('moves the whole pool when its server fails, stays there, and comes back in order', async () => {
    const session = sessionOn([url('a'), url('b')], 3)
    try {
      // Two of the three slots connect: both to the first URL.
      assert.deepEqual(await serversOfSlots(session, 2), ['server-a', 'server-a'])
      stopServer('a')
      assert.deepEqual(await serversOfSlots(session, 2), ['server-b', 'server-b'])
      // The first server is back, but the pool stays where it is: the third slot, connecting only
      // now, joins the other two rather than the first URL.
      await startServer('a')
      assert.deepEqual(await serversOfSlots(session, 3), ['server-b', 'server-b', 'server-b'])
      // Its server fails in turn: every slot moves on, in order, which wraps to the first URL.
      stopServer('b')
      assert.deepEqual(await serversOfSlots(session, 3), ['server-a', 'server-a', 'server-a'])
      assert.equal(session.currentUrl, url('a'))
    } finally {
      await session.close()
      await startServer('b')
    }
  })

  it('keeps the password out of its config and out of what it shows', async () => {
    const session = sessionOn([url('a')], 1)
    try {
      assert.equal(await session.use('Bind', async (client) => client.isBound), true)
      assert.equal('password' in session.config, false)
      assert.doesNotMatch(JSON.stringify(session.config), /secret/)
      assert.doesNotMatch(inspect(session, { depth: 5, showHidden: true }), /secret/)
    } finally {
      await session.close()
    }
  })

  it('reports a programming error inside use as a bug, not as a directory failure', async () => {
    const session = sessionOn([url('a')], 1)
    try {
      const failures = await Promise.all([
        session
          .use('Read a thing', async () => (undefined as unknown as { x: number }).x)
          .then(
            () => undefined,
            (error: unknown) => error,
          ),
        session
          .use('Parse a DN', async () => parseDn('not a dn'))
          .then(
            () => undefined,
            (error: unknown) => error,
          ),
        session
          .use('Search', (client) => client.search('cn=nobody,dc=example,dc=test', { scope: 'base' }))
          .then(
            () => undefined,
            (error: unknown) => error,
          ),
      ])
      const [typeError, dnError, directory] = failures.map((f) => {
        assert.ok(isProvisioError(f), String(f))
        return f
      })
      assert.deepEqual([typeError!.code, typeError!.audience], ['BUG_UNEXPECTED', 'bug'])
      assert.ok(typeError!.cause instanceof TypeError)
      assert.match(typeError!.message, /^Read a thing at ldaps:\/\/127\.0\.0\.1:3571: TypeError/)
      assert.deepEqual([dnError!.code, dnError!.audience], ['BUG_UNEXPECTED', 'bug'])
      assert.ok(dnError!.cause instanceof DnSyntaxError)
      // What the directory answers is still a CON_LDAP_ error.
      assert.equal(directory!.code, 'CON_LDAP_NO_SUCH_OBJECT')
      // The client is still good.
      assert.equal(await session.use('Bind', async (client) => client.isBound), true)
    } finally {
      await session.close()
    }
  })
})

/** A local port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
