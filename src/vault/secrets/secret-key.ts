/**
 * Where the key of the secret store comes from, first match wins: PROVISIO_SECRET_KEY (the key as
 * base64 or hex), PROVISIO_SECRET_KEY_FILE (a file holding it), else the project's key file
 * `.provisio/secret.key`, made on the first `secrets set` with mode 0600. A key file that group or
 * others can read is refused: anyone who can read it can read every secret.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DATA_FOLDER } from '../open-vault.ts'
import { vaultError } from '../errors.ts'
import { type SecretKey, generateSecretKey, parseSecretKey } from './secret-cipher.ts'

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

/**
 * The current key. With `create`, a project without any key gets a new key file (the first
 * `secrets set`); without it, a missing key is VLT_SECRET_KEY_MISSING.
 */
export function loadSecretKey(options: SecretKeyOptions & { readonly create?: boolean }): SecretKey {
  const env = options.env ?? process.env
  const inline = env['PROVISIO_SECRET_KEY']
  if (inline !== undefined && inline !== '') return parseSecretKey(inline, 'PROVISIO_SECRET_KEY')
  const file = env['PROVISIO_SECRET_KEY_FILE']
  if (file !== undefined && file !== '') return readKeyFile(path.resolve(options.projectDir, file))
  const projectFile = defaultKeyFile(options.projectDir)
  if (existsSync(projectFile) || options.create !== true) {
    if (!existsSync(projectFile)) {
      throw vaultError(
        'VLT_SECRET_KEY_MISSING',
        `No secret key: PROVISIO_SECRET_KEY and PROVISIO_SECRET_KEY_FILE are not set and ${projectFile} does not exist.`,
      )
    }
    return readKeyFile(projectFile)
  }
  return writeKeyFile(projectFile)
}

/** Writes a new random key to `file` (mode 0600, never over an existing file). */
export function writeKeyFile(file: string): SecretKey {
  const { key, text } = generateSecretKey()
  mkdirSync(path.dirname(file), { recursive: true })
  // `wx`: two processes making the first key at once must not overwrite each other's.
  writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600) // the umask may have narrowed the mode, never widened it; this pins it
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
  const pending = `${projectFile}.new`
  if (existsSync(pending)) renameSync(pending, `${pending}.${Date.now()}`) // a failed rotation's leftover
  const key = writeKeyFile(pending)
  return {
    key,
    commit: () => renameSync(pending, projectFile),
    abandon: () => rmSync(pending, { force: true }), // rolled back: nothing was sealed with it
    instruction: `The new key replaced ${projectFile}; back it up (the old key no longer opens anything).`,
  }
}
