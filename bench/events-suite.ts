/**
 * Suite `events` (issue 7): what a run pays for the project's EventActions (bench/events/).
 *
 * - matching: 1M `mapping.executed` events built by the jobs layer's outcomeListener from
 *   synthetic operation outcomes (updates with 8 attributes) and emitted into an EventDispatcher
 *   whose project has three actions on mapping.executed (`on: failure`, a filter on an attribute
 *   and the status, a disabled one): none matches, nothing is delivered. The same with a project
 *   whose sink wants no operation events: not one event may be built. Live heap before and after.
 * - delivery: failed operations as signed webhooks to a node:http receiver on 127.0.0.1 (a sample
 *   of signatures verified) and as mails into a pickup folder; every delivery must have arrived.
 * - queue: more matching events at once than the queue holds; what is beyond it is dropped.
 * - one more matching run, CPU-profiled (not timed): where the time goes.
 *
 * Each measure runs in a process of its own (bench/events/worker.ts); the median of --runs is kept.
 * Target: matching under 5 µs per event; zero events built when nobody listens.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DELIVERY_CONCURRENCY, DELIVERY_QUEUE_LIMIT } from '../src/events/index.ts'
import { summarizeProfile, type ProfileSummary } from './ldap/profile.ts'
import { DATA } from './support/databases.ts'
import { recordSuite, table } from './support/results.ts'

export interface EventsSuiteOptions {
  /** Timed runs per measure; the median is kept. */
  readonly runs: number
  /** Smoke run: small counts, no profile, nothing recorded in RESULTS.md. */
  readonly quick: boolean
}

interface Sizes {
  readonly match: number
  readonly hooks: number
  readonly mails: number
  readonly queue: number
}

const FULL: Sizes = { match: 1_000_000, hooks: 2_000, mails: 500, queue: 20_000 }
/** Enough for the queue to overflow its default bound. */
const QUICK: Sizes = { match: 20_000, hooks: 200, mails: 50, queue: DELIVERY_QUEUE_LIMIT + 2_000 }

/** µs per event of matching, the issue's target. */
const TARGET_US = 5
/** Live heap growth over a matching run beyond which it is said to grow (MB). */
const HEAP_SLACK_MB = 1

const WORKER = path.join(import.meta.dirname, 'events', 'worker.ts')
const PROFILES = path.join(DATA, 'events-profiles')

interface Summary {
  readonly sent: number
  readonly failed: number
  readonly dropped: number
  readonly filterErrors: number
}

interface Matched {
  readonly events: number
  readonly listening: boolean
  readonly built: number
  readonly ms: number
  readonly cpuMs: number
  readonly summary: Summary
  readonly heapBeforeMB: number
  readonly heapAfterMB: number
  readonly peakRssMB: number
  readonly load: readonly [number, number]
}

interface Delivered {
  readonly hooks: number
  readonly mails: number
  readonly hookMs: number
  readonly hookCpuMs: number
  readonly mailMs: number
  readonly mailCpuMs: number
  readonly hookSummary: Summary
  readonly mailSummary: Summary
  readonly received: number
  readonly verified: number
  readonly badSignatures: number
  readonly mailFiles: number
  readonly mailHasParts: boolean
  readonly secretInMail: boolean
  readonly peakRssMB: number
  readonly load: readonly [number, number]
}

interface Queued {
  readonly events: number
  readonly emitMs: number
  readonly ms: number
  readonly summary: Summary
  readonly received: number
  readonly verified: number
  readonly badSignatures: number
  readonly heapAfterMB: number
  readonly peakRssMB: number
  readonly load: readonly [number, number]
}

const count = (n: number) => n.toLocaleString('en-US')
const loadText = (load: readonly [number, number]) => `${load[0].toFixed(1)}–${load[1].toFixed(1)}`
const usPer = (m: Matched) => (m.ms * 1000) / m.events
const perSecond = (n: number, ms: number) => count(Math.round((n * 1000) / Math.max(ms, 0.001)))

function worker<T>(task: string, args: readonly string[]): T {
  const before = os.loadavg()[0]!
  const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', WORKER, task, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  })
  return { ...(JSON.parse(output.trim().split('\n').at(-1)!) as T), load: [before, os.loadavg()[0]!] }
}

