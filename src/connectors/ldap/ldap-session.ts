/**
 * The connections of an LDAP system: a small pool of bound ldapts clients, used side by side (each
 * client also carries several requests at once: LDAP answers by message id).
 *
 * A client is good for exactly one network connection. ldapts reconnects transparently when a
 * connection drops, but the new connection would be unbound and, with StartTLS, unencrypted; so
 * each client's socket factory refuses a second connection, the failed request surfaces as a lost
 * connection (retryable), and the pool replaces the client with a freshly connected and bound one.
 * URLs are tried in order (failover) when a connection is made.
 */
import { readFile } from 'node:fs/promises'
import net from 'node:net'
import { isAbsolute, resolve } from 'node:path'
import tls from 'node:tls'
import { Client } from 'ldapts'
import type { Logger } from '../../core/index.ts'
import { ldapError } from './ldap-errors.ts'
import type { LdapConfig } from './ldap-schema.ts'
import { translateLdapError } from './translate-error.ts'

export interface LdapSessionOptions {
  readonly projectDir: string
  readonly logger: Logger
}

/** A client and whether its one connection has closed (then the pool replaces it before the next use). */
interface Pooled {
  readonly client: Client
  closed: boolean
}

interface Slot {
  client: Promise<Pooled> | undefined
  busy: number
}

/** Reads the CA file once; a missing or unreadable file is the administrator's to fix. */
async function tlsOptionsOf(config: LdapConfig, projectDir: string): Promise<tls.ConnectionOptions> {
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

/** Host and port as ldapts reads them, for messages and the servername default. */
function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')
}

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
  private readonly slots: Slot[]
  private tls: tls.ConnectionOptions | undefined
  private closed = false

  constructor(
    readonly config: LdapConfig,
    private readonly options: LdapSessionOptions,
  ) {
    this.slots = Array.from({ length: config.connections }, () => ({ client: undefined, busy: 0 }))
  }

  /** The URLs, for messages (they carry no password). */
  get location(): string {
    return this.config.url.join(', ')
  }

  /**
   * Runs `work` on a bound client. Errors thrown by `work` are translated into CON_LDAP_ errors
   * (`action` names what was being done); a client whose connection broke is replaced next time.
   */
  async use<T>(action: string, work: (client: Client) => Promise<T>): Promise<T> {
    if (this.closed) {
      throw ldapError('CON_LDAP_CLOSED', `${action} at ${this.location}: the connection was closed before.`)
    }
    const slot = this.slots.reduce((best, s) => (s.busy < best.busy ? s : best), this.slots[0]!)
    slot.busy++
    try {
      let pooled: Pooled
      try {
        slot.client ??= this.connect()
        pooled = await slot.client
        if (pooled.closed) {
          // The server or the network closed it since the last use: connect and bind afresh.
          void pooled.client.unbind().catch(() => undefined)
          slot.client = this.connect()
          pooled = await slot.client
        }
      } catch (error) {
        slot.client = undefined
        throw error
      }
      const { client } = pooled
      try {
        return await work(client)
      } catch (error) {
        if (pooled.closed || !client.isConnected) {
          if (slot.client !== undefined && (await slot.client.catch(() => undefined)) === pooled)
            slot.client = undefined
          void client.unbind().catch(() => undefined)
        }
        throw translateLdapError(error, { action, location: this.location, flavour: this.config.flavour })
      }
    } finally {
      slot.busy--
    }
  }

  /** Connects and binds one client, trying the URLs in order; the last failure is thrown, translated. */
  private async connect(): Promise<Pooled> {
    this.tls ??= await tlsOptionsOf(this.config, this.options.projectDir)
    let failure: unknown
    for (const url of this.config.url) {
      try {
        return await this.connectTo(url)
      } catch (error) {
        failure = error
        this.options.logger.debug(`LDAP connection to ${url} failed: ${(error as Error).message}`)
      }
    }
    throw failure
  }

  private async connectTo(url: string): Promise<Pooled> {
    const secure = url.toLowerCase().startsWith('ldaps:')
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
      await client.bind(this.config.bindDN, this.config.password)
      pooled = { client, closed: closedEarly }
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
    await Promise.all(
      this.slots.map(async (slot) => {
        const pending = slot.client
        slot.client = undefined
        if (pending === undefined) return
        const pooled = await pending.catch(() => undefined)
        await pooled?.client.unbind().catch(() => undefined)
      }),
    )
  }
}
