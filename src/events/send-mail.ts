/**
 * Sending a rendered message through a MailServer with nodemailer: over SMTP (TLS from the start,
 * STARTTLS required, or plain), or into a pickup directory as one .eml file per message, for a
 * local mail service to send (or for a test to read). The password is resolved from its
 * `${env:NAME}` reference only here, when a mail is sent, and never appears in an error.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type { Clock, ProvisioError } from '../core/index.ts'
import { systemClock } from '../core/index.ts'
import type { MailServerConfig } from '../config/index.ts'
import { resolveSystemSecrets } from '../config/index.ts'
import { eventError } from './errors.ts'

/** A rendered message, addressed. */
export interface MailMessage {
  /** @default the MailServer's `from` */
  readonly from?: string | undefined
  readonly to: readonly string[]
  readonly cc: readonly string[]
  readonly bcc: readonly string[]
  readonly subject: string
  readonly text?: string | undefined
  readonly html?: string | undefined
}

export interface SendMailOptions {
  /** The project folder: `ca` and a pickup `directory` are relative to it. */
  readonly projectDir: string
  /** Where the password's `${env:NAME}` reference is resolved. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /** The message's Date and the pickup file's name. @default the system clock */
  readonly clock?: Clock | undefined
}

export interface MailResult {
  readonly messageId: string
  /** pickup: the file written, relative to the project folder. */
  readonly file?: string | undefined
}

/** Sends `message` through `server`; throws an EVT_MAIL_* error when it cannot. */
export async function sendMail(
  server: MailServerConfig,
  message: MailMessage,
  options: SendMailOptions,
): Promise<MailResult> {
  const clock = options.clock ?? systemClock
  const mail = {
    from: message.from ?? server.from,
    to: [...message.to],
    cc: [...message.cc],
    bcc: [...message.bcc],
    subject: message.subject,
    date: clock.now(),
    ...(message.text === undefined ? {} : { text: message.text }),
    ...(message.html === undefined ? {} : { html: message.html }),
  }
  return server.transport === 'pickup'
    ? writePickup(server, mail, options.projectDir, clock)
    : sendSmtp(server, mail, options)
}

type Mail = Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0]

async function sendSmtp(server: MailServerConfig, mail: Mail, options: SendMailOptions): Promise<MailResult> {
  const pass =
    server.password === undefined
      ? undefined
      : resolveSystemSecrets({ password: server.password }, options.env ?? process.env).password
  const ca = server.ca === undefined ? undefined : await readCa(server.ca, options.projectDir)
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    requireTLS: server.security === 'starttls',
    ignoreTLS: server.security === 'none',
    ...(server.user === undefined ? {} : { auth: { user: server.user, pass: pass ?? '' } }),
    ...(ca === undefined ? {} : { tls: { ca } }),
    connectionTimeout: server.timeout,
    greetingTimeout: server.timeout,
    socketTimeout: server.timeout,
  })
  try {
    const info = await transport.sendMail(mail)
    return { messageId: info.messageId }
  } catch (error) {
    throw smtpError(error, server, pass)
  } finally {
    transport.close()
  }
}

async function readCa(file: string, projectDir: string): Promise<Buffer> {
  try {
    return await readFile(path.resolve(projectDir, file))
  } catch (error) {
    throw eventError('EVT_MAIL_TLS_FAILED', `The MailServer's ca file ${file} cannot be read.`, {
      hint: 'Set `ca` to a PEM file in the project folder (relative to it).',
      cause: error,
    })
  }
}

/** TLS problems as Node reports them, under nodemailer's ESOCKET/ETLS: certificate checks and handshakes. */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_SSL|ERR_TLS|DEPTH_ZERO|HOSTNAME|ALTNAME/
const UNREACHABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'EDNS'])

/** nodemailer's error as an EVT_MAIL_ code; the password (should a server echo it) is blanked out. */
function smtpError(error: unknown, server: MailServerConfig, pass: string | undefined): ProvisioError {
  const e = (error ?? {}) as { code?: string; originalCode?: string; message?: string; response?: string }
  const where = `${server.host ?? '?'}:${server.port ?? '?'}`
  let text = (e.response ?? e.message ?? String(error)).replace(/\s+/g, ' ').trim()
  if (pass !== undefined && pass !== '') text = text.replaceAll(pass, '***')
  const original = e.originalCode ?? ''
  const details = { server: server.name, code: e.code, ...(original === '' ? {} : { originalCode: original }) }
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    return eventError(
      'EVT_MAIL_AUTH_FAILED',
      `SMTP server ${where} rejected the login of ${server.user ?? '(no user)'}: ${text}`,
      { details },
    )
  }
  if (
    e.code === 'ETLS' ||
    TLS_CODE.test(original) ||
    (e.code === 'ESOCKET' && TLS_CODE.test(text.toUpperCase().replace(/[ -]/g, '_')))
  ) {
    return eventError('EVT_MAIL_TLS_FAILED', `TLS with SMTP server ${where} failed: ${text}`, { details })
  }
  if (e.code !== undefined && (UNREACHABLE_CODES.has(e.code) || e.code === 'ESOCKET')) {
    return eventError('EVT_MAIL_UNREACHABLE', `SMTP server ${where} cannot be reached: ${text}`, { details })
  }
  return eventError('EVT_MAIL_REJECTED', `SMTP server ${where} refused the message: ${text}`, { details })
}

/** `20261201T100000123Z`: sortable, and safe in any file system. */
function fileStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '')
}

/**
 * The message as nodemailer would send it, written as `<timestamp>-<random>.eml`. Written under a
 * dot-name first and renamed, so that a pickup service never reads half a message.
 */
async function writePickup(
  server: MailServerConfig,
  mail: Mail,
  projectDir: string,
  clock: Clock,
): Promise<MailResult> {
  const folder = path.resolve(projectDir, server.directory ?? 'mail')
  const name = `${fileStamp(clock.now())}-${randomBytes(4).toString('hex')}.eml`
  const target = path.join(folder, name)
  const temporary = path.join(folder, `.${name}.tmp`)
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
  const info = await transport.sendMail(mail)
  try {
    await mkdir(folder, { recursive: true })
    await writeFile(temporary, info.message as Buffer)
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true })
    throw eventError(
      'EVT_MAIL_PICKUP_FAILED',
      `The message cannot be written to ${folder}: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  }
  return { messageId: info.messageId, file: path.relative(projectDir, target).replaceAll('\\', '/') }
}
