/**
 * One measure of the `events` suite in a process of its own (its peak RSS is the measure's),
 * printing its figures as JSON on the last line:
 *
 *   match --events N [--quiet] [--profile F]   N `mapping.executed` outcomes through outcomeListener
 *                                              into an EventDispatcher (nothing matches)
 *   deliver --hooks H --mails M                H failed operations POSTed to a local receiver, M mailed
 *                                              into a pickup folder
 *   queue --events N                           N failed operations matching the webhook at once: the
 *                                              bounded queue drops what is beyond it
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import http from 'node:http'
import type net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import v8 from 'node:v8'
import { systemClock, type EventSink } from '../../src/core/index.ts'
import type { ValidatedProject } from '../../src/config/index.ts'
import { EventDispatcher, verifyWebhookSignature } from '../../src/events/index.ts'
import { outcomeListener } from '../../src/jobs/run-events.ts'
import { type OperationOutcome, openVaultDriver } from '../../src/vault/index.ts'
import { profiled } from '../ldap/profile.ts'
import { failed, succeeded } from './operations.ts'
import { OUTBOX, type ProjectKind, SECRET_VARIABLE, benchProject } from './project.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: 'string', default: '1000000' },
    hooks: { type: 'string', default: '2000' },
    mails: { type: 'string', default: '500' },
    quiet: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
})

const MB = 2 ** 20
/** Outcomes made once and cycled through. */
const POOL = 10_000
/** One request in this many has its signature checked by the receiver. */
const VERIFY_EVERY = 10

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('bench/events/worker.ts needs --expose-gc')

/** The live heap after a full collection, in MB (two decimals: the growth looked for is small). */
function liveHeapMB(): number {
  gc!()
  return Math.round((v8.getHeapStatistics().used_heap_size / MB) * 100) / 100
}

const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024)

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return Math.round((used.user + used.system) / 1000)
}

