/**
 * bench/RESULTS.md keeps one section per suite, replaced on each run, headed with the date, the
 * machine and the commit, so figures are always traceable to what produced them.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const RESULTS = path.resolve(import.meta.dirname, '..', 'RESULTS.md')

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  // The load average says whether other work shared the machine (it skews every figure).
  const load = os.loadavg()[0]!.toFixed(2)
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, load average ${load} at start`
}

export function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench'], { encoding: 'utf8' }).trim() !== ''
    return dirty ? `${sha} (with uncommitted changes)` : sha
  } catch {
    return 'unknown'
  }
}

/** Replaces (or adds) the section `## Suite \`name\`` of RESULTS.md with `body`. */
export function recordSuite(name: string, body: string): void {
  const header = `## Suite \`${name}\``
  const section = `${header}\n\nRun ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}, commit ${commit()}.\n\n${body.trim()}\n`
  const existing = existsSync(RESULTS)
    ? readFileSync(RESULTS, 'utf8')
    : '# Benchmark results\n\nWritten by `npm run bench`; each suite replaces its own section.\n'
  const start = existing.indexOf(header)
  let next: string
  if (start === -1) next = `${existing.trimEnd()}\n\n${section}`
  else {
    const end = existing.indexOf('\n## Suite `', start + header.length)
    next = `${existing.slice(0, start)}${section}${end === -1 ? '' : existing.slice(end + 1)}`
  }
  writeFileSync(RESULTS, next.endsWith('\n') ? next : `${next}\n`)
}

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}