function median<T>(runs: readonly T[], by: (run: T) => number): T {
  return [...runs].sort((a, b) => by(a) - by(b))[Math.floor(runs.length / 2)]!
}

function fail(what: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`events ${what}:\n  ${problems.join('\n  ')}`)
}

function check(found: string[], what: string, got: number | boolean, want: number | boolean): void {
  if (got !== want) found.push(`${what}: ${String(got)}, expected ${String(want)}`)
}

function checkMatched(run: Matched): void {
  const found: string[] = []
  check(found, 'events built', run.built, run.listening ? run.events : 0)
  check(found, 'deliveries', run.summary.sent + run.summary.failed + run.summary.dropped, 0)
  check(found, 'filter errors', run.summary.filterErrors, 0)
  fail(run.listening ? 'matching' : 'matching (nobody listens)', found)
}

function checkDelivered(run: Delivered): void {
  const found: string[] = []
  check(found, 'webhooks sent', run.hookSummary.sent, run.hooks)
  check(found, 'webhooks failed', run.hookSummary.failed, 0)
  check(found, 'webhook requests received', run.received, run.hooks)
  check(found, 'bad signatures', run.badSignatures, 0)
  check(found, 'signatures verified', run.verified > 0, true)
  check(found, 'mails sent', run.mailSummary.sent, run.mails)
  check(found, 'mails failed', run.mailSummary.failed, 0)
  check(found, 'mail files in the pickup folder', run.mailFiles, run.mails)
  check(found, 'a mail with subject, text and html', run.mailHasParts, true)
  check(found, 'the webhook secret in a mail', run.secretInMail, false)
  fail('delivery', found)
}

function checkQueued(run: Queued): void {
  const found: string[] = []
  const kept = Math.min(run.events, DELIVERY_QUEUE_LIMIT)
  check(found, 'sent', run.summary.sent, kept)
  check(found, 'dropped', run.summary.dropped, run.events - kept)
  check(found, 'failed', run.summary.failed, 0)
  check(found, 'requests received', run.received, kept)
  check(found, 'bad signatures', run.badSignatures, 0)
  fail('queue', found)
}

function matchingTable(listening: readonly Matched[], quiet: readonly Matched[]): string {
  const row = (what: string, runs: readonly Matched[]) => {
    const m = median(runs, (r) => r.ms)
    const times = runs.map(usPer)
    const growth = m.heapAfterMB - m.heapBeforeMB
    return [
      what,
      count(m.events),
      count(m.built),
      runs.length,
      (m.ms / 1000).toFixed(2),
      m.listening ? perSecond(m.events, m.ms) : '-',
      usPer(m).toFixed(3),
      `${Math.min(...times).toFixed(3)}–${Math.max(...times).toFixed(3)}`,
      m.listening
        ? usPer(m) < TARGET_US
          ? 'yes'
          : `**no** (${usPer(m).toFixed(2)} µs)`
        : m.built === 0
          ? 'yes'
          : '**no**',
      (m.cpuMs / 1000).toFixed(2),
      m.peakRssMB,
      `${m.heapBeforeMB.toFixed(1)} → ${m.heapAfterMB.toFixed(1)} (${growth >= 0 ? '+' : ''}${growth.toFixed(2)})`,
      growth > HEAP_SLACK_MB ? '**yes**' : 'no',
      loadText(m.load),
    ]
  }
  return table(
    [
      'sink',
      'outcomes',
      'events built',
      'runs',
      'median s',
      'events/s',
      'µs per outcome',
      'min–max µs',
      'target met',
      'CPU s',
      'peak RSS MB',
      'live heap before → after MB',
      'heap grows',
      'load',
    ],
    [row('3 actions on mapping.executed, none matching', listening), row('wants nothing', quiet)],
  )
}

function deliveryTable(runs: readonly Delivered[]): string {
  const hook = median(runs, (r) => r.hookMs)
  const mail = median(runs, (r) => r.mailMs)
  return table(
    ['delivery', 'count', 'arrived', 'runs', 'median ms (emit + drain)', 'deliveries/s', 'CPU ms', 'checks', 'load'],
    [
      [
        'webhook, signed (operation.failed)',
        count(hook.hooks),
        `${count(hook.received)} received`,
        runs.length,
        hook.hookMs,
        perSecond(hook.hooks, hook.hookMs),
        hook.hookCpuMs,
        `${count(hook.verified)} signatures verified, ${hook.badSignatures} bad`,
        loadText(hook.load),
      ],
      [
        'mail, pickup folder (subject, text, html)',
        count(mail.mails),
        `${count(mail.mailFiles)} .eml files`,
        runs.length,
        mail.mailMs,
        perSecond(mail.mails, mail.mailMs),
        mail.mailCpuMs,
        mail.mailHasParts ? 'text and html parts, no secret' : '**parts missing**',
        loadText(mail.load),
      ],
    ],
  )
}