/** A webhook receiver on 127.0.0.1: counts requests by path, checks a sample of signatures. */
async function receiver(secret: string) {
  const counts = new Map<string, number>()
  let verified = 0
  let badSignatures = 0
  let requests = 0
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      counts.set(req.url!, (counts.get(req.url!) ?? 0) + 1)
      if (requests++ % VERIFY_EVERY === 0) {
        const ok = verifyWebhookSignature(
          secret,
          req.headers['x-provisio-timestamp'] as string | undefined,
          Buffer.concat(chunks),
          req.headers['x-provisio-signature'] as string | undefined,
        )
        if (ok) verified++
        else badSignatures++
      }
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    received: (route: string) => counts.get(route) ?? 0,
    signatures: () => ({ verified, badSignatures }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function withProject<T>(
  kind: ProjectKind,
  url: string,
  work: (project: ValidatedProject, dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-bench-events-'))
  try {
    return await work(await benchProject(dir, kind, url), dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The dispatcher of `project` on a SQLite vault in its folder (templates may read the vault). */
async function dispatcher(project: ValidatedProject, dir: string, secret: string) {
  const db = await openVaultDriver({ projectDir: dir })
  const events = new EventDispatcher({ db, project, env: { [SECRET_VARIABLE]: secret } })
  return { db, events }
}

async function match(): Promise<object> {
  const n = Number(values.events)
  // Nothing is ever delivered: the URL is never called.
  return withProject(values.quiet ? 'quiet' : 'matching', 'http://127.0.0.1:9', async (project, dir) => {
    const { db, events } = await dispatcher(project, dir, 'unused')
    let built = 0
    // Counts what reaches the sink: with nobody listening, not one event is built.
    const sink: EventSink = {
      wants: (type) => events.wants(type),
      emit: (event) => {
        built++
        events.emit(event)
      },
    }
    const pool: OperationOutcome[] = Array.from({ length: POOL }, (_, i) => succeeded(i))
    const heapBefore = liveHeapMB()
    const listener = outcomeListener({ events: sink, clock: systemClock, task: 'nightly' }, 'accounts')
    // A first pass outside the clock: the timed loop is compiled code, as in a long execution.
    for (let i = 0; i < POOL; i++) listener?.(pool[i]!)
    built = 0
    const cpu = process.cpuUsage()
    const started = performance.now()
    await profiled(values.profile, () => {
      for (let i = 0; i < n; i++) listener?.(pool[i % POOL]!)
      return Promise.resolve()
    })
    const ms = performance.now() - started
    const used = cpuMs(cpu)
    const summary = await events.drain()
    const heapAfter = liveHeapMB()
    await db.close()
    return {
      events: n,
      listening: listener !== undefined,
      built,
      ms: Math.round(ms * 10) / 10,
      cpuMs: used,
      summary,
      heapBeforeMB: heapBefore,
      heapAfterMB: heapAfter,
      peakRssMB: peakRssMB(),
    }
  })
}

async function deliver(): Promise<object> {
  const hooks = Number(values.hooks)
  const mails = Number(values.mails)
  const secret = randomBytes(24).toString('hex')
  const server = await receiver(secret)
  try {
    return await withProject('delivery', server.url, async (project, dir) => {
      const { db, events } = await dispatcher(project, dir, secret)
      const listener = outcomeListener({ events, clock: systemClock, task: 'nightly' }, 'accounts')!
      const hookOutcomes = Array.from({ length: hooks }, (_, i) => failed(i, false))
      const mailOutcomes = Array.from({ length: mails }, (_, i) => failed(i, true))

      let started = performance.now()
      let cpu = process.cpuUsage()
      for (const outcome of hookOutcomes) listener(outcome)
      const afterHooks = await events.drain()
      const hookMs = performance.now() - started
      const hookCpuMs = cpuMs(cpu)

      started = performance.now()
      cpu = process.cpuUsage()
      for (const outcome of mailOutcomes) listener(outcome)
      const afterMails = await events.drain()
      const mailMs = performance.now() - started
      const mailCpuMs = cpuMs(cpu)

      const files = readdirSync(path.join(dir, OUTBOX)).filter((f) => f.endsWith('.eml'))
      const sample = files.length === 0 ? '' : readFileSync(path.join(dir, OUTBOX, files[0]!), 'utf8')
      await db.close()
      return {
        hooks,
        mails,
        hookMs: Math.round(hookMs),
        hookCpuMs,
        mailMs: Math.round(mailMs),
        mailCpuMs,
        hookSummary: afterHooks,
        mailSummary: { ...afterMails, sent: afterMails.sent - afterHooks.sent },
        received: server.received('/operations'),
        ...server.signatures(),
        mailFiles: files.length,
        mailHasParts: ['Content-Type: text/plain', 'Content-Type: text/html', 'Subject: update of u'].every((part) =>
          sample.includes(part),
        ),
        secretInMail: sample.includes(secret),
        peakRssMB: peakRssMB(),
      }
    })
  } finally {
    await server.close()
  }
}

async function queue(): Promise<object> {
  const n = Number(values.events)
  const secret = randomBytes(24).toString('hex')
  const server = await receiver(secret)
  try {
    return await withProject('delivery', server.url, async (project, dir) => {
      const { db, events } = await dispatcher(project, dir, secret)
      const listener = outcomeListener({ events, clock: systemClock }, 'accounts')!
      const outcomes = Array.from({ length: n }, (_, i) => failed(i, false))
      const started = performance.now()
      for (const outcome of outcomes) listener(outcome)
      const emitMs = performance.now() - started
      const summary = await events.drain()
      const ms = performance.now() - started
      await db.close()
      return {
        events: n,
        emitMs: Math.round(emitMs),
        ms: Math.round(ms),
        summary,
        received: server.received('/operations'),
        ...server.signatures(),
        heapAfterMB: liveHeapMB(),
        peakRssMB: peakRssMB(),
      }
    })
  } finally {
    await server.close()
  }
}

const tasks: Record<string, () => Promise<object>> = { match, deliver, queue }
const task = tasks[positionals[0] ?? '']
if (task === undefined) throw new Error(`Unknown task '${positionals[0]}'; tasks: ${Object.keys(tasks).join(', ')}`)
console.log(JSON.stringify(await task()))
