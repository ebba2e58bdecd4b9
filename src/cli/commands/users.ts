/**
 * `provisio users`: the local users of the API (docs/server.md#users-and-roles) and their API
 * tokens, managed on the server's machine. Changes are recorded in the admin audit with actor `cli`.
 */
import { type Command, InvalidArgumentError } from 'commander'
import { systemClock } from '../../core/index.ts'
import {
  USER_ROLES,
  type UserRole,
  addApiToken,
  addUser,
  generatePassword,
  removeUser,
  revokeApiToken,
  setPassword,
  setRole,
  setDisabled,
} from '../../server/index.ts'
import { listApiTokens, listUsers } from '../../vault/index.ts'
import { contextOf } from '../context.ts'
import { formatTable } from '../output.ts'
import { positiveInteger } from '../parse-options.ts'

/** Who the admin audit names for changes made here. */
const ACTOR = 'cli'

function role(value: string): UserRole {
  if (!(USER_ROLES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${USER_ROLES.join(', ')}, got '${value}'.`)
  return value as UserRole
}

/** `90d`, `12h`: how long a token is valid, in milliseconds. */
function lifetime(value: string): number {
  const match = /^(\d+)([dh])$/.exec(value)
  if (match === null || Number(match[1]) === 0)
    throw new InvalidArgumentError(`expected days or hours like 90d or 12h, got '${value}'.`)
  return Number(match[1]) * (match[2] === 'd' ? 86_400_000 : 3_600_000)
}

/** How a generated password is shown: once, saying whether it must be changed at the next login. */
function generatedText(oneTime: boolean, password: string): string {
  return oneTime
    ? `One-time password (shown only now; it must be changed at the next login): ${password}`
    : `Generated password (shown only now; keep it safe, or set another with: provisio users passwd NAME --password-stdin): ${password}`
}

/** The first line on stdin, without its line ending: a password piped in, never typed on the command line. */
async function passwordFromStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += String(chunk)
  return text.replace(/\r?\n[\s\S]*$/, '')
}

export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description('Manage the users of the API and their API tokens.')
    .addHelpText(
      'after',
      `
Roles: admin (everything, including users), operator (read, run, approve), auditor (read only).
Passwords have at least 12 characters and are stored as scrypt hashes. Without --password-stdin a
password is generated and printed once, and it is one-time: the user must change it at their first
login (POST /api/session/password, or the Studio) unless --permanent is given.

Examples:
  $ provisio users add alice --role admin
  $ printf '%s\\n' "$PASSWORD" | provisio users add bob --role operator --password-stdin
  $ provisio users role bob auditor
  $ provisio users token add ci-bot --label nightly --expires 90d
  $ provisio users list --json`,
    )

  users
    .command('add <name>')
    .description('Add a user with a role; prints a generated one-time password (shown once) unless --password-stdin.')
    .requiredOption('--role <role>', `the role: ${USER_ROLES.join(', ')}`, role)
    .option('--password-stdin', 'read the password from the first line of stdin (not one-time)')
    .option('--permanent', 'a generated password need not be changed at first login')
    .action(
      async (
        name: string,
        options: { role: UserRole; passwordStdin?: boolean; permanent?: boolean },
        command: Command,
      ) => {
        const ctx = contextOf(command)
        const generated = options.passwordStdin === true ? undefined : generatePassword()
        const password = generated ?? (await passwordFromStdin())
        const oneTime = generated !== undefined && options.permanent !== true
        const user = await addUser(await ctx.vault(), systemClock, ACTOR, {
          name,
          role: options.role,
          password,
          oneTime,
        })
        ctx.out.result(
          {
            name: user.name,
            role: user.role,
            ...(generated === undefined ? {} : { password: generated }),
            mustChangePassword: oneTime,
          },
          () =>
            generated === undefined
              ? `User ${user.name} added (${user.role}).`
              : `User ${user.name} added (${user.role}). ${generatedText(oneTime, generated)}`,
        )
      },
    )

  users
    .command('list')
    .description('List the users with their roles.')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const list = (await listUsers(await ctx.vault())).map(({ passwordHash: _hash, ...user }) => user)
      ctx.out.result(list, (rows) =>
        rows.length === 0
          ? 'No users yet: add one with `provisio users add NAME --role admin`.'
          : formatTable(
              ['NAME', 'ROLE', 'DISABLED', 'CREATED', 'PASSWORD CHANGED', 'ONE-TIME'],
              rows.map((u) => [
                u.name,
                u.role,
                u.disabled ? 'yes' : '',
                u.createdAt,
                u.passwordChangedAt,
                u.mustChangePassword ? 'yes' : '',
              ]),
            ),
      )
    })

  users
    .command('remove <name>')
    .description('Remove a user with their sessions and API tokens (never the last admin).')
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      await removeUser(await ctx.vault(), systemClock, ACTOR, name)
      ctx.out.result({ removed: name }, () => `User ${name} removed.`)
    })

  users
    .command('passwd <name>')
    .description("Set a user's password (a generated one-time one unless --password-stdin); ends their sessions.")
    .option('--password-stdin', 'read the password from the first line of stdin (not one-time)')
    .option('--permanent', 'a generated password need not be changed at the next login')
    .action(async (name: string, options: { passwordStdin?: boolean; permanent?: boolean }, command: Command) => {
      const ctx = contextOf(command)
      const generated = options.passwordStdin === true ? undefined : generatePassword()
      const oneTime = generated !== undefined && options.permanent !== true
      const password = generated ?? (await passwordFromStdin())
      await setPassword(await ctx.vault(), systemClock, ACTOR, name, password, oneTime)
      ctx.out.result(
        { name, ...(generated === undefined ? {} : { password: generated }), mustChangePassword: oneTime },
        () =>
          generated === undefined
            ? `Password of ${name} changed.`
            : `Password of ${name} changed. ${generatedText(oneTime, generated)}`,
      )
    })

  users
    .command('role <name> <role>')
    .description(`Change a user's role (${USER_ROLES.join(', ')}); the last admin stays admin.`)
    .action(async (name: string, value: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const newRole = role(value)
      await setRole(await ctx.vault(), systemClock, ACTOR, name, newRole)
      ctx.out.result({ name, role: newRole }, () => `User ${name} is now ${newRole}.`)
    })

  for (const disabled of [true, false]) {
    users
      .command(`${disabled ? 'disable' : 'enable'} <name>`)
      .description(
        disabled
          ? 'Disable a user: no login, and their sessions and API tokens stop working (never the last admin).'
          : 'Enable a disabled user again (their old sessions stay ended; their API tokens work again).',
      )
      .action(async (name: string, _options: unknown, command: Command) => {
        const ctx = contextOf(command)
        await setDisabled(await ctx.vault(), systemClock, ACTOR, name, disabled)
        ctx.out.result({ name, disabled }, () => `User ${name} ${disabled ? 'disabled' : 'enabled'}.`)
      })
  }

  const tokens = users.command('token').description('API tokens: for scripts, sent as `Authorization: Bearer …`.')

  tokens
    .command('add <user>')
    .description('Make an API token acting as the user; prints it once.')
    .requiredOption('--label <label>', 'what the token is for')
    .option('--expires <lifetime>', 'how long it is valid: 90d, 12h (default: until revoked)', lifetime)
    .action(async (user: string, options: { label: string; expires?: number }, command: Command) => {
      const ctx = contextOf(command)
      const expiresAt =
        options.expires === undefined ? undefined : new Date(systemClock.now().getTime() + options.expires)
      const { token, record } = await addApiToken(await ctx.vault(), systemClock, ACTOR, {
        userName: user,
        label: options.label,
        expiresAt,
      })
      ctx.out.result(
        { id: record.id, user: record.userName, label: record.label, expiresAt: record.expiresAt ?? null, token },
        () =>
          `API token ${record.id} (${record.label}) for ${record.userName}${record.expiresAt === undefined ? '' : `, valid until ${record.expiresAt}`}. Shown only now:\n${token}`,
      )
    })

  tokens
    .command('list')
    .description('List the API tokens (never the tokens themselves).')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command)
      const list = await listApiTokens(await ctx.vault())
      ctx.out.result(list, (rows) =>
        rows.length === 0
          ? 'No API tokens.'
          : formatTable(
              ['ID', 'USER', 'LABEL', 'CREATED', 'LAST USED', 'EXPIRES'],
              rows.map((t) => [String(t.id), t.userName, t.label, t.createdAt, t.lastUsedAt ?? '', t.expiresAt ?? '']),
            ),
      )
    })

  tokens
    .command('revoke')
    .argument('<id>', 'the id from `users token list`', positiveInteger)
    .description('Revoke an API token by its id.')
    .action(async (tokenId: number, _options: unknown, command: Command) => {
      const ctx = contextOf(command)
      await revokeApiToken(await ctx.vault(), systemClock, ACTOR, tokenId)
      ctx.out.result({ revoked: tokenId }, () => `API token ${tokenId} revoked.`)
    })
}
