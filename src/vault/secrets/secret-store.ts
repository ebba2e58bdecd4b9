/**
 * The secret store (migration 8): values encrypted at rest (secret-cipher.ts), read only to open a
 * connection. Listing gives names and metadata, never values. Callers write the admin audit; nothing
 * here ever logs or returns a value except {@link readSecrets}.
 */
import type { SqlDriver, SqlExecutor } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import { type SealedSecret, type SecretKey, openSecret, sealSecret } from './secret-cipher.ts'

/** What is shown of a secret: everything but its value. */
export interface SecretRecord {
  readonly name: string
  readonly createdAt: string
  readonly updatedAt: string
  /** The user who set it last, or `cli`. */
  readonly updatedBy: string
  /** The id of the key it is encrypted with. */
  readonly keyId: string
}

/** The names `${secret:NAME}` accepts (core's secret-ref.ts). */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,199}$/

/** Throws VLT_SECRET_NAME_INVALID unless `name` can be written as `${secret:NAME}`. */
export function requireSecretName(name: string): string {
  if (!NAME.test(name)) {
    throw vaultError('VLT_SECRET_NAME_INVALID', `'${name.slice(0, 80)}' is not a valid secret name.`)
  }
  return name
}

const METADATA = 'SELECT name, created_at, updated_at, updated_by, key_id FROM secrets'

function toRecord(r: Record<string, unknown>): SecretRecord {
  return {
    name: String(r['name']),
    createdAt: String(r['created_at']),
    updatedAt: String(r['updated_at']),
    updatedBy: String(r['updated_by']),
    keyId: String(r['key_id']),
  }
}

function toSealed(r: Record<string, unknown>): SealedSecret {
  return {
    ciphertext: String(r['ciphertext']),
    nonce: String(r['nonce']),
    authTag: String(r['auth_tag']),
    keyId: String(r['key_id']),
  }
}

export interface SetSecretOptions {
  readonly name: string
  readonly value: string
  /** Who sets it: a user's name or `cli`. */
  readonly actor: string
  /** ISO time. */
  readonly at: string
}

/**
 * Encrypts and stores a secret, replacing any value of that name; returns its metadata. Refused with
 * VLT_SECRET_WRONG_KEY when another secret of the store is encrypted with another key: one store has
 * one key, or a later rotation (which needs the key of every secret) and every reader would fail on
 * the odd ones out. That happens when the key changed without a rotation (another
 * PROVISIO_SECRET_KEY, a lost key file replaced by a new one).
 */
export async function setSecret(db: SqlExecutor, key: SecretKey, options: SetSecretOptions): Promise<SecretRecord> {
  const name = requireSecretName(options.name)
  if (options.value === '') throw vaultError('VLT_SECRET_EMPTY', `The value given for secret ${name} is empty.`)
  const [other] = await db.query('SELECT name, key_id FROM secrets WHERE name <> ? AND key_id <> ? LIMIT 1', [
    name,
    key.id,
  ])
  if (other !== undefined) {
    const keyId = String(other['key_id'])
    throw vaultError(
      'VLT_SECRET_WRONG_KEY',
      `Secret ${String(other['name'])} was encrypted with key ${keyId}, the current key is ${key.id}: secret ${name} is not stored with another key.`,
      { details: { secret: name, keyId, currentKeyId: key.id } },
    )
  }
  const sealed = sealSecret(key, name, options.value)
  await db.run(
    `INSERT INTO secrets (name, ciphertext, nonce, auth_tag, key_id, created_at, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext, nonce = excluded.nonce,
       auth_tag = excluded.auth_tag, key_id = excluded.key_id, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
    [name, sealed.ciphertext, sealed.nonce, sealed.authTag, sealed.keyId, options.at, options.at, options.actor],
  )
  const rows = await db.query(`${METADATA} WHERE name = ?`, [name])
  return toRecord(rows[0]!)
}

/** Every secret's metadata, by name. */
export async function listSecrets(db: SqlExecutor): Promise<SecretRecord[]> {
  return (await db.query(`${METADATA} ORDER BY name`)).map(toRecord)
}

/** Removes a secret; VLT_UNKNOWN_SECRET when there is none of that name. */
export async function removeSecret(db: SqlExecutor, name: string): Promise<void> {
  const removed = await db.run('DELETE FROM secrets WHERE name = ?', [requireSecretName(name)])
  if (removed === 0) throw unknownSecret(name)
}

export function unknownSecret(name: string) {
  return vaultError('VLT_UNKNOWN_SECRET', `The secret store has no secret ${name}.`, {
    hint: `Set it with: provisio secrets set ${name}`,
    details: { secret: name },
  })
}

/**
 * The values of the secrets `names` that are stored; names not stored are absent from the map.
 * `key` is asked for only when there is something to decrypt, so a project without secrets needs
 * no key; it is told the id of the key the secrets were encrypted with and one of them to name
 * (loadSecretKey's `keyId` and `secret`).
 */
export async function readSecrets(
  db: SqlExecutor,
  key: (keyId: string, secret: string) => SecretKey,
  names: readonly string[],
): Promise<Map<string, string>> {
  const values = new Map<string, string>()
  const wanted = [...new Set(names)].filter((n) => NAME.test(n))
  if (wanted.length === 0) return values
  const rows = await db.query(
    `SELECT name, ciphertext, nonce, auth_tag, key_id FROM secrets WHERE name IN (${wanted.map(() => '?').join(', ')})`,
    wanted,
  )
  if (rows.length === 0) return values
  const current = key(String(rows[0]!['key_id']), String(rows[0]!['name']))
  for (const row of rows) values.set(String(row['name']), openSecret(current, String(row['name']), toSealed(row)))
  return values
}

/**
 * Re-encrypts every secret from key `from` to key `to`, in one transaction: either all secrets move
 * to the new key or none does. A secret that `from` cannot open stops the rotation.
 */
export async function rotateSecretKey(
  driver: SqlDriver,
  from: SecretKey,
  to: SecretKey,
  /** Runs in the same transaction once every secret is re-encrypted: the admin audit record. */
  after?: (tx: SqlExecutor, count: number) => Promise<void>,
): Promise<number> {
  return driver.transaction(async (tx) => {
    const rows = await tx.query('SELECT name, ciphertext, nonce, auth_tag, key_id FROM secrets ORDER BY name')
    for (const row of rows) {
      const name = String(row['name'])
      const sealed = sealSecret(to, name, openSecret(from, name, toSealed(row)))
      await tx.run('UPDATE secrets SET ciphertext = ?, nonce = ?, auth_tag = ?, key_id = ? WHERE name = ?', [
        sealed.ciphertext,
        sealed.nonce,
        sealed.authTag,
        sealed.keyId,
        name,
      ])
    }
    await after?.(tx, rows.length)
    return rows.length
  })
}
