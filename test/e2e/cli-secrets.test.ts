/**
 * End to end: `provisio secrets` stores a value read from stdin, lists names without values, and a
 * System whose PostgreSQL URL (with its password) is `${secret:…}` connects with the value from the
 * store. The vault is SQLite; the target is the dev PostgreSQL when PROVISIO_TEST_PG_URL is set.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openConnectorDatabase } from '../../src/connectors/connector-database.ts'
import { type CliResult, ROOT, copyHr500, jsonOf } from '../support/cli.ts'
import { PG_URL, vaultText } from '../support/vaults.ts'

/** `provisio` with text on its stdin, and an environment without any secret key of the caller's. */
function run(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env }
  for (const name of ['PROVISIO_SECRET_KEY', 'PROVISIO_SECRET_KEY_FILE', 'PROVISIO_DATABASE_URL']) {
    if (options.env?.[name] === undefined) delete env[name]
  }
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'provisio.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input: options.input ?? '',
    env,
    timeout: 120_000,
  })
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** A password no output, log or table may ever show. */
const PASSWORD = 'store-only-Pw-93kd'

/** The dev PostgreSQL URL with PASSWORD in it (the dev server trusts local connections, so any password works). */
function urlWithPassword(): string {
  const url = new URL(PG_URL ?? 'postgres://provisio@127.0.0.1:5432/none')
  url.password = PASSWORD
  return url.toString()
}

const SCHEMA = `e2e_secrets_${process.pid}_${Date.now().toString(36)}`

