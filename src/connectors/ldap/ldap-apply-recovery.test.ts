/**
 * Creates whose outcome is in doubt, against the real directories. The doubt is made for real: the
 * session talks to the directory through a TLS proxy of the test's own that reads the LDAP
 * messages passing through and, when told, drops the connection either right after the add
 * request reached the server and the server answered it (the answer is lost: the entry exists), or
 * before the add request is passed on (the entry does not). Nothing of the connector is replaced.
 *
 * Also here: a create tried again (the DN exists, 68) is a success when the entry is there as sent.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { after, before, describe, it } from 'node:test'
import {
  apply,
  bindAs,
  type Fixture,
  fixtureOf,
  key,
  newUser,
  rdnOf,
  readAttribute,
  release,
  rowOfResult,
  unique,
  failure,
} from '../../../test/support/ldap-apply-kit.ts'
import { planOf, sessionOf } from '../../../test/support/ldap-kit.ts'
import { AD_SERVER, LDAP_SERVER, skipReason, type TestDirectory } from '../../../test/support/ldap-servers.ts'
import { lookupEntry } from './ldap-lookup.ts'

/** LDAP's AddRequest and AddResponse (RFC 4511 §4.7: [APPLICATION 8] and [APPLICATION 9]). */
const ADD_REQUEST = 0x68
const ADD_RESPONSE = 0x69

interface Message {
  readonly id: number
  readonly operation: number
  readonly bytes: Buffer
}

/** Splits a stream of BER-encoded LDAPMessages (SEQUENCE { messageID INTEGER, protocolOp … }) into messages. */
class Framer {
  private pending = Buffer.alloc(0)

  push(chunk: Buffer): Message[] {
    this.pending = Buffer.concat([this.pending, chunk])
    const messages: Message[] = []
    for (;;) {
      const b = this.pending
      if (b.length < 2) break
      const short = b[1]! < 0x80
      const header = short ? 2 : 2 + (b[1]! & 0x7f)
      if (b.length < header) break
      const length = short ? b[1]! : b.subarray(2, header).reduce((n, byte) => n * 256 + byte, 0)
      if (b.length < header + length) break
      const idLength = b[header + 1]!
      const id = b.subarray(header + 2, header + 2 + idLength).reduce((n, byte) => n * 256 + byte, 0)
      messages.push({ id, operation: b[header + 2 + idLength]!, bytes: b.subarray(0, header + length) })
      this.pending = b.subarray(header + length)
    }
    return messages
  }
}

/** Where the next add is lost: its request before the server sees it, or its answer after the server did it. */
type Cut = 'request' | 'answer'

interface LossyProxy {
  readonly url: string
  readonly caFile: string
  /** Drops the connection that carries the next add, at the given point; later connections pass. */
  cut(where: Cut): void
  close(): Promise<void>
}

