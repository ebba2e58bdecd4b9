/**
 * Where the key of the secret store comes from, first match wins: PROVISIO_SECRET_KEY (the key as
 * base64 or hex), PROVISIO_SECRET_KEY_FILE (a file holding it), else the project's key file
 * `.provisio/secret.key`, made on the first `secrets set` with mode 0600. A key file that group or
 * others can read is refused: anyone who can read it can read every secret.
 *
 * A rotation to a new project key file writes `secret.key.new`, commits the re-encrypted secrets,
 * then renames it over `secret.key`. Interrupted between the two, the next load that knows the key
 * id the secrets need finishes the rename (see {@link loadSecretKey}'s `keyId`).
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { isProvisioError, makeDirectoryDurablySync, renameDurablySync, writeFileDurablySync } from '../../core/index.ts'
import { DATA_FOLDER } from '../open-vault.ts'
import { vaultError } from '../errors.ts'
import type { SqlExecutor } from '../driver/sql-driver.ts'
import { type SecretKey, generateSecretKey, parseSecretKey } from './secret-cipher.ts'
import { listSecrets } from './secret-store.ts'

export interface SecretKeyOptions {
  /** The project folder, whose `.provisio/secret.key` is the default key file. */
  readonly projectDir: string
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
}

/** The project's own key file, used when neither variable is set. */
export function defaultKeyFile(projectDir: string): string {
  return path.join(projectDir, DATA_FOLDER, 'secret.key')
}

/** Reads a key file, refusing one that group or others may read. */
export function readKeyFile(file: string): SecretKey {
  if (!existsSync(file)) {
    throw vaultError('VLT_SECRET_KEY_MISSING', `The secret key file ${file} does not exist.`)
  }
  // POSIX permissions only: Windows has no group/other mode bits to check.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw vaultError('VLT_SECRET_KEY_EXPOSED', `The secret key file ${file} can be read by group or others.`, {
      hint: `Restrict it to its owner: chmod 600 ${file}`,
    })
  }
  return parseSecretKey(readFileSync(file, 'utf8'), `The key file ${file}`)
}

export interface LoadSecretKeyOptions extends SecretKeyOptions {
  /**
   * Make a new key file when the project has no key at all (the first `secrets set` into an empty
   * store). @default false: a missing key is VLT_SECRET_KEY_MISSING
   */
  readonly create?: boolean | undefined
  /**
   * The id of the key the stored secrets were encrypted with, when there are any. A key of another
   * id is refused with VLT_SECRET_WRONG_KEY, with a hint naming where the key came from; with the
   * project key file, a `secret.key.new` of that id (a rotation interrupted after its commit) first
   * replaces `secret.key`. @default not checked
   */
  readonly keyId?: string | undefined
  /** A secret encrypted with `keyId`, named in the wrong-key error. @default the stored secrets */
  readonly secret?: string | undefined
  /** Told, in one line naming files and key ids only, when an interrupted rotation was completed. */
  readonly onNotice?: ((message: string) => void) | undefined
}

/**
 * The current key, checked against `options.keyId` when given. With `create`, a project without any
 * key gets a new key file (the first `secrets set`); without it, a missing key is
 * VLT_SECRET_KEY_MISSING.
 */