describe('provisio secrets (sqlite vault)', () => {
  let project: ReturnType<typeof copyHr500>
  let args: string[]
  before(async () => {
    project = copyHr500()
    args = ['--project', project.dir]
    writeFileSync(
      path.join(project.dir, 'systems', 'accounts-db.yaml'),
      `kind: System
name: accounts_db
connector: sql
config:
  url: \${secret:accounts-db-url}
  schema: ${SCHEMA}
tables:
  users:
    options: { table: user_accounts }
    primaryKey: id
    columns:
      id: integer
      username: string
`,
    )
    if (PG_URL !== undefined) {
      const target = await openConnectorDatabase(project.dir, { url: `${PG_URL}?schema=${SCHEMA}` })
      await target.exec('CREATE TABLE user_accounts (id INTEGER PRIMARY KEY, username TEXT NOT NULL)')
      await target.run('INSERT INTO user_accounts (id, username) VALUES (?, ?)', [1, 'alice'])
      await target.close()
    }
  })
  after(async () => {
    if (PG_URL !== undefined) {
      const target = await openConnectorDatabase(project.dir, { url: PG_URL })
      await target.exec(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`)
      await target.close()
    }
    project.remove()
  })

  it('names the missing secret and the command that sets it', () => {
    const result = run(['system', 'check', 'accounts_db', ...args])
    assert.equal(result.status, 1)
    assert.match(
      result.stderr,
      /System 'accounts_db' refers to secret accounts-db-url, which is not in the secret store/,
    )
    assert.match(result.stderr, /provisio secrets set accounts-db-url/)
  })

  it('validate warns, without failing, about a secret the store does not hold', () => {
    const result = run(['validate', ...args])
    assert.equal(result.status, 0, result.stderr + result.stdout)
    assert.match(
      result.stdout,
      /systems\/accounts-db\.yaml:5:\d+ +warning: Secret accounts-db-url is not in the secret store: system 'accounts_db' cannot be opened until it is set\./,
    )
  })

  it('stores a value read from stdin under a new project key file (mode 0600)', () => {
    const set = run(['secrets', 'set', 'accounts-db-url', ...args], { input: `${urlWithPassword()}\n` })
    assert.equal(set.status, 0, set.stderr)
    assert.match(set.stdout, /^Secret accounts-db-url stored \(key [0-9a-f]{8}\)\./)
    const keyFile = path.join(project.dir, '.provisio', 'secret.key')
    if (process.platform !== 'win32') assert.equal(statSync(keyFile).mode & 0o777, 0o600)
    assert.ok(!(set.stdout + set.stderr).includes(PASSWORD))
  })

  it('lists names and metadata, never values', () => {
    const result = run(['secrets', 'list', '--json', ...args])
    const list = jsonOf<Record<string, unknown>[]>(result, ['secrets list'])
    assert.deepEqual(
      list.map((s) => [s['name'], s['updatedBy']]),
      [['accounts-db-url', 'cli']],
    )
    assert.deepEqual(Object.keys(list[0]!).sort(), ['createdAt', 'keyId', 'name', 'updatedAt', 'updatedBy'])
    assert.ok(!result.stdout.includes(PASSWORD))
    assert.doesNotMatch(run(['validate', ...args]).stdout, /not in the secret store/)
    const text = run(['secrets', 'list', ...args])
    assert.match(text.stdout, /NAME\s+UPDATED\s+BY\s+KEY\n.*accounts-db-url/)
  })

  it('connects a system whose URL comes from the store', { skip: PG_URL === undefined }, () => {
    const check = run(['system', 'check', 'accounts_db', ...args])
    assert.equal(check.status, 0, check.stderr)
    assert.match(check.stdout, /accounts_db: reachable/)
    const collect = run(['collect', 'accounts_db', ...args])
    assert.equal(collect.status, 0, collect.stderr)
    assert.ok(!(check.stdout + check.stderr + collect.stdout + collect.stderr).includes(PASSWORD))
  })

  it('reports a wrong key by its id, not as garbage', () => {
    const result = run(['system', 'check', 'accounts_db', ...args], {
      env: { PROVISIO_SECRET_KEY: 'ab'.repeat(32) },
    })
    assert.equal(result.status, 1)
    assert.match(
      result.stderr,
      /Secret accounts-db-url was encrypted with key [0-9a-f]{8}, the current key is [0-9a-f]{8}\./,
    )
  })

  it('stores no secret with another key than the stored ones, and makes no new key file for a lost one', () => {
    const other = run(['secrets', 'set', 'other-one', ...args], {
      input: 'value\n',
      env: { PROVISIO_SECRET_KEY: 'ab'.repeat(32) },
    })
    assert.equal(other.status, 1, other.stderr)
    assert.match(other.stderr, /VLT_SECRET_WRONG_KEY|was encrypted with key [0-9a-f]{8}, the current key is/)
    const keyFile = path.join(project.dir, '.provisio', 'secret.key')
    const text = readFileSync(keyFile, 'utf8')
    rmSync(keyFile)
    try {
      const lost = run(['secrets', 'set', 'other-one', ...args], { input: 'value\n' })
      assert.equal(lost.status, 1, lost.stderr)
      assert.match(lost.stderr, /No secret key/)
      assert.equal(existsSync(keyFile), false)
    } finally {
      writeFileSync(keyFile, text, { mode: 0o600 })
    }
    const list = jsonOf<{ name: string }[]>(run(['secrets', 'list', '--json', ...args]), ['secrets list'])
    assert.deepEqual(
      list.map((s) => s.name),
      ['accounts-db-url'],
    )
  })

  it('rotates the project key file, re-encrypting every secret', () => {
    const keyFile = path.join(project.dir, '.provisio', 'secret.key')
    const before = readFileSync(keyFile, 'utf8')
    const rotated = jsonOf<{ secrets: number; fromKeyId: string; toKeyId: string }>(
      run(['secrets', 'rotate-key', '--json', ...args]),
      ['secrets rotate-key'],
    )
    assert.equal(rotated.secrets, 1)
    assert.notEqual(rotated.fromKeyId, rotated.toKeyId)
    assert.notEqual(readFileSync(keyFile, 'utf8'), before)
    const list = jsonOf<{ keyId: string }[]>(run(['secrets', 'list', '--json', ...args]), ['secrets list'])
    assert.deepEqual(
      list.map((s) => s.keyId),
      [rotated.toKeyId],
    )
    if (PG_URL !== undefined) assert.equal(run(['system', 'check', 'accounts_db', ...args]).status, 0)
  })

  it('never stores the value in clear, and audits every change without it', async () => {
    const removed = run(['secrets', 'remove', 'accounts-db-url', ...args])
    assert.equal(removed.status, 0, removed.stderr)
    assert.equal(run(['secrets', 'remove', 'accounts-db-url', ...args]).status, 1)
    const text = await vaultText(project.dir, undefined)
    assert.ok(!text.includes(PASSWORD))
    for (const action of ['secret.set', 'secret.rotate-key', 'secret.remove']) assert.ok(text.includes(action), action)
  })

  it('never takes a value from an argument', () => {
    const result = run(['secrets', 'set', 'x', 'the-value', ...args])
    assert.equal(result.status, 2)
    assert.match(result.stderr, /too many arguments for 'set'/)
  })
})