function queueTable(run: Queued): string {
  return table(
    [
      'matching events',
      'queue limit',
      'emit ms',
      'queued and sent',
      'dropped',
      'received',
      'drain ms (all)',
      'deliveries/s',
      'live heap after MB',
      'peak RSS MB',
    ],
    [
      [
        count(run.events),
        count(DELIVERY_QUEUE_LIMIT),
        run.emitMs,
        count(run.summary.sent),
        count(run.summary.dropped),
        count(run.received),
        run.ms,
        perSecond(run.summary.sent, run.ms),
        run.heapAfterMB.toFixed(1),
        run.peakRssMB,
      ],
    ],
  )
}

function profileTables(summary: ProfileSummary): string {
  const share = (ms: number) => `${ms} (${Math.round((ms / summary.totalMs) * 100)}%)`
  // Line numbers are tsx's compiled code's: left out, the functions of one name and file merged.
  const merged = new Map<string, { part: string; ms: number }>()
  for (const f of summary.functions) {
    const name = f.name.replace(/:\d+$/, '')
    merged.set(name, { part: f.part, ms: (merged.get(name)?.ms ?? 0) + f.ms })
  }
  const functions = [...merged]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([name, f]) => [`\`${name}\``, f.part, share(f.ms)])
  return `Where the time of matching goes: one more run of the listening case, CPU-profiled (not among the timed runs), self time by part of the program:

${table(
  ['part', 'ms of self time (share)'],
  summary.parts.map((p) => [p.part, share(p.ms)]),
)}

The functions with the most self time:

${table(['function', 'part', 'ms (share)'], functions)}`
}

