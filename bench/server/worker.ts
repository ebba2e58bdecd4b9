/**
 * The server side of suite `server` (bench/server-suite.ts), in a process of its own so that the
 * client's work does not share its event loop: builds (once per size) a project over a generated HR
 * set of N employees with the filter of bench/server/filters.yaml and collects it into the project's
 * SQLite vault with the bench user, then serves the full API (ALL_ROUTES) over HTTPS on 127.0.0.1,
 * port 0, with a self-signed certificate (serveTls) and a raised login rate limit. Tells its parent
 * the port, the certificate file and a fresh API token; on 'stop' closes the server and answers its
 * peak RSS and CPU time.
 *
 * `node --import tsx bench/server/worker.ts --employees N` (forked with an IPC channel)
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { generateHrDataset } from '../../src/cli/dataset/index.ts'
import { loadValidProject } from '../../src/config/index.ts'
import { collectSystem } from '../../src/connectors/index.ts'
import { silentLogger, systemClock } from '../../src/core/index.ts'
import { ALL_ROUTES, addApiToken, addUser, buildServer, projectLoader, serveTls } from '../../src/server/index.ts'
import { openVaultDriver, withJoinIndexes } from '../../src/vault/index.ts'
import { DATA } from '../support/databases.ts'
import { BENCH_PASSWORD, BENCH_USER, type Ready, type Stopped } from './protocol.ts'

/** High enough that the timed logins are never refused. */
const LOGIN_LIMIT = { max: 10_000, windowMs: 60_000 }

const EXAMPLE = path.resolve(import.meta.dirname, '..', '..', 'examples', 'hr500', 'systems')
const FILTERS = path.join(import.meta.dirname, 'filters.yaml')

/** The same generated set (and cache folder) as the filters suite. */
async function dataset(employees: number): Promise<string> {
  const hr = path.join(DATA, `hr-${employees}`)
  if (!existsSync(path.join(hr, '.complete'))) {
    await generateHrDataset({ employees, seed: 42, outDir: hr })
    writeFileSync(path.join(hr, '.complete'), '')
  }
  return hr
}

/** The project folder with its collected vault and the bench user; made once per size. */
async function prepare(employees: number): Promise<{ dir: string; collectMs: number }> {
  const dir = path.join(DATA, `server-${employees}`)
  if (existsSync(path.join(dir, '.complete'))) return { dir, collectMs: 0 }
  const hr = await dataset(employees)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    path.join(dir, 'hr500.yaml'),
    readFileSync(path.join(EXAMPLE, 'hr500.yaml'), 'utf8').replace(/folder: .*/, `folder: ${JSON.stringify(hr)}`),
  )
  writeFileSync(path.join(dir, 'filters.yaml'), readFileSync(FILTERS))
  const config = await loadValidProject(dir)
  const driver = await openVaultDriver({ projectDir: dir })
  const started = performance.now()
  try {
    for (const system of config.systems) await collectSystem({ driver, system, projectDir: dir })
    await addUser(driver, systemClock, 'bench', { name: BENCH_USER, role: 'auditor', password: BENCH_PASSWORD })
  } finally {
    await driver.close()
  }
  writeFileSync(path.join(dir, '.complete'), '')
  return { dir, collectMs: Math.round(performance.now() - started) }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { employees: { type: 'string', default: '100000' } } })
  const { dir, collectMs } = await prepare(Number(values.employees))
  const driver = await openVaultDriver({ projectDir: dir })
  const tls = await serveTls({ projectDir: dir, hostName: 'localhost' })
  // As `provisio serve` does: the project's join indexes are brought up to date when it is loaded.
  const project = withJoinIndexes(driver, projectLoader(dir), (error) => {
    throw error
  })
  await project()
  const ctx = { db: driver, projectDir: dir, project, clock: systemClock, logger: silentLogger }
  const app = await buildServer({ ctx, routes: ALL_ROUTES, tls, loginRateLimit: LOGIN_LIMIT })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address')
  const { token } = await addApiToken(driver, systemClock, 'bench', {
    userName: BENCH_USER,
    label: `bench ${new Date().toISOString()}`,
    expiresAt: new Date(Date.now() + 3_600_000),
  })
  process.on('message', (message) => {
    if (message !== 'stop') return
    void (async () => {
      await app.close()
      await driver.close()
      const usage = process.resourceUsage()
      const stopped: Stopped = {
        peakRssMB: Math.round(usage.maxRSS / 1024),
        cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
      }
      process.send!(stopped, () => process.exit(0))
    })()
  })
  const ready: Ready = { port: address.port, certFile: tls.certFile, token, collectMs }
  process.send!(ready)
}

await main()
