/**
 * The connections of an LDAP system: a small pool of bound ldapts clients, used side by side (each
 * client also carries several requests at once: LDAP answers by message id).
 *
 * A client is good for exactly one network connection. ldapts reconnects transparently when a
 * connection drops, but the new connection would be unbound and, with StartTLS, unencrypted; so
 * each client's socket factory refuses a second connection, the failed request surfaces as a lost
 * connection (retryable), and the pool replaces the client with a freshly connected and bound one.
 *
 * The whole pool is pinned to one URL at a time: every client connects to the current URL. When a
 * connection to it cannot be made, the next URLs are tried in order (failover), and the first that
 * answers becomes the pool's URL: clients still on the old one are retired (unbound once their
 * running requests end) and replaced on their next use. A pool that has no live connection left
 * starts again at the first URL. So requests that belong together — a USN watermark and the
 * search after it, a write and its read-back — never meet two domain controllers that have not
 * replicated yet.
 *
 * The bind password is kept in a private field, out of `config` (which is passed around and may be
 * logged), and is never sent over plain `ldap://` without StartTLS unless `allowPlainText` says so.
 */
import { readFile } from 'node:fs/promises'
import net from 'node:net'
import { isAbsolute, resolve } from 'node:path'
import tls from 'node:tls'
import { Client } from 'ldapts'
import { type Clock, type Logger, systemClock } from '../../core/index.ts'
import { ldapError } from './ldap-errors.ts'
import type { LdapConfig } from './ldap-schema.ts'
import { translateLdapError } from './translate-error.ts'

export interface LdapSessionOptions {
  readonly projectDir: string
  readonly logger: Logger
  /** The clock of OpenLDAP watermarks (ldap-watermark.ts). @default systemClock */
  readonly clock?: Clock | undefined
}

/** The system's configuration without the bind password (the session keeps that to itself). */
export type LdapSessionConfig = Omit<LdapConfig, 'password'>

/** A bound client and its state in the pool. */
interface Pooled {
  readonly client: Client
  readonly url: string
  /** The pool's pin (see {@link LdapSession}) the client was made under; a client of an older pin is retired. */
  pin: number
  /** Its one connection has closed (the server or the network): replaced before the next use. */
  closed: boolean
  /** Uses running on it; a retired client is unbound when the last one ends. */
  users: number
  retired: boolean
}

interface Slot {
  pooled: Pooled | undefined
  connecting: Promise<void> | undefined
  busy: number
}

/** Reads the CA file once; a missing or unreadable file is the administrator's to fix. */
async function tlsOptionsOf(config: LdapSessionConfig, projectDir: string): Promise<tls.ConnectionOptions> {
  const options: tls.ConnectionOptions = { rejectUnauthorized: config.tls.rejectUnauthorized }
  if (config.tls.servername !== undefined) options.servername = config.tls.servername
  if (config.tls.ca !== undefined) {
    const file = isAbsolute(config.tls.ca) ? config.tls.ca : resolve(projectDir, config.tls.ca)
    try {
      options.ca = await readFile(file)
    } catch (error) {
      throw ldapError('CON_LDAP_CA_FILE', `Cannot read the CA file ${file}: ${(error as Error).message}.`, {
        details: { file },
      })
    }
  }
  return options
}

/** The URL's host as ldapts reads it (an IPv6 address without its brackets). */
function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')
}

const isLdaps = (url: string) => url.toLowerCase().startsWith('ldaps:')

/**
 * The name the server's certificate is checked against: the configured servername, else the URL's
 * host. An IP address may not be sent as TLS servername (RFC 6066; Node warns), so it is given as
 * `host`, which Node checks the certificate's IP addresses against, also for StartTLS (where
 * ldapts passes no host of its own and Node would otherwise check against 'localhost').
 */
function peerNameOf(url: string, servername: string | undefined): tls.ConnectionOptions {
  if (servername !== undefined) return { servername }
  const host = hostOf(url)
  return net.isIP(host) === 0 ? { servername: host } : { host }
}

export class LdapSession {
  /** The configuration, without the password. */
  readonly config: LdapSessionConfig
  readonly #password: string
  private readonly slots: Slot[]
  /** Every client not yet unbound, pooled or retired. */
  private readonly open = new Set<Pooled>()
  private tls: tls.ConnectionOptions | undefined
  /** The index of the URL the pool is pinned to, and a counter that changes whenever it moves. */
  private urlIndex = 0
  private pin = 0
  private closed = false

