/**
 * The server's certificate (docs/server.md#tls): files given with --cert/--key (or PROVISIO_TLS_CERT
 * and PROVISIO_TLS_KEY), else a self-signed one made on the first start for this machine's names,
 * kept in `<project>/.provisio/tls/` (the key readable by the owner only) and reused afterwards, so
 * that the fingerprint a user trusted stays the same.
 */
import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generate } from 'selfsigned'
import { makeDirectoryDurably, writeFileDurably } from '../core/index.ts'
import { DATA_FOLDER } from '../vault/index.ts'
import { serverError } from './errors.ts'

export interface TlsMaterial {
  readonly cert: string
  readonly key: string
  /** The certificate's SHA-256 fingerprint, `AB:CD:…`, to compare with what a browser shows. */
  readonly fingerprint: string
  /** Where it came from: files given, a self-signed one made now, or one made at an earlier start. */
  readonly source: 'files' | 'generated' | 'stored'
  /** The certificate file, for clients that should trust it (NODE_EXTRA_CA_CERTS, curl --cacert). */
  readonly certFile: string
}

export interface ServeTlsOptions {
  readonly projectDir: string
  readonly certFile?: string | undefined
  readonly keyFile?: string | undefined
  /** @default os.hostname() */
  readonly hostName?: string | undefined
  /** @default the system clock's now */
  readonly now?: Date | undefined
}

/** How long a generated certificate is valid. */
const SELF_SIGNED_DAYS = 825

function fingerprintOf(cert: string, file: string): string {
  try {
    return new X509Certificate(cert).fingerprint256
  } catch (error) {
    throw serverError('SRV_TLS_FILES', `${file} is not a PEM certificate.`, { cause: error })
  }
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw serverError('SRV_TLS_FILES', `The TLS ${what} ${file} cannot be read.`, {
      cause: error,
      details: { file },
    })
  }
}

/** The folder a self-signed certificate is kept in. */
export function tlsFolder(projectDir: string): string {
  return path.join(projectDir, DATA_FOLDER, 'tls')
}

export async function serveTls(options: ServeTlsOptions): Promise<TlsMaterial> {
  const { certFile, keyFile } = options
  if (certFile !== undefined || keyFile !== undefined) {
    if (certFile === undefined || keyFile === undefined)
      throw serverError('SRV_TLS_FILES', `Only the ${certFile === undefined ? 'key' : 'certificate'} was given.`)
    const cert = readPem(certFile, 'certificate')
    const key = readPem(keyFile, 'key')
    return { cert, key, fingerprint: fingerprintOf(cert, certFile), source: 'files', certFile }
  }
  const folder = tlsFolder(options.projectDir)
  const storedCert = path.join(folder, 'cert.pem')
  const storedKey = path.join(folder, 'key.pem')
  if (existsSync(storedCert) && existsSync(storedKey)) {
    const cert = readPem(storedCert, 'certificate')
    return {
      cert,
      key: readPem(storedKey, 'key'),
      fingerprint: fingerprintOf(cert, storedCert),
      source: 'stored',
      certFile: storedCert,
    }
  }
  const host = options.hostName ?? os.hostname()
  const now = options.now ?? new Date()
  const names = [...new Set(['localhost', host])]
  const made = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + SELF_SIGNED_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...names.map((value) => ({ type: 2 as const, value })),
          { type: 7 as const, ip: '127.0.0.1' },
          { type: 7 as const, ip: '::1' },
        ],
      },
    ],
  })
  await makeDirectoryDurably(folder, { mode: 0o700 })
  // Durably, key first: a power loss must not leave an empty key beside a certificate (a start
  // that finds both reuses them), nor a fingerprint users trusted replaced by a partial file.
  await writeFileDurably(storedKey, made.private, { mode: 0o600 })
  await writeFileDurably(storedCert, made.cert, { mode: 0o644 })
  return {
    cert: made.cert,
    key: made.private,
    fingerprint: fingerprintOf(made.cert, storedCert),
    source: 'generated',
    certFile: storedCert,
  }
}