function findings(listening: readonly Matched[], quiet: readonly Matched[], profile?: ProfileSummary): string {
  const m = median(listening, (r) => r.ms)
  const q = median(quiet, (r) => r.ms)
  const us = usPer(m)
  const lines = [
    `- Matching: ${us.toFixed(2)} µs per operation (median of ${listening.length}, load ${loadText(m.load)}): 1M operations with such actions add ${us.toFixed(1)} s; the target of ${TARGET_US} µs is ${us < TARGET_US ? 'met' : '**missed**'}.`,
    `- Nobody listening: ${count(q.built)} events built; ${count(q.events)} outcomes cost ${q.ms} ms in all (outcomeListener returns no listener, the executor calls nothing).`,
    `- Live heap: ${(m.heapAfterMB - m.heapBeforeMB).toFixed(2)} MB more after ${count(m.events)} events than before (after a full collection): ${m.heapAfterMB - m.heapBeforeMB > HEAP_SLACK_MB ? '**it grows**' : 'nothing is kept per event'}.`,
  ]
  if (profile !== undefined) {
    const top = [...profile.functions].sort((a, b) => b.ms - a.ms).slice(0, 2)
    const share = (ms: number) => Math.round((ms / profile.totalMs) * 100)
    lines.push(
      `- The profile: ${top.map((f) => `\`${f.name.replace(/:\d+$/, '')}\` ${share(f.ms)}%`).join(', ')} of the self time.`,
    )
  }
  return `What the figures say:\n\n${lines.join('\n')}`
}

export async function runEventsSuite(options: EventsSuiteOptions): Promise<void> {
  const sizes = options.quick ? QUICK : FULL
  const listening: Matched[] = []
  const quiet: Matched[] = []
  const delivered: Delivered[] = []
  for (let i = 0; i < options.runs; i++) {
    const run = worker<Matched>('match', ['--events', String(sizes.match)])
    checkMatched(run)
    listening.push(run)
    console.log(
      `  matching ${count(run.events)}: ${usPer(run).toFixed(3)} µs per event, ${count(run.built)} built, heap ${run.heapBeforeMB} → ${run.heapAfterMB} MB, peak ${run.peakRssMB} MB RSS, load ${loadText(run.load)}`,
    )
    const none = worker<Matched>('match', ['--events', String(sizes.match), '--quiet'])
    checkMatched(none)
    quiet.push(none)
    console.log(`  nobody listening ${count(none.events)}: ${none.ms} ms, ${count(none.built)} built`)
    const sent = worker<Delivered>('deliver', ['--hooks', String(sizes.hooks), '--mails', String(sizes.mails)])
    checkDelivered(sent)
    delivered.push(sent)
    console.log(
      `  delivery: ${count(sent.hooks)} webhooks in ${sent.hookMs} ms (${sent.verified} signatures verified), ${count(sent.mails)} mails in ${sent.mailMs} ms (checked)`,
    )
  }
  const queued = worker<Queued>('queue', ['--events', String(sizes.queue)])
  checkQueued(queued)
  console.log(
    `  queue: ${count(queued.events)} matching, ${count(queued.summary.sent)} sent, ${count(queued.summary.dropped)} dropped (checked) in ${queued.ms} ms`,
  )
  let profile: ProfileSummary | undefined
  if (!options.quick) {
    mkdirSync(PROFILES, { recursive: true })
    const file = path.join(PROFILES, 'matching.cpuprofile')
    worker<Matched>('match', ['--events', String(sizes.match), '--profile', file])
    profile = summarizeProfile(file, 12)
  }
  const body = `${matchingTable(listening, quiet)}\n\n${deliveryTable(delivered)}\n\n${queueTable(queued)}\n\n${findings(listening, quiet, profile)}`
  console.log(`\n${body}\n`)
  if (profile !== undefined) console.log(`${profileTables(profile)}\n`)
  if (options.quick) {
    console.log('  quick run: not recorded in bench/RESULTS.md')
    return
  }
  recordSuite(
    'events',
    `What a run pays for the project's EventActions (issue 7), bench/events/. The projects are YAML written into a temporary folder and loaded and validated with the config API (bench/events/project.ts); the outcomes are synthetic updates of directory accounts with 8 attributes (uid, givenName, sn, mail, department, title, employeeType, manager; bench/events/operations.ts), a pool of 10,000 cycled through. Each measure runs in a process of its own (bench/events/worker.ts), on the system clock, with the EventDispatcher on a SQLite vault in the project folder; the median of ${options.runs} runs is shown.

- **matching**: ${count(sizes.match)} succeeded outcomes through the jobs layer's \`outcomeListener\` (what the executor calls per operation: it builds the \`mapping.executed\` event) into an EventDispatcher whose project has three EventActions on mapping.executed: one \`on: failure\`, one with \`filter: "attributes.department = 'NOPE' and status = 'succeeded'"\` (compiled once, evaluated for every event), one disabled. None matches: nothing is delivered (checked), so this is the per-operation cost a big execution pays for having such actions. "Wants nothing": the same outcomes with a project whose only action is on task.finished; the events reaching the sink are counted (must be 0). Live heap: after a full collection, before the first outcome and after the last.
- **delivery**: ${count(sizes.hooks)} failed outcomes whose \`operation.failed\` event matches a webhook action (POSTed to a node:http receiver on 127.0.0.1 in the same process, signed with a secret from a \`\${env:…}\` reference; the receiver verifies every 10th signature with \`verifyWebhookSignature\`), then ${count(sizes.mails)} matching a mail action (a pickup MailServer; a Template with subject, text and html, no vault tags; the events have no run, so no run is read), each batch emitted and \`drain()\`ed; timed from the first emit to the end of the drain, ${DELIVERY_CONCURRENCY} deliveries at a time (the default). Every webhook must have been received and every mail written as an .eml file, or the suite fails.
- **queue**: ${count(sizes.queue)} matching \`operation.failed\` events emitted at once with the default queue limit (${count(DELIVERY_QUEUE_LIMIT)} waiting or running): what is beyond it is dropped and counted; the rest is delivered (checked).

Memory: peak RSS is the process's maxRSS; live heap the used heap after a full collection.

Target: matching under ${TARGET_US} µs per event (1M operations with listening actions add < ${TARGET_US} s); zero events built when nobody listens.

${body}
${profile === undefined ? '' : `\n${profileTables(profile)}\n`}`,
  )
}
