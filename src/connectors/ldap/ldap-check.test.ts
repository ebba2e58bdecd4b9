/**
 * `check` against the real directories: success, and each way a connection goes wrong, classified
 * by its CON_LDAP_ code with a hint, fast, and without the password in any message. One case needs
 * a server that is not a directory: a port that answers a TLS hello with plain text.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { before, describe, it } from 'node:test'
import type { ProvisioError } from '../../core/index.ts'
import { configOf, sessionOf } from '../../../test/support/ldap-kit.ts'
import { skipReason, TEST_DIRECTORIES, type TestDirectory } from '../../../test/support/ldap-servers.ts'
import { checkDirectory } from './ldap-check.ts'

/** A password that no message may contain. */
const WRONG = 'Wr0ng-Pa55-k9Q'

/** A local port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A local port that answers whatever it is sent with a line of plain text (no TLS, no LDAP); close it. */
async function plainTextPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** The error `check` fails with on `server` with these config overrides, or undefined when it succeeds. */
async function checkWith(
  server: TestDirectory,
  overrides: Record<string, unknown> = {},
): Promise<(Error & { code?: string; hint?: string }) | undefined> {
  const session = sessionOf(server, { connectTimeout: 5000, timeout: 10_000, ...overrides })
  try {
    await checkDirectory(session)
    return undefined
  } catch (error) {
    const e = error as Error & { code?: string; hint?: string }
    for (const secret of [server.password, WRONG]) {
      assert.ok(!`${e.message} ${e.hint ?? ''}`.includes(secret), `no password in: ${e.message} ${e.hint}`)
    }
    return e
  } finally {
    await session.close()
  }
}

for (const server of TEST_DIRECTORIES.length > 0 ? TEST_DIRECTORIES : [undefined]) {
  const kind = server?.kind ?? 'ldap'
  describe(`ldap check (${kind})`, { skip: skipReason(kind) }, () => {
    let closed: string
    const plainPort = kind === 'ad' ? 389 : Number(new URL(server?.plainUrl ?? 'ldap://x:1').port)
    before(async () => {
      closed = `ldaps://127.0.0.1:${await closedPort()}`
    })

    it('succeeds with the right settings', async () => {
      assert.equal(await checkWith(server!), undefined)
    })

    it('says the credentials were refused, on AD with the reason', async () => {
      const error = await checkWith(server!, { password: WRONG })
      assert.equal(error?.code, 'CON_LDAP_AUTH_FAILED')
      if (kind === 'ad') assert.match(error.hint!, /data 52e/)
    })

    it('says the server cannot be reached', async () => {
      const error = await checkWith(server!, { url: closed })
      assert.equal(error?.code, 'CON_LDAP_UNREACHABLE')
      assert.match(error.message, new RegExp(closed.replaceAll('.', '\\.')))
    })

    it('tries the next URL when the first cannot be reached', async () => {
      assert.equal(await checkWith(server!, { url: [closed, server!.url] }), undefined)
    })

    it('refuses a certificate no configured CA issued', async () => {
      assert.equal((await checkWith(server!, { tls: {} }))?.code, 'CON_LDAP_TLS_UNTRUSTED')
    })

    it('refuses a certificate issued to another name', async () => {
      const error = await checkWith(server!, { tls: { ca: server!.caFile, servername: 'wrong.example' } })
      assert.equal(error?.code, 'CON_LDAP_TLS_NAME_MISMATCH')
    })

    it('connects without checking the certificate when told to', async () => {
      assert.equal(await checkWith(server!, { tls: { rejectUnauthorized: false } }), undefined)
    })

    it('lists the naming contexts when the base DN does not exist', async () => {
      const error = await checkWith(server!, { baseDN: `ou=nowhere,${server!.baseDN}` })
      assert.equal(error?.code, 'CON_LDAP_BASE_NOT_FOUND')
      assert.match(error.message, /ou=nowhere/)
      assert.ok(error.hint!.toLowerCase().includes(server!.baseDN.toLowerCase()), error.hint)
    })

    it('upgrades a plain connection with StartTLS, checking the name', async () => {
      const plain = `ldap://127.0.0.1:${plainPort}`
      assert.equal(await checkWith(server!, { url: plain, startTLS: true }), undefined)
      const error = await checkWith(server!, {
        url: plain,
        startTLS: true,
        tls: { ca: server!.caFile, servername: 'wrong.example' },
      })
      assert.equal(error?.code, 'CON_LDAP_TLS_NAME_MISMATCH')
    })

    it('says a reset during the TLS handshake may be an ldaps:// URL on the plain port, retryable', async () => {
      // slapd and Samba both reset the connection on a TLS hello to their plain port (ECONNRESET, not
      // EPROTO): a reset is also what a network failure looks like, so it stays retryable.
      const error = (await checkWith(server!, { url: `ldaps://127.0.0.1:${plainPort}` })) as ProvisioError | undefined
      assert.equal(error?.code, 'CON_LDAP_CONNECTION_LOST')
      assert.equal(error.retry, 'safe')
      assert.equal(error.details?.['systemCode'], 'ECONNRESET')
      assert.match(error.hint!, /ldaps:\/\/ URL on a plain LDAP port/)
    })

    it('says TLS failed when the server answers a TLS hello with something else', async () => {
      const plainText = await plainTextPort()
      try {
        const error = (await checkWith(server!, { url: `ldaps://127.0.0.1:${plainText.port}` })) as
          ProvisioError | undefined
        assert.equal(error?.code, 'CON_LDAP_TLS_FAILED')
        assert.equal(error.retry, 'never')
      } finally {
        await plainText.close()
      }
    })

    it('says a CA file that does not exist', async () => {
      const error = await checkWith(server!, { tls: { ca: '/nonexistent/provisio-ca.pem' } })
      assert.equal(error?.code, 'CON_LDAP_CA_FILE')
      assert.match(error.message, /nonexistent\/provisio-ca\.pem/)
    })

    if (kind === 'ad') {
      it('says AD wants encryption for a simple bind over plain LDAP (allowed here, refused by AD)', async () => {
        const error = await checkWith(server!, { url: 'ldap://127.0.0.1:389', allowPlainText: true })
        assert.equal(error?.code, 'CON_LDAP_ENCRYPTION_REQUIRED')
        assert.match(error.message, /\[LDAP (8|13)\b/) // the directory's answer, not the connector's refusal
      })
    } else {
      it('binds over plain LDAP where the server allows it, when allowPlainText says so', async () => {
        assert.equal(
          await checkWith(server!, { url: `ldap://127.0.0.1:${plainPort}`, allowPlainText: true }),
          undefined,
        )
      })
    }

    it('refuses plain ldap:// without StartTLS before connecting, unless allowPlainText', async () => {
      // A port nothing listens on: the refusal comes before any connection is tried.
      const error = (await checkWith(server!, { url: [server!.url, closed.replace('ldaps:', 'ldap:')] })) as
        ProvisioError | undefined
      assert.equal(error?.code, 'CON_LDAP_ENCRYPTION_REQUIRED')
      assert.match(error.message, /nothing was sent/)
      assert.match(error.hint!, /ldaps:\/\/.*startTLS.*allowPlainText/s)
      assert.deepEqual(error.details?.['urls'], [closed.replace('ldaps:', 'ldap:')])
    })

    it('parses the config it is given', () => {
      assert.equal(configOf(server!).flavour, kind)
    })
  })
}
