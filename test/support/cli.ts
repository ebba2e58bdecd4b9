/**
 * Runs the real `provisio` command (bin/provisio.mjs) in a child process, as a user would.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { seedDirectoryDatabase } from '../../src/cli/commands/demo-directory.ts'
import { PG_URL } from './vaults.ts'

export const ROOT = path.resolve(import.meta.dirname, '..', '..')
const BIN = path.join(ROOT, 'bin', 'provisio.mjs')

export interface CliResult {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

export function provisio(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 120_000,
  })
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** A throwaway copy of examples/hr500 (without its vault), removed by the returned function. */
export function copyHr500(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-hr500-'))
  cpSync(path.join(ROOT, 'examples', 'hr500'), dir, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}.provisio`),
  })
  // The demo's directory target, as `provisio demo` creates it on its first run.
  seedDirectoryDatabase(dir)
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** `--project DIR`, and `--database URL?schema=S` for a PostgreSQL vault: where a test's CLI calls work. */
export function projectArgs(dir: string, schema: string | undefined): string[] {
  return ['--project', dir, ...(schema === undefined ? [] : ['--database', `${PG_URL}?schema=${schema}`])]
}

/** The `--json` output of a command that must have succeeded; a failure shows its output. */
export function jsonOf<T>(result: CliResult, command: readonly string[]): T {
  assert.equal(result.status, 0, `${command.join(' ')}: ${result.stderr}${result.stdout}`)
  return JSON.parse(result.stdout) as T
}