export function loadSecretKey(options: LoadSecretKeyOptions): SecretKey {
  const env = options.env ?? process.env
  const { keyId, secret } = options
  const inline = env['PROVISIO_SECRET_KEY']
  if (inline !== undefined && inline !== '') {
    const key = parseSecretKey(inline, 'PROVISIO_SECRET_KEY')
    if (keyId === undefined || key.id === keyId) return key
    throw wrongKey({ keyId, secret }, key.id, 'It comes from PROVISIO_SECRET_KEY.', {
      hint: `Set PROVISIO_SECRET_KEY to the key with id ${keyId} (the one the secrets were written with, or a rotation's new key): the environment gives another key.`,
    })
  }
  const file = env['PROVISIO_SECRET_KEY_FILE']
  if (file !== undefined && file !== '') {
    const resolved = path.resolve(options.projectDir, file)
    const key = readKeyFile(resolved)
    if (keyId === undefined || key.id === keyId) return key
    throw wrongKey({ keyId, secret }, key.id, `It comes from ${resolved} (PROVISIO_SECRET_KEY_FILE).`, {
      hint: `Point PROVISIO_SECRET_KEY_FILE at the file of the key with id ${keyId} (the one the secrets were written with, or a rotation's new key): the environment gives another key.`,
    })
  }
  const projectFile = defaultKeyFile(options.projectDir)
  if (keyId !== undefined) return projectKeyFor(projectFile, { keyId, secret }, options.onNotice)
  if (existsSync(projectFile) || options.create !== true) {
    if (!existsSync(projectFile)) throw missingKey(projectFile)
    return readKeyFile(projectFile)
  }
  return writeKeyFile(projectFile)
}

function missingKey(projectFile: string, hint?: string): Error {
  return vaultError(
    'VLT_SECRET_KEY_MISSING',
    `No secret key: PROVISIO_SECRET_KEY and PROVISIO_SECRET_KEY_FILE are not set and ${projectFile} does not exist.`,
    hint === undefined ? undefined : { hint },
  )
}

/** The key the stored secrets need, and one of them to name. */
interface Needed {
  readonly keyId: string
  readonly secret: string | undefined
}

/** VLT_SECRET_WRONG_KEY, worded as openSecret words it, then where the current key came from. */
function wrongKey(needed: Needed, currentKeyId: string, source: string, options: { hint: string }): Error {
  const subject = needed.secret === undefined ? 'The stored secrets were' : `Secret ${needed.secret} was`
  return vaultError(
    'VLT_SECRET_WRONG_KEY',
    `${subject} encrypted with key ${needed.keyId}, the current key is ${currentKeyId}. ${source}`,
    { hint: options.hint, details: { secret: needed.secret, keyId: needed.keyId, currentKeyId } },
  )
}

/**
 * The project key file's key when it has the id the secrets need. Otherwise a rotation may have been
 * interrupted between its commit and the rename of `secret.key.new` over `secret.key` (the secrets
 * are under the new key, the file still holds the old one): when `secret.key.new` holds the key
 * needed, the rename is done now, durably, and the rotation is complete.
 */
function projectKeyFor(projectFile: string, needed: Needed, onNotice?: (message: string) => void): SecretKey {
  const { keyId } = needed
  const current = existsSync(projectFile) ? readKeyFile(projectFile) : undefined
  if (current?.id === keyId) return current
  const source = `It comes from ${projectFile}.`
  const pending = pendingKeyFile(projectFile)
  if (!existsSync(pending)) {
    if (current === undefined) throw missingKey(projectFile)
    throw wrongKey(needed, current.id, source, {
      hint: `Restore the key file of the key with id ${keyId} from your backup (\`provisio secrets list\` shows the key id of each secret).`,
    })
  }
  let leftover: SecretKey | undefined
  try {
    leftover = readKeyFile(pending) // refused when group or others may read it, as the key file is
  } catch (error) {
    if (!isProvisioError(error) || error.code !== 'VLT_SECRET_KEY_INVALID') throw error
  }
  if (leftover?.id === keyId) {
    renameDurablySync(pending, projectFile)
    onNotice?.(
      `Completed an interrupted key rotation: ${pending} (key ${keyId}) replaced ${projectFile}. Back up the new key file.`,
    )
    return leftover
  }
  const holds = leftover === undefined ? 'is not a valid key' : `holds key ${leftover.id}`
  const hint = `${pending}, left by an interrupted \`provisio secrets rotate-key\`, ${holds}, not ${keyId}: check whether a backup of the key with id ${keyId} exists and put it in ${projectFile}; remove ${pending} once the secrets open.`
  if (current === undefined) throw missingKey(projectFile, hint)
  throw wrongKey(needed, current.id, source, { hint })
}