/** A TLS proxy on a free port in front of `server`, with a self-signed certificate for 127.0.0.1. */
async function lossyProxy(server: TestDirectory, dir: string): Promise<LossyProxy> {
  const keyFile = join(dir, 'proxy.key')
  const caFile = join(dir, 'proxy.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ],
    { stdio: 'ignore' },
  )
  const upstream = new URL(server.url)
  const upstreamCa = readFileSync(server.caFile)
  let armed: Cut | undefined
  const open = new Set<net.Socket>()
  const proxy = tls.createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (client) => {
    const target = tls.connect({ host: upstream.hostname, port: Number(upstream.port), ca: upstreamCa })
    open.add(client).add(target)
    const drop = () => {
      client.destroy()
      target.destroy()
    }
    let lostAnswer: number | undefined
    const fromClient = new Framer()
    const fromServer = new Framer()
    client.on('data', (chunk: Buffer) => {
      for (const message of fromClient.push(chunk)) {
        if (armed !== undefined && message.operation === ADD_REQUEST) {
          const where = armed
          armed = undefined
          if (where === 'request') return drop()
          lostAnswer = message.id
        }
        target.write(message.bytes)
      }
    })
    target.on('data', (chunk: Buffer) => {
      for (const message of fromServer.push(chunk)) {
        if (message.id === lostAnswer) {
          assert.equal(message.operation, ADD_RESPONSE)
          return drop()
        }
        client.write(message.bytes)
      }
    })
    for (const socket of [client, target]) {
      socket.on('error', drop)
      socket.on('close', () => {
        open.delete(socket)
        drop()
      })
    }
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const { port } = proxy.address() as net.AddressInfo
  return {
    url: `ldaps://127.0.0.1:${port}`,
    caFile,
    cut: (where) => (armed = where),
    close: async () => {
      for (const socket of open) socket.destroy()
      await new Promise((resolve) => proxy.close(resolve))
    },
  }
}

for (const server of [LDAP_SERVER, AD_SERVER]) {
  const kind = server === AD_SERVER ? 'ad' : 'ldap'
  describe(`LDAP creates in doubt on ${kind === 'ad' ? 'Samba AD' : 'OpenLDAP'}`, { skip: skipReason(kind) }, () => {
    let f: Fixture
    let dir: string
    let proxy: LossyProxy
    /** The fixture with a session that goes through the proxy. */
    let lossy: Fixture

    before(async () => {
      f = await fixtureOf(server!, 'apply-doubt')
      dir = mkdtempSync(join(tmpdir(), 'provisio-lossy-'))
      proxy = await lossyProxy(server!, dir)
      lossy = { ...f, session: sessionOf(server!, { url: proxy.url, tls: { ca: proxy.caFile } }) }
    })
    after(async () => {
      await lossy?.session.close()
      await proxy?.close()
      rmSync(dir, { recursive: true, force: true })
      await release(f)
    })

    it('finishes a create whose answer was lost: the entry is there as sent, its password set', async () => {
      const password = 'Lost-Answer-2026!'
      proxy.cut('answer')
      const result = await apply(lossy, f.users, 'user_create', newUser(f, 'Lost, Answer', 1, { password }))
      const row = rowOfResult(result)
      assert.match(result.message ?? '', /answer to the add was lost/)
      assert.equal(row[rdnOf(f)], 'Lost, Answer')
      // The password works: on OpenLDAP it was set after the add, on AD it was part of it.
      await bindAs(f.server, String(row['dn']), password)
      if (kind === 'ldap') assert.match((await readAttribute(f, String(row['dn']), 'userPassword'))[0]!, /^\{SSHA\}/)
    })

    it('leaves a create whose request never reached the server to the executor, retryable', async () => {
      proxy.cut('request')
      const error = await failure(apply(lossy, f.users, 'user_create', newUser(f, 'Lost, Request', 2)))
      assert.equal(error.code, 'CON_LDAP_CONNECTION_LOST', error.message)
      assert.equal(error.retry, 'safe')
      const plan = planOf(f.session, f.users)
      const by = kind === 'ad' ? 'sAMAccountName' : 'uid'
      assert.equal(await lookupEntry(f.session, plan, by, newUser(f, 'Lost, Request', 2)[by]!), undefined)
    })

    it('refuses a lost create when another entry is at its DN', async () => {
      await apply(f, f.users, 'user_create', newUser(f, 'Taken, Before', 3, { description: 'the first' }))
      proxy.cut('answer')
      const error = await failure(
        apply(lossy, f.users, 'user_create', newUser(f, 'Taken, Before', 4, { description: 'another' })),
      )
      assert.equal(error.code, 'CON_LDAP_ALREADY_EXISTS', error.message)
      assert.match(error.message, /answer to the add was lost, and the entry now at that DN is not the one sent/)
    })

    it('takes a create tried again for done when the entry is there as sent, and refuses one that differs', async () => {
      const attributes = newUser(f, 'Again, A.', 5, { description: 'as sent' })
      const first = rowOfResult(await apply(f, f.users, 'user_create', attributes))
      const again = await apply(f, f.users, 'user_create', attributes)
      assert.deepEqual(again.row, first)
      assert.match(again.message ?? '', /^Already there/)
      assert.equal(again.unchanged, undefined)

      const other = await failure(apply(f, f.users, 'user_create', { ...attributes, description: 'not as sent' }))
      assert.equal(other.code, 'CON_LDAP_ALREADY_EXISTS', other.message)
      // A value the create leaves out must be absent too: the entry has a description, this create none.
      const missing = await failure(apply(f, f.users, 'user_create', { ...attributes, description: null }))
      assert.equal(missing.code, other.code, missing.message)

      // Groups too, with the placeholder member of a groupOfNames counted as sent.
      const group = kind === 'ad' ? { name: 'Again group', sAMAccountName: `ag${unique}` } : { name: 'Again group' }
      const g = rowOfResult(await apply(f, f.groups, 'group_create', group))
      assert.deepEqual((await apply(f, f.groups, 'group_create', group)).row, g)
      await apply(f, f.groups, 'group_delete', {}, key(f.id, g[f.id]!))
    })

    it(
      'sets the password of a create tried again on OpenLDAP (the add and the password are two requests)',
      { skip: kind !== 'ldap' },
      async () => {
        const attributes = newUser(f, 'Again, P.', 6)
        const first = rowOfResult(await apply(f, f.users, 'user_create', attributes))
        assert.deepEqual(await readAttribute(f, String(first['dn']), 'userPassword'), [])
        const password = 'Set-On-Retry-2026!'
        rowOfResult(await apply(f, f.users, 'user_create', { ...attributes, password }))
        await bindAs(f.server, String(first['dn']), password)
      },
    )
  })
}
