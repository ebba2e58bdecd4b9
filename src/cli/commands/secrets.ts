/**
 * `provisio secrets`: the vault's encrypted secret store (docs/secrets.md), the values behind
 * `${secret:NAME}` references. A value is read from stdin, a hidden prompt or an environment
 * variable, never from an argument (arguments show up in `ps` and shell history), and is never
 * printed. Changes are recorded in the admin audit with actor `cli`.
 */
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import type { Command } from 'commander'
import { systemClock } from '../../core/index.ts'
import {
  appendAdminAudit,
  listSecrets,
  loadStoreKey,
  newSecretKey,
  removeSecret,
  requireSecretName,
  rotateSecretKey,
  setSecret,
  vaultError,
} from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { formatTable } from '../output.ts'

/** Who the admin audit names for changes made here. */
const ACTOR = 'cli'

/** Everything on stdin without one trailing line ending: `printf %s "$V" | …` and `echo "$V" | …` give the same value. */
async function valueFromStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += String(chunk)
  return text.replace(/\r?\n$/, '')
}

/** Asks for the value on the terminal without echoing it; Ctrl-C cancels, Ctrl-D gives an empty value. */
async function valueFromPrompt(name: string): Promise<string> {
  process.stderr.write(`Value of secret ${name} (not shown): `)
  // The terminal is in raw mode while readline reads, so nothing echoes; its own output is discarded.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() })
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true })
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.question('', resolve)
      rl.on('close', () => resolve(''))
      rl.on('SIGINT', () => reject(vaultError('VLT_SECRET_EMPTY', `Setting secret ${name} was cancelled.`)))
    })
  } finally {
    rl.close()
    process.stderr.write('\n')
  }
}

async function readValue(name: string, fromEnv: string | undefined): Promise<string> {
  if (fromEnv !== undefined) {
    const value = process.env[fromEnv]
    if (value === undefined)
      throw vaultError('VLT_SECRET_EMPTY', `The environment variable ${fromEnv} (--from-env) is not set.`)
    return value
  }
  return process.stdin.isTTY ? valueFromPrompt(name) : valueFromStdin()
}

export function registerSecrets(program: Command): void {
  const secrets = program
    .command('secrets')
    .description('Manage the encrypted secret store: the values of ${secret:NAME} references.')
    .addHelpText(
      'after',
      `
Values are encrypted with AES-256-GCM under the key in PROVISIO_SECRET_KEY, the file named by
PROVISIO_SECRET_KEY_FILE, or the project's .provisio/secret.key (made on the first set, mode 0600).
Back the key up: without it the secrets cannot be read (docs/secrets.md).

Examples:
  $ printf '%s' "$LDAP_PASSWORD" | provisio secrets set ldap-password
  $ provisio secrets set ldap-password --from-env LDAP_PASSWORD
  $ provisio secrets list --json
  $ provisio secrets remove ldap-password
  $ PROVISIO_NEW_SECRET_KEY="$(openssl rand -base64 32)" provisio secrets rotate-key`,
    )

  secrets
    .command('set <name>')
    .description('Store a secret, read from stdin (or a hidden prompt on a terminal); replaces any earlier value.')
    .option('--from-env <var>', 'take the value from this environment variable instead')
    .action(async (name: string, options: { fromEnv?: string }, command: Command) => {
      const ctx = contextOf(command)
      requireSecretName(name)
      const value = await readValue(name, options.fromEnv)
      const db = await ctx.vault()
      // A new key file only for an empty store: a new key cannot open the secrets already stored.
      const key = await loadStoreKey(db, {
        projectDir: ctx.projectDir,
        create: true,
        onNotice: (message) => ctx.out.note(message),
      })
      const at = systemClock.now().toISOString()
      const record = await db.transaction(async (tx) => {
        const stored = await setSecret(tx, key, { name, value, actor: ACTOR, at })
        await appendAdminAudit(tx, {
          at,
          actor: ACTOR,
          action: 'secret.set',
          subject: name,
          details: { keyId: key.id },
        })
        return stored
      })
      ctx.out.result(record, (r) => `Secret ${r.name} stored (key ${r.keyId}).`)
    })

  secrets
    .command('list')
    .description('List the stored secrets: names, when and by whom they were set, and their key id (never values).')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const list = await listSecrets(await ctx.vault())
      ctx.out.result(list, (rows) =>
        rows.length === 0
          ? 'No secrets yet: store one with `provisio secrets set NAME`.'
          : formatTable(
              ['NAME', 'UPDATED', 'BY', 'KEY'],
              rows.map((s) => [s.name, s.updatedAt, s.updatedBy, s.keyId]),
            ),
      )
    })

  secrets
    .command('remove <name>')
    .description('Remove a secret; systems that refer to it can no longer be opened.')
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const db = await ctx.vault()
      const at = systemClock.now().toISOString()
      await db.transaction(async (tx) => {
        await removeSecret(tx, name)
        await appendAdminAudit(tx, { at, actor: ACTOR, action: 'secret.remove', subject: name, details: undefined })
      })
      ctx.out.result({ removed: name }, () => `Secret ${name} removed.`)
    })

  secrets
    .command('rotate-key')
    .description(
      'Re-encrypt every secret with a new key (PROVISIO_NEW_SECRET_KEY, PROVISIO_NEW_SECRET_KEY_FILE, or a new project key file), in one transaction.',
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const db = await ctx.vault()
      // The key the secrets are under: a rotation interrupted after its commit is completed first.
      const from = await loadStoreKey(db, { projectDir: ctx.projectDir, onNotice: (message) => ctx.out.note(message) })
      const to = newSecretKey({ projectDir: ctx.projectDir })
      const at = systemClock.now().toISOString()
      let count: number
      try {
        count = await rotateSecretKey(db, from, to.key, (tx, n) =>
          appendAdminAudit(tx, {
            at,
            actor: ACTOR,
            action: 'secret.rotate-key',
            subject: undefined,
            details: { fromKeyId: from.id, toKeyId: to.key.id, secrets: n },
          }),
        )
      } catch (error) {
        to.abandon()
        throw error
      }
      to.commit()
      ctx.out.result(
        { secrets: count, fromKeyId: from.id, toKeyId: to.key.id },
        (r) => `${r.secrets} secret(s) re-encrypted from key ${r.fromKeyId} to ${r.toKeyId}. ${to.instruction}`,
      )
    })
}