  constructor(
    config: LdapConfig,
    private readonly options: LdapSessionOptions,
  ) {
    const { password, ...rest } = config
    this.config = rest
    this.#password = password
    this.slots = Array.from({ length: config.connections }, () => ({
      pooled: undefined,
      connecting: undefined,
      busy: 0,
    }))
  }

  /** The URLs, for messages (they carry no password). */
  get location(): string {
    return this.config.url.join(', ')
  }

  /** The URL the pool is pinned to: every client connects there (see the class comment). */
  get currentUrl(): string {
    return this.config.url[this.urlIndex]!
  }

  /** Now, by the session's clock. */
  now(): Date {
    return (this.options.clock ?? systemClock).now()
  }

  /**
   * Runs `work` on a bound client. Errors of ldapts, TLS or the network thrown by `work` are
   * translated into CON_LDAP_ errors (`action` names what was being done, `context.dn` the entry
   * it was done to); other errors are bugs (BUG_UNEXPECTED). A client whose connection broke is
   * replaced next time. Requests that must meet the same server run in one `use`.
   */
  async use<T>(action: string, work: (client: Client) => Promise<T>, context?: { dn?: string }): Promise<T> {
    if (this.closed) {
      throw ldapError('CON_LDAP_CLOSED', `${action} at ${this.location}: the connection was closed before.`)
    }
    const slot = this.slots.reduce((best, s) => (s.busy < best.busy ? s : best), this.slots[0]!)
    slot.busy++
    let pooled: Pooled | undefined
    try {
      pooled = await this.acquire(slot)
      try {
        return await work(pooled.client)
      } catch (error) {
        if (pooled.closed || !pooled.client.isConnected) this.drop(slot, pooled)
        throw translateLdapError(error, {
          action,
          location: pooled.url,
          flavour: this.config.flavour,
          dn: context?.dn,
        })
      }
    } finally {
      slot.busy--
      if (pooled !== undefined) this.release(pooled)
    }
  }

  /** The slot's client, connected and bound, of the pool's current pin; counted as in use. */
  private async acquire(slot: Slot): Promise<Pooled> {
    for (;;) {
      const pooled = slot.pooled
      if (pooled !== undefined) {
        if (!pooled.closed && pooled.pin === this.pin) {
          pooled.users++
          return pooled
        }
        // Broken since its last use, or made for a URL the pool has left: replace it.
        this.drop(slot, pooled)
      }
      slot.connecting ??= this.connect()
        .then((fresh) => {
          slot.pooled = fresh
        })
        .finally(() => {
          slot.connecting = undefined
        })
      await slot.connecting
    }
  }

  /** Takes `pooled` out of the slot; it is unbound once no use runs on it any more. */
  private drop(slot: Slot, pooled: Pooled): void {
    if (slot.pooled === pooled) slot.pooled = undefined
    pooled.retired = true
    if (pooled.users === 0) this.unbind(pooled)
  }

  private release(pooled: Pooled): void {
    pooled.users--
    if (pooled.retired && pooled.users === 0) this.unbind(pooled)
  }

  private unbind(pooled: Pooled): void {
    if (!this.open.delete(pooled)) return
    void pooled.client.unbind().catch(() => undefined)
  }

  /** Refuses, before any connection, to send the bind password unencrypted (unless `allowPlainText`). */
  private refusePlainText(): void {
    if (this.config.startTLS || this.config.allowPlainText) return
    const plain = this.config.url.filter((url) => !isLdaps(url))
    if (plain.length === 0) return
    throw ldapError(
      'CON_LDAP_ENCRYPTION_REQUIRED',
      `Cannot connect to ${plain.join(', ')}: an ldap:// URL without StartTLS would send the bind password unencrypted; nothing was sent.`,
      {
        hint: 'Use an ldaps:// URL (port 636), or `startTLS: true` with ldap:// (port 389). Only for a directory on the same machine or a test: `allowPlainText: true`.',
        details: { urls: plain },
      },
    )
  }

