/**
 * Runs the real `provisio` command (bin/provisio.mjs) in a child process, as a user would.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { seedDirectoryDatabase } from '../../src/cli/commands/demo-directory.ts'

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
