/**
 * Sending mail to a real SMTP server on loopback (smtp-server), read back with mailparser: several
 * recipients, text and html parts, AUTH PLAIN with the password from an env reference, STARTTLS and
 * TLS with a self-signed certificate trusted through `ca`, and the coded errors for a rejected
 * password, an untrusted certificate and a closed port. The pickup directory gets one .eml file.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server'
import type { MailServerConfig } from '../config/index.ts'
import { rejects } from '../../test/support/errors.ts'
import { type MailMessage, sendMail } from './send-mail.ts'

interface Received {
  readonly mail: ParsedMail
  readonly session: SMTPServerSession
}

interface Receiver {
  readonly port: number
  readonly received: Received[]
  close(): Promise<void>
}

async function startReceiver(options: SMTPServerOptions): Promise<Receiver> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    ...options,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ mail, session: { ...session, envelope: { ...session.envelope } } })
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as net.AddressInfo).port
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

function server(fields: Partial<MailServerConfig>): MailServerConfig {
  return {
    name: 'mail',
    file: 'mail.yaml',
    document: {} as MailServerConfig['document'],
    transport: 'smtp',
    host: '127.0.0.1',
    security: 'none',
    from: 'Provisio <provisio@example.test>',
    timeout: 5000,
    ...fields,
  }
}

const message: MailMessage = {
  to: ['ann@example.test', 'bo@example.test'],
  cc: ['cy@example.test'],
  bcc: ['audit@example.test'],
  subject: 'Sync nightly: succeeded',
  text: 'Run 7 succeeded.\n3 accounts created.',
  html: '<p>Run 7 <b>succeeded</b>.</p>',
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field]
  return list.flatMap((a) => a.value.map((v) => v.address ?? ''))
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-mail-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('sendMail over SMTP', () => {
  it('delivers a message with two to, a cc, a bcc, text and html parts', async () => {
    const receiver = await startReceiver({ disabledCommands: ['STARTTLS', 'AUTH'] })
    try {
      const info = await sendMail(server({ port: receiver.port }), message, { projectDir: dir })
      assert.match(info.messageId, /@/)
      assert.equal(receiver.received.length, 1)
      const { mail, session } = receiver.received[0]!
      assert.equal(mail.subject, 'Sync nightly: succeeded')
      assert.deepEqual(addresses(mail.to), ['ann@example.test', 'bo@example.test'])
      assert.deepEqual(addresses(mail.cc), ['cy@example.test'])
      assert.deepEqual(addresses(mail.from), ['provisio@example.test'])
      assert.equal(mail.text?.trim(), 'Run 7 succeeded.\n3 accounts created.')
      assert.equal(mail.html, '<p>Run 7 <b>succeeded</b>.</p>')
      // The bcc is in the envelope, not in the headers.
      assert.deepEqual(session.envelope.rcptTo.map((r) => r.address).sort(), [
        'ann@example.test',
        'audit@example.test',
        'bo@example.test',
        'cy@example.test',
      ])
      assert.equal(mail.headers.get('bcc'), undefined)
    } finally {
      await receiver.close()
    }
  })

  it('uses the action’s sender over the server’s', async () => {
    const receiver = await startReceiver({ disabledCommands: ['STARTTLS', 'AUTH'] })
    try {
      await sendMail(server({ port: receiver.port }), { ...message, from: 'hr@example.test' }, { projectDir: dir })
      assert.deepEqual(addresses(receiver.received[0]!.mail.from), ['hr@example.test'])
    } finally {
      await receiver.close()
    }
  })

  describe('AUTH PLAIN', () => {
    let receiver: Receiver
    const logins: { method: string; username: string | undefined }[] = []
    before(async () => {
      receiver = await startReceiver({
        disabledCommands: ['STARTTLS'],
        authMethods: ['PLAIN'],
        allowInsecureAuth: true,
        authOptional: false,
        onAuth(auth, _session, callback) {
          logins.push({ method: auth.method, username: auth.username })
          if (auth.username === 'provisio' && auth.password === 'right-pw-123') callback(null, { user: 'provisio' })
          else callback(new Error('Invalid username or password'))
        },
      })
    })
    after(() => receiver.close())
    const authServer = () => server({ port: receiver.port, user: 'provisio', password: '${env:SMTP_PASSWORD}' })

    it('logs in with the password from its env reference', async () => {
      await sendMail(authServer(), message, { projectDir: dir, env: { SMTP_PASSWORD: 'right-pw-123' } })
      assert.deepEqual(logins.at(-1), { method: 'PLAIN', username: 'provisio' })
      assert.equal(receiver.received.length, 1)
    })

    it('gives EVT_MAIL_AUTH_FAILED for a rejected password, without the password', async () => {
      const error = await rejects(
        sendMail(authServer(), message, { projectDir: dir, env: { SMTP_PASSWORD: 'wrong-pw-456' } }),
        'EVT_MAIL_AUTH_FAILED',
      )
      assert.match(error.message, /provisio/)
      assert.doesNotMatch(JSON.stringify({ ...error.toJSON(), message: error.message }), /wrong-pw-456/)
    })

    it('names the variable, not a value, when the reference cannot be resolved', async () => {
      const error = await rejects(
        sendMail(authServer(), message, { projectDir: dir, env: {} }),
        'CFG_SECRET_UNRESOLVED',
      )
      assert.match(error.message, /SMTP_PASSWORD/)
    })
  })

  describe('TLS with a self-signed certificate', () => {
    let key: Buffer
    let cert: Buffer
    before(() => {
      const certDir = path.join(dir, 'cert')
      execFileSync('mkdir', ['-p', certDir])
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '2',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-keyout',
          path.join(certDir, 'key.pem'),
          '-out',
          path.join(dir, 'smtp-ca.pem'),
        ],
        { stdio: 'ignore' },
      )
      key = readFileSync(path.join(certDir, 'key.pem'))
      cert = readFileSync(path.join(dir, 'smtp-ca.pem'))
    })

    it('upgrades with STARTTLS and trusts the certificate through `ca`', async () => {
      const receiver = await startReceiver({ key, cert, disabledCommands: ['AUTH'] })
      try {
        await sendMail(server({ port: receiver.port, security: 'starttls', ca: 'smtp-ca.pem' }), message, {
          projectDir: dir,
        })
        assert.equal(receiver.received.length, 1)
        assert.equal(receiver.received[0]!.session.secure, true)
      } finally {
        await receiver.close()
      }
    })

    it('connects with TLS from the start (security: tls)', async () => {
      const receiver = await startReceiver({ key, cert, secure: true, disabledCommands: ['AUTH'] })
      try {
        await sendMail(server({ port: receiver.port, security: 'tls', ca: 'smtp-ca.pem' }), message, {
          projectDir: dir,
        })
        assert.equal(receiver.received[0]!.session.secure, true)
      } finally {
        await receiver.close()
      }
    })

    it('gives EVT_MAIL_TLS_FAILED when the certificate is not trusted', async () => {
      const receiver = await startReceiver({ key, cert, disabledCommands: ['AUTH'] })
      try {
        await rejects(
          sendMail(server({ port: receiver.port, security: 'starttls' }), message, { projectDir: dir }),
          'EVT_MAIL_TLS_FAILED',
        )
        assert.equal(receiver.received.length, 0)
      } finally {
        await receiver.close()
      }
    })

    it('gives EVT_MAIL_TLS_FAILED when STARTTLS is required and the server does not offer it', async () => {
      const receiver = await startReceiver({ disabledCommands: ['STARTTLS', 'AUTH'] })
      try {
        await rejects(
          sendMail(server({ port: receiver.port, security: 'starttls' }), message, { projectDir: dir }),
          'EVT_MAIL_TLS_FAILED',
        )
      } finally {
        await receiver.close()
      }
    })
  })

  it('gives EVT_MAIL_UNREACHABLE for a closed port', async () => {
    const probe = net.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as net.AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const error = await rejects(sendMail(server({ port }), message, { projectDir: dir }), 'EVT_MAIL_UNREACHABLE')
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`))
  })
})

describe('sendMail into a pickup directory', () => {
  it('writes one .eml file that parses, creating the folder', async () => {
    const clock = { now: () => new Date('2026-12-01T10:00:00.123Z') }
    const pickup = server({ transport: 'pickup', directory: 'outbox/mail', host: undefined })
    const info = await sendMail(pickup, message, { projectDir: dir, clock })
    const files = readdirSync(path.join(dir, 'outbox', 'mail'))
    assert.equal(files.length, 1, 'no temporary file is left behind')
    assert.match(files[0]!, /^20261201T100000123Z-[0-9a-f]{8}\.eml$/)
    assert.equal(info.file, `outbox/mail/${files[0]}`)
    const mail = await simpleParser(readFileSync(path.join(dir, 'outbox', 'mail', files[0]!)))
    assert.equal(mail.subject, message.subject)
    assert.deepEqual(addresses(mail.to), ['ann@example.test', 'bo@example.test'])
    assert.deepEqual(addresses(mail.bcc), ['audit@example.test'], 'a pickup service reads the bcc from the file')
    assert.equal(mail.html, message.html)
    assert.equal(mail.date?.toISOString(), '2026-12-01T10:00:00.000Z')
  })
})