/** Where a rotation to a new project key file keeps the new key until the re-encryption committed. */
export function pendingKeyFile(projectFile: string): string {
  return `${projectFile}.new`
}

/** Writes a new random key to `file` (mode 0600, never over an existing file), durably. */
export function writeKeyFile(file: string): SecretKey {
  const { key, text } = generateSecretKey()
  makeDirectoryDurablySync(path.dirname(file)) // a new .provisio folder survives a power loss too
  // Exclusive: two processes making the first key at once must not overwrite each other's. Flushed
  // before anything is encrypted with it: a rotation commits its secrets under this key next.
  writeFileDurablySync(file, `${text}\n`, { mode: 0o600, exclusive: true })
  return key
}

/** Where a rotation's new key comes from, and what to do with it once the store is re-encrypted. */
export interface NewSecretKey {
  readonly key: SecretKey
  /** Puts the new key in place after the re-encryption committed (replaces the project key file). */
  commit(): void
  /** Drops a key made for the rotation when it failed. */
  abandon(): void
  /** What the user must do next, for the command's output. */
  readonly instruction: string
}

/**
 * The key to rotate to: PROVISIO_NEW_SECRET_KEY, PROVISIO_NEW_SECRET_KEY_FILE, or, when the current
 * key is the project's key file, a new random key that replaces that file.
 */
export function newSecretKey(options: SecretKeyOptions): NewSecretKey {
  const env = options.env ?? process.env
  const nothing = () => undefined
  const inline = env['PROVISIO_NEW_SECRET_KEY']
  if (inline !== undefined && inline !== '') {
    return {
      key: parseSecretKey(inline, 'PROVISIO_NEW_SECRET_KEY'),
      commit: nothing,
      abandon: nothing,
      instruction: 'From now on set PROVISIO_SECRET_KEY to the value of PROVISIO_NEW_SECRET_KEY.',
    }
  }
  const file = env['PROVISIO_NEW_SECRET_KEY_FILE']
  if (file !== undefined && file !== '') {
    const resolved = path.resolve(options.projectDir, file)
    return {
      key: readKeyFile(resolved),
      commit: nothing,
      abandon: nothing,
      instruction: `From now on set PROVISIO_SECRET_KEY_FILE=${resolved}.`,
    }
  }
  const usesProjectFile = (env['PROVISIO_SECRET_KEY'] ?? '') === '' && (env['PROVISIO_SECRET_KEY_FILE'] ?? '') === ''
  if (!usesProjectFile) {
    throw vaultError(
      'VLT_SECRET_KEY_MISSING',
      'No new secret key: set PROVISIO_NEW_SECRET_KEY or PROVISIO_NEW_SECRET_KEY_FILE.',
      {
        hint: 'Make one with `openssl rand -base64 32`; the current key comes from the environment, so the new one must too.',
      },
    )
  }
  const projectFile = defaultKeyFile(options.projectDir)
  const pending = pendingKeyFile(projectFile)
  if (existsSync(pending)) renameSync(pending, `${pending}.${Date.now()}`) // a failed rotation's leftover
  const key = writeKeyFile(pending)
  return {
    key,
    // Durable: once the secrets are committed under the new key, the old key file must not come back.
    commit: () => renameDurablySync(pending, projectFile),
    abandon: () => rmSync(pending, { force: true }), // rolled back: nothing was sealed with it
    instruction: `The new key replaced ${projectFile}; back it up (the old key no longer opens anything).`,
  }
}

/**
 * The key of the secret store in `db`: the key its stored secrets were encrypted with (an interrupted
 * rotation completed on the way, see {@link loadSecretKey}), or, with `create`, a new key file when
 * the store is empty. What `secrets set`, `rotate-key` and PUT /api/secrets start from.
 */
export async function loadStoreKey(
  db: SqlExecutor,
  options: Omit<LoadSecretKeyOptions, 'keyId' | 'secret'>,
): Promise<SecretKey> {
  const [stored] = await listSecrets(db)
  return loadSecretKey({ ...options, create: options.create === true && stored === undefined, keyId: stored?.keyId })
}