  /**
   * Connects and binds one client to the pool's URL. When that fails the next URLs are tried in
   * order, and the first that answers becomes the pool's URL (the other clients follow on their
   * next use); a pool without a live connection starts at the first URL. The last failure is thrown.
   */
  private async connect(): Promise<Pooled> {
    this.refusePlainText()
    this.tls ??= await tlsOptionsOf(this.config, this.options.projectDir)
    const urls = this.config.url
    const pin = this.pin
    const live = [...this.open].some((p) => !p.closed && !p.retired && p.pin === pin)
    const start = live ? this.urlIndex : 0
    let failure: unknown
    for (let step = 0; step < urls.length; step++) {
      const index = (start + step) % urls.length
      const url = urls[index]!
      let pooled: Pooled
      try {
        pooled = await this.connectTo(url)
      } catch (error) {
        failure = error
        this.options.logger.debug(`LDAP connection to ${url} failed: ${(error as Error).message}`)
        continue
      }
      if (this.pin !== pin && index !== this.urlIndex) {
        // Another connection moved the pool while this one was made: follow it.
        void pooled.client.unbind().catch(() => undefined)
        return this.connect()
      }
      if (index !== this.urlIndex) {
        this.options.logger.warn(`LDAP connections move from ${urls[this.urlIndex]} to ${url}.`)
        this.urlIndex = index
        this.pin++
      }
      pooled.pin = this.pin
      if (this.closed) {
        void pooled.client.unbind().catch(() => undefined)
        throw ldapError('CON_LDAP_CLOSED', `Connecting to ${url}: the connection was closed meanwhile.`)
      }
      this.open.add(pooled)
      return pooled
    }
    throw failure
  }

  private async connectTo(url: string): Promise<Pooled> {
    const secure = isLdaps(url)
    const tlsOptions: tls.ConnectionOptions = { ...this.tls, ...peerNameOf(url, this.tls?.servername) }
    let handshaken = false
    let connections = 0
    const once = () => {
      if (++connections > 1) throw new Error('Connection closed: the pool replaces this client.')
    }
    // ldapts does not notice when the TLS layer a StartTLS put on top of the connection closes: its
    // next request would wait for the timeout. Watching every socket it gets tells the pool at once.
    let pooled: Pooled | undefined
    let closedEarly = false
    const watch = <S extends net.Socket>(socket: S): S => {
      socket.once('close', () => {
        if (pooled === undefined) closedEarly = true
        else pooled.closed = true
      })
      return socket
    }
    const client = new Client({
      url,
      timeout: this.config.timeout,
      connectTimeout: this.config.connectTimeout,
      strictDN: false,
      // ldapts turns TLS on for any URL that has tlsOptions: give them to ldaps:// only.
      ...(secure ? { tlsOptions } : {}),
      createConnection: ((...args: Parameters<typeof net.connect>) => {
        once()
        return watch(net.connect(...args))
      }) as typeof net.connect,
      createSecureConnection: ((...args: Parameters<typeof tls.connect>) => {
        // ldapts also calls this to upgrade with StartTLS, on the connection already counted.
        if (secure) once()
        const socket = watch(tls.connect(...args))
        socket.once('secureConnect', () => (handshaken = true))
        return socket
      }) as typeof tls.connect,
    })
    try {
      if (this.config.startTLS) await client.startTLS(tlsOptions)
      await client.bind(this.config.bindDN, this.#password)
      pooled = { client, url, pin: this.pin, closed: closedEarly, users: 0, retired: false }
      return pooled
    } catch (error) {
      await client.unbind().catch(() => undefined)
      throw translateLdapError(error, {
        action: `Cannot connect to ${url} as ${this.config.bindDN}`,
        location: url,
        flavour: this.config.flavour,
        connecting: true,
        tlsPending: (secure || this.config.startTLS) && !handshaken,
      })
    }
  }

  async close(): Promise<void> {
    this.closed = true
    // Connections being made finish first, so that they are unbound too.
    await Promise.all(this.slots.map((slot) => slot.connecting?.catch(() => undefined) ?? Promise.resolve()))
    for (const slot of this.slots) slot.pooled = undefined
    await Promise.all([...this.open].map((pooled) => pooled.client.unbind().catch(() => undefined)))
    this.open.clear()
  }
}
