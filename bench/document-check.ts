/**
 * How long POST /api/documents/check takes on examples/hr500 (a change of a Filter, as the Studio
 * sends while typing): 5 warm-up checks, then 50 timed ones through the real server (inject, SQLite
 * vault); prints the median and p90 of the wall time and the median CPU time of this process (client
 * and server), in milliseconds: on a busy machine the CPU time compares runs better. Not part of a
 * suite: run it before and after a change of the check path.
 *
 *   node --import tsx bench/document-check.ts
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createTestServer } from '../test/support/server.ts'
import { registerConfigRoutes } from '../src/server/routes/config.ts'

const server = await createTestServer('sqlite', { register: (app, ctx) => registerConfigRoutes(app, ctx) })
try {
  const source = readFileSync(path.join(server.dir, 'filters', 'accounts.yaml'), 'utf8').split(/^---$/m)[0] ?? ''
  const name = /^name:\s*(\S+)/m.exec(source)?.[1]
  if (name === undefined) throw new Error('no Filter name in filters/accounts.yaml')
  const client = server.as('auditor')
  const cpu: number[] = []
  const once = async () => {
    const used = process.cpuUsage()
    const started = performance.now()
    const answer = await client.post('/api/documents/check', { kind: 'Filter', name, source: `${source}\n# edited\n` })
    if (answer.status !== 200) throw new Error(`check answered ${answer.status}: ${answer.body}`)
    const wall = performance.now() - started
    const { user, system } = process.cpuUsage(used)
    cpu.push((user + system) / 1000)
    return wall
  }
  for (let i = 0; i < 5; i++) await once()
  cpu.length = 0
  const times: number[] = []
  for (let i = 0; i < 50; i++) times.push(await once())
  const at = (list: number[], q: number) =>
    [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))]!.toFixed(1)
  console.log(
    `POST /api/documents/check, hr500, 50 checks: median ${at(times, 0.5)} ms, p90 ${at(times, 0.9)} ms, CPU median ${at(cpu, 0.5)} ms`,
  )
} finally {
  await server.close()
}
